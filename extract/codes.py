"""SSDA903 code lists as data (input contract §1.1.4, §1.1.5): a base list per item plus its changes by year.

Years are schema years (the end year of a collection year: 2025-26 -> 2026). A list that changes is the base list
(valid up to 2017-18) with every change up to the file's schema year applied in order. A code that has been removed
is "retired" from the first schema year without it; the legacy rule (W07) in `extract.rows` uses that year.
"""

from __future__ import annotations

from functools import cache


def _range(prefix: str, first: int, last: int) -> tuple[str, ...]:
    return tuple(f"{prefix}{number}" for number in range(first, last + 1))


# Lists that change by collection year: base (<= 2017-18) and {schema year: (removed, added)}.
_BASE: dict[str, tuple[str, ...]] = {
    "PLACE": (
        *("A3", "A4", "A5", "A6", "H5", "K1", "K2", "P1", "P2", "P3", "R1", "R2", "R3", "R5", "S1"),
        *_range("T", 0, 4),
        *_range("U", 1, 6),
        "Z1",
    ),
    "REC": (
        *("X1", "E11", "E12", "E13", "E14", "E15", "E16", "E17", "E2", "E3", "E41", "E43", "E44"),
        *("E4A", "E4B", "E5", "E6", "E7", "E8", "E9"),
    ),
    "REASON_PLACE_CHANGE": (
        *("CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "OTHER"),
    ),
    "ACTIV": ("F1", "P1", "F2", "P2", "F3", "P3", "G4", "G5", "G6", "0"),
    "SEX": ("1", "2"),
}
_CHANGES: dict[str, dict[int, tuple[tuple[str, ...], tuple[str, ...]]]] = {
    "PLACE": {2025: ((), ("K3",)), 2026: (("H5", "P2", "Z1"), ("Z11", "Z12", "Z13", "Z14"))},
    "REC": {2019: (("E43", "E44"), ("E45", "E46", "E47", "E48"))},
    "REASON_PLACE_CHANGE": {2019: ((), ("CUSTOD",))},
    "ACTIV": {2022: (("F3", "P3"), ("F4", "P4", "F5", "P5"))},
    "SEX": {2025: (("1", "2"), ("M", "F", "U"))},
}

# Lists that are the same in every year.
_STATIC: dict[str, tuple[str, ...]] = {
    "RNE": ("S", "L", "P", "T", "B", "U"),
    "LS": ("C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"),
    "CIN": _range("N", 1, 8),
    "PLACE_PROVIDER": _range("PR", 0, 5),
    "ETHNIC": (
        *("WBRI", "WIRI", "WIRT", "WOTH", "WROM", "MWBC", "MWBA", "MWAS", "MOTH", "AIND", "APKN", "ABAN", "AOTH"),
        *("BCRB", "BAFR", "BOTH", "CHNE", "OOTH", "REFU", "NOBT"),
    ),
    "FLAG01": ("0", "1"),
    "REVIEW_CODE": _range("PN", 0, 7),
    "SDQ_REASON": _range("SDQ", 1, 5),
    "IN_TOUCH": ("YES", "NO", "DIED", "REFU", "NREQ", "RHOM"),
    "ACCOM": (*(f"{letter}{digit}" for letter in "BCDEGHKRSTUVWXYZ" for digit in "12"), "0"),
    "SEX_ADOPTR": ("M1", "F1", "MM", "FF", "MF"),
    "LS_ADOPTR": ("L0", "L11", "L12", "L2", "L3", "L4"),
    "REASON_PLACED_CEASED": _range("RD", 1, 4),
    "PREV_PERM": ("P1", "P2", "P3", "P4", "Z1"),
    "MISSING": ("M", "A"),
    "SW_REASON": (
        *("MANAGE", "FCONTA", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS"),
    ),
}

# Placement types that take no PLACE_PROVIDER (and no URN): temporary moves and "other placements".
PLACE_WITHOUT_PROVIDER = frozenset({*_range("T", 0, 4), "Z1", *_range("Z", 11, 14)})


def schema_year(collection_year: str) -> int:
    """'2025-26' -> 2026."""
    return int(collection_year[:4]) + 1


@cache
def codes_for(item: str, year: int) -> frozenset[str]:
    """The codes of `item` valid in schema year `year`."""
    if item in _STATIC:
        return frozenset(_STATIC[item])
    codes = set(_BASE[item])
    for change_year, (removed, added) in sorted(_CHANGES.get(item, {}).items()):
        if change_year <= year:
            codes.difference_update(removed)
            codes.update(added)
    return frozenset(codes)


def retired_from(item: str, code: str) -> int | None:
    """The first schema year without `code` when it was once valid and later removed; None otherwise."""
    for change_year, (removed, _added) in sorted(_CHANGES.get(item, {}).items()):
        if code in removed:
            return change_year
    return None


def known_items() -> frozenset[str]:
    return frozenset(_STATIC) | frozenset(_BASE)
