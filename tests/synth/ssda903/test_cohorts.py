"""OC2 and OC3 cohorts, PrevPerm and the care-leaver Header rows on a handful of children checked by hand."""

from __future__ import annotations

from datetime import date

from synth.careers import Episode
from synth.extracts import cut_903
from synth.population import Child
from synth.ssda903 import cut_903_extra_tables, oc3_leaver_ids

LA, SEED = "E06000039", 1
CY, AS_AT = "2025-26", date(2026, 3, 31)


def d(text: str) -> int:
    return date.fromisoformat(text).toordinal()


def child(child_id: str, dob: str, *periods: tuple[str, str, str], sex: str = "F") -> Child:
    episodes = [
        Episode(d(start), d(end), "S", "C2", "N1", "U4", "PR1", rec, "", "SL1 2DW", "SL2 1JP", "XXXXXXX")
        for start, end, rec in periods
    ]
    return Child(child_id, sex, d(dob), "WBRI", "A871000000001", None, episodes)


CHILDREN = [
    # In care since 10/02/2024 and still at 31/03/2026: continuously looked after for the whole year -> OC2.
    child("A", "2014-05-01", ("2024-02-10", "2030-01-01", "E8")),
    # Entered on 02/04/2025, after the first day of the year -> not OC2; starts a period -> PrevPerm.
    child("B", "2014-05-01", ("2025-04-02", "2030-01-01", "E8")),
    # Left care the day before the 18th birthday (10/06/2025), in the year -> OC3 at 18 (in Episodes too).
    child("C", "2007-06-10", ("2022-01-01", "2025-06-09", "E8")),
    # Left at 16.7 on 01/03/2025, 14 months in care after the 14th birthday -> OC3 at the 17th birthday, no
    # episode in the file, so a Header row with a blank MOTHER (DfE rule 628).
    child("D", "2008-06-10", ("2024-01-01", "2025-03-01", "E13")),
    # Only 59 days in care after the 14th birthday (needs 13 weeks) -> not a care leaver.
    child("E", "2008-06-10", ("2025-01-01", "2025-03-01", "E13")),
    # Adopted -> never a care leaver; not in care at 31 March -> not OC2.
    child("F", "2008-06-10", ("2023-01-01", "2024-08-01", "E11")),
    # Still in care on the 17th birthday (in the year) -> no OC3.
    child("G", "2009-01-15", ("2023-01-01", "2027-01-14", "E8")),
]


def test_oc2_oc3_and_prevperm_cohorts_by_hand():
    rows = cut_903_extra_tables(CHILDREN, LA, CY, AS_AT, SEED)
    assert [row[0] for row in rows["oc2"]] == ["A", "G"]
    assert [row[0] for row in rows["oc3"]] == ["C", "D"]
    assert [row[0] for row in rows["prev_perm"]] == ["B"]
    assert oc3_leaver_ids(CHILDREN, CY, AS_AT) == {"C", "D"}
    # A is 11 at 31 March: an SDQ score or reason, the conviction flag, no under-5 health check.
    sdq_score, sdq_reason, convicted, health_check = rows["oc2"][0][2:6]
    assert (sdq_score != "") != (sdq_reason != "") and convicted in ("0", "1") and health_check == ""


def test_in_year_cut_knows_only_the_birthdays_so_far():
    # As at 31/05/2025 neither care leaver has had the birthday yet (10/06).
    assert oc3_leaver_ids(CHILDREN, CY, date(2025, 5, 31)) == set()
    assert oc3_leaver_ids(CHILDREN, CY, date(2025, 6, 30)) == {"C", "D"}


def test_care_leavers_get_header_rows_without_mother():
    headers, episodes = cut_903(CHILDREN, CY, AS_AT, leavers=oc3_leaver_ids(CHILDREN, CY, AS_AT))
    by_child = {row[0]: row for row in headers}
    assert sorted(by_child) == ["A", "B", "C", "D", "G"]  # E and F left care before the year
    assert "D" not in {row[0] for row in episodes}
    assert by_child["D"][5:] == ["", ""]  # care leaver only: MOTHER blank (rule 628)
    assert by_child["A"][5:] == ["0", ""]  # a girl looked after in the file: MOTHER completed (rule 393)


def test_staying_put_at_18_is_not_an_oc3_leaver_at_18():
    # E17 ends on the 18th birthday (20/07/2025, in the year): care ended on the birthday, so no OC3 row at 18
    # (DfE rule 1016); the day before, as C above, it would be one.
    staying_put = child("H", "2007-07-20", ("2022-01-01", "2025-07-20", "E17"))
    left_before = child("J", "2007-07-20", ("2022-01-01", "2025-07-19", "E8"))
    assert oc3_leaver_ids([staying_put, left_before], CY, AS_AT) == {"J"}
