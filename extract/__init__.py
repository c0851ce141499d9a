"""The extract layer: find, recognise, check and land every delivered file (docs/architecture.md, "Landing").

Families: SSDA903 CSVs (`903/`), the CIN census XML (`cin/`, `extract.cin`), and the generic CSV families SSD,
local, HR, finance and reference (`ssd/`, `local/`, `hr/`, `fin/`, `ref/`, `extract.csv_families`). It reads
`inbound/`, writes `archive/` and `landing/` only, and never opens the warehouse.
"""

from extract.consistency import DeliveryCheck, check_delivery_consistency
from extract.delivery import list_delivery_files
from extract.extractor import FileOutcome, check_all_deliveries, extract_all, extract_file, load_id_for
from extract.mandatory import MandatoryInputError, check_mandatory_inputs

__all__ = [
    "DeliveryCheck",
    "FileOutcome",
    "MandatoryInputError",
    "check_all_deliveries",
    "check_delivery_consistency",
    "check_mandatory_inputs",
    "extract_all",
    "extract_file",
    "list_delivery_files",
    "load_id_for",
]
