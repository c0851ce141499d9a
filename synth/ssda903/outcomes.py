"""Annual outcome tables: OC2 (children looked after continuously for 12 months at 31 March) and OC3 (care
leavers around their 17th-21st birthday), with the cohort rules the DfE validator applies.

OC2: looked after since 1 April or earlier and still at 31 March (the validator's CONTINUOUSLY_LOOKED_AFTER); an
in-year file lists the children on course for it (in care since 1 April and still at the as_at date). SDQ for
ages 4-16, the health-check flag under 5 at 31 March, the conviction flag from 10, substance-misuse follow-ups.

OC3: a former relevant child (13+ weeks looked after after the 14th birthday, some of it after the 16th, not
adopted, did not die in care or move to another LA) who is not looked after on a 17th-21st birthday falling in
the year, and, at 17 or 18, left care before that birthday (rules 1001/1007/1016; staying put ends on the 18th).
Information is collected around the birthday, so an in-year file has the birthdays up to its as_at date.
"""

from __future__ import annotations

from synth.calendar import anniversary
from synth.careers import weighted
from synth.population import Child
from synth.ssda903.periods import ADOPTED, Period, care_periods, child_rng

NOT_CARE_LEAVERS = ADOPTED | {"E2", "E3", "E15"}  # adopted, died, transferred to another LA, assessed as an adult
SDQ_NO_SCORE = {"SDQ2": 20.0, "SDQ3": 15.0, "SDQ4": 45.0, "SDQ5": 20.0}  # SDQ1 (age) is only for 4/17-year-olds
SDQ_SCORE_SHARE = 0.78
IN_TOUCH: dict[str, float] = {"YES": 88.0, "NO": 5.0, "REFU": 2.0, "NREQ": 3.0, "RHOM": 2.0}
# Activity at the 17th-18th and the 19th-21st birthdays (2021-22 codes; F3/P3 before).
ACTIVITY: dict[str, dict[str, float]] = {
    "young": {"F2": 45.0, "P2": 6.0, "F4": 6.0, "P4": 1.0, "F5": 6.0, "P5": 3.0, "G4": 5.0, "G5": 24.0, "G6": 4.0},
    "older": {
        "F1": 8.0,
        "P1": 1.0,
        "F2": 12.0,
        "P2": 3.0,
        "F4": 5.0,
        "P4": 1.0,
        "F5": 17.0,
        "P5": 8.0,
        "G4": 8.0,
        "G5": 29.0,
        "G6": 8.0,
    },
}
_LEGACY_ACTIVITY = {"F4": "F3", "F5": "F3", "P4": "P3", "P5": "P3"}  # before 2021-22
ACCOMMODATION: dict[str, dict[str, float]] = {
    "young": {"B": 14.0, "C": 6.0, "D": 30.0, "E": 12.0, "K": 2.0, "U": 22.0, "S": 2.0, "X": 3.0, "V": 2.0, "Y": 7.0},
    "older": {
        "B": 14.0,
        "C": 1.0,
        "D": 14.0,
        "E": 7.0,
        "K": 4.0,
        "U": 38.0,
        "S": 3.0,
        "T": 2.0,
        "X": 3.0,
        "V": 2.0,
        "W": 1.0,
        "Y": 4.0,
        "Z": 6.0,
        "G": 1.0,
    },
}
UNSUITABLE_SHARE = {"S": 1.0, "V": 0.7, "W": 0.8, "X": 1.0}  # default 0.08; S and X are always unsuitable


def _continuously_looked_after(periods: list[Period], first: int, last: int, as_at: int) -> bool:
    """In care on `first` (entered on or before it) and, as far as the file knows, still at `last`."""
    until = min(last, as_at + 1)
    return any(period.start <= first and period.end >= until for period in periods)


