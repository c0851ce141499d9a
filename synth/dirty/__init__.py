"""Dirt on request: the defects real 903 exports have, injected at set rates into written files, with a truth file
that lists each one and the rule the extract layer must report for it (input contract §0.8, §1.1.6).

Kinds (expected rule): wrong_year_code and unknown_code (R02), missing_mandatory (R04), bad_date (R01),
future_date (R06), end_before_start and rec_without_dec (R05), conflicting_key (R03, every row of the key),
duplicate_row (W01), legacy_code (W07), invalid_postcode (W05); overlapping_episodes (DQ_OVERLAP) and
unclosed_episode (DQ_UNCLOSED), data-quality checks downstream and not input rejections; file-level
wrong_column_name (F02), duplicate_column (F04), not_utf8 and broken_quote (F01), manifest_mismatch (F09); and
too_many_rejected_rows (F07) when uncapped row defects push a file over 2 %. Rates and the F07 cap:
`synth.dirty.rates`.
"""

from synth.dirty.make import TRUTH_NAME, make_dirty
from synth.dirty.rates import FILE_KINDS, ROW_KINDS, DirtRates

__all__ = ["FILE_KINDS", "ROW_KINDS", "TRUTH_NAME", "DirtRates", "make_dirty"]
