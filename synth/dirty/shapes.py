"""What the dirt needs to know of each 903 table, written from the input contract (§1.1.1, §1.1.4, §1.1.5).

Deliberately not read from `extract.tables`: the truth file is an independent statement of what the contract says
must be caught, so a mistake in the extract layer's registry cannot hide itself.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta


@dataclass(frozen=True)
class Shape:
    table: str
    columns: tuple[str, ...]
    pk: tuple[str, ...]
    required: tuple[str, ...]  # blank N: blank -> R04
    dates: tuple[str, ...]  # dd/mm/YYYY columns: bad form -> R01, after as_at -> R06 (unless future_ok)
    future_ok: tuple[str, ...] = ()
    unknown_codes: tuple[tuple[str, str], ...] = ()  # (★ column, a code that no collection year has) -> R02
    wrong_year: tuple[str, ...] = ()  # ★ columns whose list changes by year (see `wrong_year_code`, `legacy_code`)
    conflict: tuple[str, tuple[str, ...]] | None = None  # a non-key column and valid values, for R03 copies
    orderings: tuple[tuple[str, str, bool], ...] = ()  # (start, end, strict): end before start -> R05
    postcodes: tuple[str, ...] = ()
    episodes: bool = False  # CHILD/DECOM/DEC/REC episodes: overlaps, unclosed episodes, REC without DEC
    from_year: int | None = None  # first schema year of the table

    @property
    def column_set(self) -> frozenset[str]:
        return frozenset(self.columns)


def _codes(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{number}" for number in range(first, last + 1))


_ETHNIC = (
    *("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH"),
    *("BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"),
)
ETHNIC_CODES = _ETHNIC  # the ETHNIC list (§1.1.5), also the CIN census's Ethnicity
_SW_REASONS = ("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS")
_FLAGS = (
    *("CONVICTED", "HEALTH_CHECK", "IMMUNISATIONS", "TEETH_CHECK", "HEALTH_ASSESSMENT", "SUBSTANCE_MISUSE"),
    *("INTERVENTION_RECEIVED", "INTERVENTION_OFFERED"),
)
_CHILD_DOB = ("CHILD", "DOB")

SHAPES: tuple[Shape, ...] = (
    Shape(
        "header",
        ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB"),
        pk=("CHILD",),
        required=("CHILD", "SEX", "DOB", "ETHNIC", "UPN"),
        dates=("DOB", "MC_DOB"),
        unknown_codes=(("SEX", "X"),),
        wrong_year=("SEX",),
        conflict=("ETHNIC", _ETHNIC),
    ),
    Shape(
        "episodes",
        (
            *("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"),
            *("HOME_POST", "PL_POST", "URN"),
        ),
        pk=("CHILD", "DECOM"),
        required=("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE"),
        dates=("DECOM", "DEC"),
        unknown_codes=(("RNE", "Q"), ("LS", "Z9"), ("PLACE", "Q1"), ("REC", "E99")),
        wrong_year=("PLACE", "REC"),
        conflict=("CIN", _codes("N", 1, 8)),
        orderings=(("DECOM", "DEC", True),),
        postcodes=("HOME_POST", "PL_POST"),
        episodes=True,
    ),
    Shape(
        "reviews",
        ("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
        pk=("CHILD", "REVIEW"),
        required=("CHILD", "DOB", "REVIEW", "REVIEW_CODE"),
        dates=("DOB", "REVIEW"),
        unknown_codes=(("REVIEW_CODE", "PN9"),),
        conflict=("REVIEW_CODE", _codes("PN", 0, 7)),
    ),
    Shape(
        "uasc",
        ("CHILD", "SEX", "DOB", "DUC"),
        pk=("CHILD",),
        required=("CHILD", "SEX", "DOB"),
        dates=("DOB", "DUC"),
        future_ok=("DUC",),
        unknown_codes=(("SEX", "X"),),
        wrong_year=("SEX",),
    ),
    Shape(
        "oc2",
        (*_CHILD_DOB, "SDQ_SCORE", "SDQ_REASON", *_FLAGS),
        pk=("CHILD",),
        required=_CHILD_DOB,
        dates=("DOB",),
        conflict=("CONVICTED", ("0", "1")),
    ),
    Shape(
        "oc3",
        (*_CHILD_DOB, "IN_TOUCH", "ACTIV", "ACCOM"),
        pk=("CHILD",),
        required=(*_CHILD_DOB, "IN_TOUCH"),
        dates=("DOB",),
        unknown_codes=(("IN_TOUCH", "MAYBE"), ("ACTIV", "Q9"), ("ACCOM", "Q9")),
        wrong_year=("ACTIV",),
        conflict=("IN_TOUCH", ("YES", "NO")),
    ),
    Shape(
        "ad1",
        (*_CHILD_DOB, "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
        pk=("CHILD",),
        required=(*_CHILD_DOB, "DATE_INT", "DATE_MATCH", "FOSTER_CARE", "NB_ADOPTR", "SEX_ADOPTR", "LS_ADOPTR"),
        dates=("DOB", "DATE_INT", "DATE_MATCH"),
        conflict=("FOSTER_CARE", ("0", "1")),
    ),
    Shape(
        "placed_adoption",
        (*_CHILD_DOB, "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED"),
        pk=("CHILD", "DATE_PLACED"),
        required=(*_CHILD_DOB, "DATE_PLACED"),
        dates=("DOB", "DATE_PLACED", "DATE_PLACED_CEASED"),
        conflict=("REASON_PLACED_CEASED", _codes("RD", 1, 4)),
    ),
    Shape(
        "prev_perm",
        (*_CHILD_DOB, "PREV_PERM", "LA_PERM", "DATE_PERM"),
        pk=("CHILD",),
        required=(*_CHILD_DOB, "PREV_PERM"),
        dates=("DOB",),  # DATE_PERM may be a partial date (zz/MM/YYYY): left alone
        conflict=("PREV_PERM", ("P1", "P2", "P3", "P4", "Z1")),
    ),
    Shape(
        "missing",
        (*_CHILD_DOB, "MISSING", "MIS_START", "MIS_END"),
        pk=("CHILD", "MIS_START"),
        required=(*_CHILD_DOB, "MISSING", "MIS_START"),
        dates=("DOB", "MIS_START", "MIS_END"),
        unknown_codes=(("MISSING", "X"),),
        conflict=("MISSING", ("M", "A")),
        orderings=(("MIS_START", "MIS_END", False),),
    ),
    Shape(
        "sw_episodes",
        (*_CHILD_DOB, "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON"),
        pk=("CHILD", "SW_DECOM"),
        required=(*_CHILD_DOB, "SW_ID", "SW_DECOM"),
        dates=("DOB", "SW_DECOM", "SW_DEC"),
        conflict=("SW_REASON", _SW_REASONS),
        from_year=2024,
    ),
    Shape(
        "dolo",
        (*_CHILD_DOB, "DOLO_START", "DOLO_END"),
        pk=("CHILD", "DOLO_START"),
        required=(*_CHILD_DOB, "DOLO_START"),
        dates=("DOB", "DOLO_START", "DOLO_END"),
        from_year=2027,
    ),
)


def shape_of(header: list[str]) -> Shape | None:
    names = frozenset(name.strip().upper() for name in header)
    return next((shape for shape in SHAPES if shape.column_set == names), None)


# Placement types without a provider: a retired code replacing one of them is Z1, else H5 or P2.
_NO_PROVIDER = frozenset({*_codes("T", 0, 4), *_codes("Z", 11, 14)})
_PLACE_RETIRED_FROM = date(2025, 4, 1)  # H5, P2, Z1 leave the list in 2025-26 (schema year 2026)
_REC_RETIRED_FROM = date(2018, 4, 1)  # E43, E44 leave the list in 2018-19 (schema year 2019)


def wrong_year_code(column: str, year: int, value: str, end: date | None, rng: random.Random) -> str | None:
    """A code of `column` that is valid in some other collection year but not in schema year `year`, and that
    the legacy rule (W07: the episode ended before the code was retired) does not rescue; None when there is none.

    `value` is the row's current code and `end` its episode end (DEC), if any.
    """
    if column == "SEX":  # 1/2 up to 2023-24, M/F/U from 2024-25
        return {"1": "M", "2": "F"}.get(value) if year <= 2024 else {"M": "1", "F": "2"}.get(value)
    if column == "PLACE":
        if year <= 2024:
            return "K3"  # added in 2024-25
        if year == 2025:
            return rng.choice(_codes("Z", 11, 14))  # added in 2025-26
        if end is not None and end < _PLACE_RETIRED_FROM:
            return None
        return "Z1" if value in _NO_PROVIDER else rng.choice(("H5", "P2"))
    if column == "REC":
        if not value:
            return None
        if year <= 2018:
            return rng.choice(("E45", "E46", "E47", "E48"))
        return rng.choice(("E43", "E44")) if end is not None and end >= _REC_RETIRED_FROM else None
    if column == "ACTIV":
        if not value:
            return None
        return rng.choice(("F3", "P3")) if year >= 2022 else rng.choice(("F4", "P4", "F5", "P5"))
    return None


_P2_LAST_START = date(2023, 10, 27)  # P2 is invalid for episodes starting on or after 28/10/2023 (from 2023-24)


def legacy_code(column: str, year: int, value: str, decom: date) -> tuple[str, date] | None:
    """(a retired code of `column`, the last day the episode may end for the legacy rule to accept it: W07), for an
    episode starting on `decom` in a file of schema year `year`; None when the episode cannot have ended in time."""
    if column == "PLACE" and year >= 2026 and decom < _PLACE_RETIRED_FROM - timedelta(days=1):
        code = "Z1" if value in _NO_PROVIDER else "P2" if decom <= _P2_LAST_START else "H5"
        return code, _PLACE_RETIRED_FROM - timedelta(days=1)
    if column == "REC" and year >= 2019 and value and decom < _REC_RETIRED_FROM - timedelta(days=1):
        return ("E43" if value == "E41" else "E44"), _REC_RETIRED_FROM - timedelta(days=1)
    return None