def oc2_row_values(
    child: Child, seed: int, la_code: str, first: int, last: int, as_at: int, periods: list[Period] | None = None
) -> list[str] | None:
    """The OC2 values after CHILD and DOB for the year `first`..`last`, or None when the child is not in OC2.
    `periods`: the child's care periods when the caller has them already."""
    if not _continuously_looked_after(care_periods(child) if periods is None else periods, first, last, as_at):
        return None
    rng = child_rng(seed, la_code, f"oc2|{first}", child.child_id)
    fourth, fifth, tenth, seventeenth = (anniversary(child.dob, years) for years in (4, 5, 10, 17))
    sdq_score, sdq_reason = "", ""
    if fourth <= last and seventeenth > first:  # aged 4-16 in the year (rules 186/188/189/197B)
        if rng.random() < SDQ_SCORE_SHARE:
            sdq_score = str(min(40, max(0, round(rng.gauss(14.5, 6.5)))))
        elif fourth >= first or seventeenth <= last:
            sdq_reason = "SDQ1" if rng.random() < 0.5 else weighted(rng, SDQ_NO_SCORE)
        else:
            sdq_reason = weighted(rng, SDQ_NO_SCORE)
    convicted = ("1" if rng.random() < 0.03 else "0") if last > tenth else ""
    health_check = ("1" if rng.random() < 0.9 else "0") if last < fifth else ""
    immunisations = "1" if rng.random() < 0.85 else "0"
    teeth = "1" if rng.random() < 0.8 else "0"
    assessment = "1" if rng.random() < 0.9 else "0"
    substance = "1" if last > tenth and rng.random() < 0.06 else "0"
    received, offered = "", ""
    if substance == "1":
        received = "1" if rng.random() < 0.6 else "0"
        offered = ("1" if rng.random() < 0.5 else "0") if received == "0" else ""
    return [
        sdq_score, sdq_reason, convicted, health_check, immunisations, teeth, assessment, substance, received, offered
    ]  # fmt: skip


def _former_relevant(child: Child, periods: list[Period]) -> bool:
    fourteenth, sixteenth = anniversary(child.dob, 14), anniversary(child.dob, 16)
    after_14 = sum(max(0, period.end - max(period.start, fourteenth)) for period in periods)
    after_16 = sum(max(0, period.end - max(period.start, sixteenth)) for period in periods)
    return after_14 >= 91 and after_16 >= 1 and periods[-1].rec not in NOT_CARE_LEAVERS


def former_relevant(child: Child, periods: list[Period]) -> bool:
    """A former relevant child (`periods`: the child's care periods), who may be in OC3 on a birthday."""
    return bool(periods) and _former_relevant(child, periods)


def oc3_birthday(child: Child, first: int, last: int) -> tuple[int, int] | None:
    """(age, birthday) of the child's OC3 birthday in `first`..`last`, or None when not in the OC3 cohort."""
    periods = care_periods(child)
    return oc3_birthday_of_former(child, periods, first, last) if former_relevant(child, periods) else None


def oc3_birthday_of_former(child: Child, periods: list[Period], first: int, last: int) -> tuple[int, int] | None:
    """`oc3_birthday` of a child known to be former relevant, with its care periods."""
    for age in range(17, 22):
        birthday = anniversary(child.dob, age)
        if not first <= birthday <= last:
            continue
        if any(period.start <= birthday < period.end for period in periods):
            return None  # still (or again) looked after on the birthday
        if age in (17, 18) and periods[-1].end >= birthday:
            return None  # left care on or after the 17th/18th birthday, e.g. staying put at 18 (rule 1016)
        return age, birthday
    return None


def oc3_values(child: Child, seed: int, la_code: str, age: int, schema_year: int) -> list[str]:
    """IN_TOUCH, ACTIV, ACCOM at the child's `age` birthday, with the codes of the file's schema year."""
    rng = child_rng(seed, la_code, f"oc3|{age}", child.child_id)
    in_touch = weighted(rng, IN_TOUCH)
    if in_touch != "YES":  # not known (0): the validator wants both coded whatever IN_TOUCH (rules 132/133/344)
        return [in_touch, "0", "0"]
    band = "young" if age <= 18 else "older"
    activity = weighted(rng, ACTIVITY[band])
    if schema_year <= 2021:
        activity = _LEGACY_ACTIVITY.get(activity, activity)
    letter = weighted(rng, ACCOMMODATION[band])
    if age == 17 and letter in ("Z", "T"):  # no staying put or foyer at 17 (rules 3001/347)
        letter = "D"
    suitable = "2" if rng.random() < UNSUITABLE_SHARE.get(letter, 0.08) else "1"
    return [in_touch, activity, letter + suitable]
