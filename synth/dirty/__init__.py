"""Dirt on request: the defects real exports have, injected at set rates into written files, with a truth file that
lists each one and the rule the extract layer must report for it (input contract §0.8, §1.1.6, §1.2.7).

903 kinds (expected rule): wrong_year_code and unknown_code (R02), missing_mandatory (R04), bad_date (R01),
future_date (R06), end_before_start and rec_without_dec (R05), conflicting_key (R03, every row of the key),
duplicate_row (W01), legacy_code (W07), invalid_postcode (W05); overlapping_episodes (DQ_OVERLAP) and
unclosed_episode (DQ_UNCLOSED), data-quality checks downstream and not input rejections; file-level
wrong_column_name (F02), duplicate_column (F04), not_utf8 and broken_quote (F01), manifest_mismatch (F09).

SSD, local, HR and finance kinds (`synth.dirty.table_kinds`, `synth.dirty.table_files`): missing_mandatory (R04),
bad_date, impossible_date, bad_datetime and bad_amount (R01), future_date (R06), unknown_code (R02),
end_before_start, period_outside_fy and perm_over_cap (hr_employee) (R05), conflicting_key (R03), duplicate_row
(W01), invalid_postcode and unlisted_code (W05), null_literal (W03), date_in_datetime (W04); header-level
prohibited_column (W10) and misnamed_column (W02); file-level wrong_column_name (F03), duplicate_column (F04),
not_utf8 and broken_quote (F01), manifest_mismatch (F09), la_mismatch (F06).

CIN census kinds (`synth.dirty.cin_xml`): end_before_start (R05), future_date (R06), conflicting_key (R03, both
children), duplicate_row (W01); file-level wrong_year_element and xsd_violation (F05), la_mismatch (F06), not_utf8
(F01), manifest_mismatch (F09).

Every family: too_many_rejected_rows (F07) when uncapped row defects push a file over 2 %. Rates and the F07 cap:
`synth.dirty.rates`.
"""

from synth.dirty.location import FAMILIES
from synth.dirty.make import TRUTH_NAME, make_dirty
from synth.dirty.rates import (
    CIN_FILE_KINDS,
    CIN_ROW_KINDS,
    FILE_KINDS,
    HEADER_KINDS,
    ROW_KINDS,
    TABLE_FILE_KINDS,
    TABLE_ROW_KINDS,
    DirtRates,
)

__all__ = [
    "CIN_FILE_KINDS",
    "CIN_ROW_KINDS",
    "FAMILIES",
    "FILE_KINDS",
    "HEADER_KINDS",
    "ROW_KINDS",
    "TABLE_FILE_KINDS",
    "TABLE_ROW_KINDS",
    "TRUTH_NAME",
    "DirtRates",
    "make_dirty",
]
