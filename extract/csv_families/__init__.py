"""The generic CSV families: SSD (`ssd/`), local (`local/`), HR (`hr/`), finance (`fin/`), reference (`ref/`).

One data-driven registry of table specs (`registry`, transcribed from the input contract) and one reader
(`reader`): recognition by file name, the §0.4 header rules, the §0.5 types and the row rules shared with the 903.
"""

from extract.csv_families.reader import CSV_FAMILIES, prohibited_columns_in_header, read_family_csv
from extract.csv_families.registry import REGISTRY

__all__ = ["CSV_FAMILIES", "REGISTRY", "prohibited_columns_in_header", "read_family_csv"]
