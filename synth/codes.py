"""Code lists, their validity in time and the fixed fictional places (postcodes, settings) of the generator.

Input contract §1.1.5: K3 exists from 2024-25; H5, P2 and Z1 are retired from 2025-26 (Z11-Z14 replace Z1);
P2 is invalid for episodes starting on or after 28/10/2023. The generator never starts a placement with a code
outside its window and ends (or recodes) any placement still open when its code is retired, so every episode
is valid in every file that contains it.
"""

from __future__ import annotations

from datetime import date

K3_FIRST_DAY = date(2024, 4, 1).toordinal()
Z1X_FIRST_DAY = date(2025, 4, 1).toordinal()
# Placements with a retiring code are closed on this day at the latest (REC X1, DEC < the first day without the
# code), and the child continues in the replacement placement from the same day.
FORCED_END: dict[str, int] = {
    "P2": date(2023, 10, 27).toordinal(),  # P2 may not start on or after 28/10/2023 (not even by an RNE L episode)
    "H5": date(2025, 3, 31).toordinal(),
    "Z1": date(2025, 3, 31).toordinal(),
}
# The code a retiring placement becomes when the same provider carries on (RNE T, reason PLACE); Z1 has none and
# the child moves to a new placement instead.
SUCCESSOR = {"P2": "H5", "H5": "K3"}

TEMPORARY = ("T0", "T1", "T2", "T3", "T4")
NO_PROVIDER = frozenset({*TEMPORARY, "Z1", "Z11", "Z12", "Z13", "Z14"})
FOSTER = frozenset({"U1", "U2", "U3", "U4", "U5", "U6"})
# Settings that carry an Ofsted URN (children's homes, supported accommodation, residential schools).
REGISTERED = frozenset({"K1", "K2", "K3", "H5", "S1", "R1"})


def semi_independent_code(day: int) -> str:
    """Supported accommodation for 16-17s: H5 until 2023-24, K3 (registered supported accommodation) after."""
    return "K3" if day >= K3_FIRST_DAY else "H5"


def can_start(place: str, day: int) -> bool:
    """Whether a placement of type `place` may begin on `day` and stay valid in every file that shows it."""
    if place in FORCED_END:
        return day < FORCED_END[place]
    if place == "K3":
        return day >= K3_FIRST_DAY
    if place.startswith("Z1") and place != "Z1":
        return day >= Z1X_FIRST_DAY
    return True


def other_placement_code(day: int, pick: float) -> str | None:
    """Z1 before its retirement, a Z11-Z14 sub-code after, None on the boundary day itself."""
    if can_start("Z1", day):
        return "Z1"
    if day >= Z1X_FIRST_DAY:
        return ("Z11", "Z12", "Z13", "Z14")[int(pick * 4)]
    return None


ETHNIC_WEIGHTS: dict[str, float] = {
    "WBRI": 38.0,
    "WIRI": 0.5,
    "WIRT": 0.5,
    "WOTH": 8.0,
    "WROM": 2.0,
    "MWBC": 5.0,
    "MWBA": 2.0,
    "MWAS": 3.0,
    "MOTH": 4.0,
    "AIND": 4.0,
    "APKN": 9.0,
    "ABAN": 1.0,
    "AOTH": 4.0,
    "BCRB": 2.0,
    "BAFR": 6.0,
    "BOTH": 2.0,
    "CHNE": 0.5,
    "OOTH": 4.0,
    "REFU": 0.5,
    "NOBT": 1.0,
}
# N1 abuse or neglect dominates; N4 family dysfunction next; N2 disability mostly for short-break children.
CIN_WEIGHTS: dict[str, float] = {
    "N1": 62.0,
    "N2": 3.0,
    "N3": 3.0,
    "N4": 16.0,
    "N5": 6.0,
    "N6": 1.0,
    "N7": 2.0,
    "N8": 7.0,
}
REASON_PLACE_CHANGE_WEIGHTS: dict[str, float] = {
    "CARPL": 36.0,
    "CREQB": 12.0,
    "CREQO": 9.0,
    "CHILD": 8.0,
    "LAREQ": 8.0,
    "CLOSE": 5.0,
    "ALLEG": 3.0,
    "STAND": 3.0,
    "APPRR": 1.0,
    "PLACE": 3.0,
    "OTHER": 11.0,
    "CUSTOD": 1.0,
}
TEMPORARY_WEIGHTS: dict[str, float] = {"T0": 5.0, "T1": 25.0, "T2": 20.0, "T3": 30.0, "T4": 20.0}

# Real postcode units (public ONS data; no address is personal) in and around the LA (SL1-SL3 lie in Slough) and
# further away (out-of-area placements): the DfE 903 validator geocodes them, so distances and PL_LA are derived.
LOCAL_POSTCODES: tuple[str, ...] = (
    *("SL1 1AE", "SL1 2DW", "SL1 3EF", "SL1 4QA", "SL1 5NG", "SL1 6HT", "SL1 7JA", "SL1 8ES", "SL1 9AD"),
    *("SL2 1JP", "SL2 2LS", "SL2 3AF", "SL2 5BE", "SL2 5PA"),
    *("SL3 7RU", "SL3 8NX", "SL3 9AD", "SL3 0PA"),
)
NEAR_POSTCODES: tuple[str, ...] = (
    *("SL4 3AX", "SL6 1PT", "UB8 1PH", "UB7 9DJ", "TW6 2GA", "HP10 9QN", "RG1 1AZ", "RG2 7AD", "HP1 1BB"),
)
FAR_POSTCODES: tuple[str, ...] = (
    *("HP11 2DA", "MK9 3XS", "OX1 2JD", "GU1 4RP", "LU1 2TG", "B1 1TT", "M1 4BT", "PO1 2DT", "NN1 5EX", "CV1 2GT"),
)
