"""The extract layer for SSDA903 CSV deliveries: find, recognise, check and land files (docs/architecture.md).

It reads `inbound/`, writes `archive/` and `landing/` only, and never opens the warehouse.
"""

from extract.delivery import list_delivery_files
from extract.extractor import FileOutcome, extract_all, extract_file, load_id_for
from extract.mandatory import MandatoryInputError, check_mandatory_inputs

__all__ = [
    "FileOutcome",
    "MandatoryInputError",
    "check_mandatory_inputs",
    "extract_all",
    "extract_file",
    "list_delivery_files",
    "load_id_for",
]
