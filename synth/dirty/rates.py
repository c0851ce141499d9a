"""How much dirt: a rate per defect kind, shared by every family the kind applies to.

Row-level rates are shares of a file's data rows (for the CIN XML: its records, one per Child, CINdetails,
assessment, factor, plan, S47, CP plan, review and disability element): a file of n rows gets `rate * n` defects of
that kind, rounded stochastically (so 0.2 % of a 300-row file is 0 or 1 defect, 1 with probability 0.6). File-level
rates are the probability that a file gets that defect; a file gets at most one file-level defect, and none of the
row-level ones then (a rejected file's rows are never checked, so row defects in it could not be caught). Header
kinds (SSD, local, HR, finance) are a probability per file too, but the file still lands, so they come on top of the
row defects.

F07 (more than 2 % of a file's data rows rejected rejects the whole file): the eight row-rejecting 903 kinds at their
defaults add up to 1.6 % of rows on average (seven at 0.2 %, conflicting_key at 0.1 % rejecting two rows each), but
small files and unlucky draws can cross 2 %. With `keep_under_f07` (default) the row-rejecting defects of a file are
capped at n // 50, so the file always lands and every row defect is visible in the row quarantine; a file under 50
rows then gets none. A rejected CIN record takes the records under it along (a CINdetails its assessments, plans,
S47s and CP plans), and they count against the same cap. Without it every drawn defect is injected and a file that
crosses 2 % gets an extra truth line, kind `too_many_rejected_rows`, expected_rule F07. The cap assumes the generated
rows are clean (any row the generator already gets rejected counts against the same 2 %).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

ROW_RATE = 0.002
HEADER_RATE = 0.05


@dataclass(frozen=True)
class DirtRates:
    """Defect rates: row kinds as a share of data rows, file and header kinds as a probability per file."""

    # Row-level, rejecting the row (R*): counted against the F07 cap.
    wrong_year_code: float = ROW_RATE  # R02 (903): PLACE K3 in 2023-24, SEX 1/2 from 2024-25, Z1 open in 2025-26...
    unknown_code: float = ROW_RATE  # R02: a ★ code no year has (LS Z9, RNE Q, finance_placement_type HOTEL...)
    missing_mandatory: float = ROW_RATE  # R04: a required (N) value blanked
    bad_date: float = ROW_RATE  # R01: 31/02/2025, 2025-03-01, 1/3/2025 (903); 31/03/2025, 2025/03/31 (others)
    impossible_date: float = ROW_RATE  # R01 (SSD, local, HR, finance): 2025-02-30, 2025-04-31
    future_date: float = ROW_RATE  # R06: a date after the file's as-at date
    bad_datetime: float = ROW_RATE  # R01 (SSD): 31/10/2025 14:05, 2025-10-31T14.05
    bad_amount: float = ROW_RATE  # R01 (HR, finance, SSD): £1234.50, 1,234.50, (120.00)
    end_before_start: float = ROW_RATE  # R05: DEC on or before DECOM, an end date before its start
    rec_without_dec: float = ROW_RATE  # R05 (903): REC given on an episode without DEC
    period_outside_fy: float = ROW_RATE  # R05 (fin_ledger): period outside its fy (contract §4.2)
    perm_over_cap: float = ROW_RATE  # R05 (hr_employee): overlapping PERM assignments over 1.5 FTE (contract §4.1)
    conflicting_key: float = ROW_RATE / 2  # R03: a second row with the same key and other values (2 rows rejected)
    # Row-level, not rejecting the row.
    duplicate_row: float = ROW_RATE  # W01: an exact copy of a row, dropped
    legacy_code: float = ROW_RATE  # W07 (903): a retired code on an episode that ended before its retirement, kept
    invalid_postcode: float = ROW_RATE  # W05: a postcode column not a postcode, nulled
    unlisted_code: float = ROW_RATE  # W05 (SSD, local, HR, finance): a code not in a non-★ list, nulled
    null_literal: float = ROW_RATE  # W03 (SSD, local, HR, finance): NULL, N/A or None for a blank, read as null
    date_in_datetime: float = ROW_RATE  # W04 (SSD): a bare date in a datetime column, midnight assumed
    overlapping_episodes: float = ROW_RATE  # DQ_OVERLAP (903): an episode ends after the next one starts
    unclosed_episode: float = ROW_RATE  # DQ_UNCLOSED (903): an episode left open though a later one follows
    # Header-level (probability per file; SSD, local, HR, finance): the file still lands.
    prohibited_column: float = HEADER_RATE  # W10: a prohibited personal-data column (pers_forename...), dropped
    misnamed_column: float = HEADER_RATE  # W02: an optional column exported under another name, ignored
    # File-level (probability per file); all off by default.
    wrong_column_name: float = 0.0  # F02 (903: no table has that column set), F03 (others: a required column absent)
    duplicate_column: float = 0.0  # F04: a header name repeated
    not_utf8: float = 0.0  # F01: a Windows-1252 byte in a field
    broken_quote: float = 0.0  # F01: a field opens a quote that never closes
    manifest_mismatch: float = 0.0  # F09: _delivery.json rows or sha256 of the file is stale (monthly files only)
    la_mismatch: float = 0.0  # F06: a la_code column (CSV) or Header/Source/LEA (CIN) of another LA
    wrong_year_element: float = 0.0  # F05 (CIN): Sex before 2024-25, GenderCurrent from it, RC9 before 2022-23
    xsd_violation: float = 0.0  # F05 (CIN): 2025-02-30 in a date, true in a 0/1 flag
    # Keep each file's rejected rows within 2 % (see the module docstring).
    keep_under_f07: bool = True

    def scaled(self, factor: float) -> DirtRates:
        """These rates with every row-level and header-level rate multiplied by `factor` (file-level ones
        unchanged)."""
        changes = {name: getattr(self, name) * factor for name in (*ALL_ROW_KINDS, *HEADER_KINDS)}
        return DirtRates(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})


# The SSDA903 kinds, in the order their draws are made (the order keeps a seed's 903 dirt byte-identical).
ROW_KINDS = (
    "overlapping_episodes",
    "unclosed_episode",
    "legacy_code",
    "invalid_postcode",
    "wrong_year_code",
    "unknown_code",
    "missing_mandatory",
    "bad_date",
    "future_date",
    "end_before_start",
    "rec_without_dec",
    "conflicting_key",
    "duplicate_row",
)
FILE_KINDS = ("wrong_column_name", "duplicate_column", "not_utf8", "broken_quote", "manifest_mismatch")
# SSD, local, HR and finance CSVs (`synth.dirty.table_kinds`, `synth.dirty.table_files`).
TABLE_ROW_KINDS = (
    "invalid_postcode",
    "unlisted_code",
    "null_literal",
    "date_in_datetime",
    "missing_mandatory",
    "bad_date",
    "impossible_date",
    "future_date",
    "bad_datetime",
    "bad_amount",
    "unknown_code",
    "end_before_start",
    "period_outside_fy",
    "conflicting_key",
    "duplicate_row",
    "perm_over_cap",  # last, and only drawn for hr_employee: every other file's dirt stays byte-identical
)
HEADER_KINDS = ("prohibited_column", "misnamed_column")
TABLE_FILE_KINDS = (*FILE_KINDS, "la_mismatch")
# The CIN census XML (`synth.dirty.cin`).
CIN_ROW_KINDS = ("end_before_start", "future_date", "conflicting_key", "duplicate_row")
CIN_FILE_KINDS = ("wrong_year_element", "xsd_violation", "la_mismatch", "not_utf8", "manifest_mismatch")

ALL_ROW_KINDS = tuple(dict.fromkeys((*ROW_KINDS, *TABLE_ROW_KINDS, *CIN_ROW_KINDS)))
ALL_FILE_KINDS = tuple(dict.fromkeys((*FILE_KINDS, *TABLE_FILE_KINDS, *CIN_FILE_KINDS)))
