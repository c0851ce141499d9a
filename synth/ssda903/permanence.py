"""PrevPerm (children starting a period of care): did the child leave an earlier period of care, here or in
another LA, through adoption (P1), a special guardianship order (P2) or a child arrangements order (P3)?

A child coming back to this LA after a child arrangements order (E41) records P3 with that order's date; others
mostly record Z1 (none), a few an order made before the simulation saw them. LA_PERM and DATE_PERM are filled
whenever PREV_PERM is not Z1 (rule 630); DATE_PERM may be a partial date (`zz/MM/YYYY`).
"""

from __future__ import annotations

from synth.calendar import dmy
from synth.careers import weighted
from synth.population import Child
from synth.ssda903.periods import Period, care_periods, child_rng

EARLIER_ORDER: dict[str, float] = {"Z1": 90.0, "P1": 1.5, "P2": 4.5, "P3": 3.5, "P4": 0.5}
# Previous permanence recorded for a child returning after leaving an earlier period of care here.
_RETURN_CODE = {"E41": "P3", "E45": "P2", "E46": "P2", "E47": "P2", "E48": "P2", "E11": "P1", "E12": "P1"}
# DfE LA numbers of nearby LAs where an earlier order may have been made.
_OTHER_LAS = ("867", "868", "825", "870", "872", "303", "310", "311")


def prev_perm(
    child: Child, seed: int, la_code: str, period: Period, previous: Period | None, own_la_number: str
) -> tuple[str, str, str]:
    """(PREV_PERM, LA_PERM, DATE_PERM) recorded when `period` started."""
    rng = child_rng(seed, la_code, f"prevperm|{period.start}", child.child_id)
    if previous is not None and previous.rec in _RETURN_CODE:
        return _RETURN_CODE[previous.rec], own_la_number, dmy(previous.end)
    code = weighted(rng, EARLIER_ORDER)
    if code == "Z1" or period.start - child.dob < 400:
        return "Z1", "", ""
    day = rng.randint(child.dob + 180, period.start - 180)
    date_text = dmy(day)
    if rng.random() < 0.1:
        date_text = "zz" + date_text[2:]
    return code, own_la_number if rng.random() < 0.6 else rng.choice(_OTHER_LAS), date_text


def periods_with_previous(child: Child) -> list[tuple[Period, Period | None]]:
    periods = care_periods(child)
    return [(period, periods[index - 1] if index else None) for index, period in enumerate(periods)]
