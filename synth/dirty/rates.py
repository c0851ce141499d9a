"""How much dirt: a rate per defect kind.

Row-level rates are shares of a file's data rows: a file of n rows gets `rate * n` defects of that kind, rounded
stochastically (so 0.2 % of a 300-row file is 0 or 1 defect, 1 with probability 0.6). File-level rates are the
probability that a file gets that defect; a file gets at most one file-level defect, and none of the row-level ones
then (a rejected file's rows are never checked, so row defects in it could not be caught).

F07 (more than 2 % of a file's data rows rejected rejects the whole file): the eight row-rejecting kinds at their
defaults add up to 1.6 % of rows on average (seven at 0.2 %, conflicting_key at 0.1 % rejecting two rows each), but
small files and unlucky draws can cross 2 %. With `keep_under_f07` (default) the row-rejecting defects of a file are
capped at n // 50, so the file always lands and every row defect is visible in the row quarantine; a file under 50
rows then gets none. Without it every drawn defect is injected and a file that crosses 2 % gets an extra truth line,
kind `too_many_rejected_rows`, expected_rule F07. The cap assumes the generated rows are clean (any row the generator
already gets rejected counts against the same 2 %).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

ROW_RATE = 0.002


@dataclass(frozen=True)
class DirtRates:
    """Defect rates: row kinds as a share of data rows, file kinds as a probability per file."""

    # Row-level, rejecting the row (R*): counted against the F07 cap.
    wrong_year_code: float = ROW_RATE  # R02: PLACE K3 in 2023-24, SEX 1/2 from 2024-25, Z1 open in 2025-26...
    unknown_code: float = ROW_RATE  # R02: a ★ code no year has (LS Z9, RNE Q...)
    missing_mandatory: float = ROW_RATE  # R04: a required (N) value blanked
    bad_date: float = ROW_RATE  # R01: 31/02/2025, 2025-03-01, 1/3/2025
    future_date: float = ROW_RATE  # R06: a date after the file's as-at date
    end_before_start: float = ROW_RATE  # R05: DEC on or before DECOM (MIS_END before MIS_START)
    rec_without_dec: float = ROW_RATE  # R05: REC given on an episode without DEC
    conflicting_key: float = ROW_RATE / 2  # R03: a second row with the same key and other values (2 rows rejected)
    # Row-level, not rejecting the row.
    duplicate_row: float = ROW_RATE  # W01: an exact copy of a row, dropped
    legacy_code: float = ROW_RATE  # W07: a retired code on an episode that ended before its retirement, kept
    invalid_postcode: float = ROW_RATE  # W05: HOME_POST/PL_POST not a postcode, nulled
    overlapping_episodes: float = ROW_RATE  # DQ_OVERLAP: an episode ends after the next one starts
    unclosed_episode: float = ROW_RATE  # DQ_UNCLOSED: an episode left open though a later one follows
    # File-level (probability per file); all off by default.
    wrong_column_name: float = 0.0  # F02: a header name misspelt, so the column set matches no table
    duplicate_column: float = 0.0  # F04: a header name repeated
    not_utf8: float = 0.0  # F01: a Windows-1252 byte in a field
    broken_quote: float = 0.0  # F01: a field opens a quote that never closes
    manifest_mismatch: float = 0.0  # F09: _delivery.json rows or sha256 of the file is stale (monthly files only)
    # Keep each file's rejected rows within 2 % (see the module docstring).
    keep_under_f07: bool = True

    def scaled(self, factor: float) -> DirtRates:
        """These rates with every row-level rate multiplied by `factor` (file-level ones unchanged)."""
        changes = {name: getattr(self, name) * factor for name in ROW_KINDS}
        return DirtRates(**{**{f.name: getattr(self, f.name) for f in fields(self)}, **changes})


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
