"""The SSD alternatives to the CIN census and the review tables (input contract §2.3, §2.4) agree with the CIN XML
and the 903 Reviews cut from the same truth, keep their dates in order, and name each record once."""

from __future__ import annotations

from collections import Counter
from datetime import date

from lxml import etree

from synth.calendar import dmy
from synth.cin.census import census_xml
from synth.ssda903.tables import cut_903_extra_tables
from tests.synth.ssd.conftest import AS_OF, LA, SEED

KEYS = {
    "ssd_cin_episodes": "cine_referral_id",
    "ssd_cin_assessments": "cina_assessment_id",
    "ssd_cin_plans": "cinp_cin_plan_id",
    "ssd_s47_enquiry": "s47e_s47_enquiry_id",
    "ssd_cp_plans": "cppl_cp_plan_id",
    "ssd_cp_reviews": "cppr_cp_review_id",
    "ssd_cla_reviews": "clar_cla_review_id",
}
# (start, end) columns that must be in order when both are known.
ORDERED = {
    "ssd_cin_episodes": ("cine_referral_date", "cine_close_date"),
    "ssd_cin_assessments": ("cina_assessment_start_date", "cina_assessment_auth_date"),
    "ssd_cin_plans": ("cinp_cin_plan_start_date", "cinp_cin_plan_end_date"),
    "ssd_s47_enquiry": ("s47e_s47_start_date", "s47e_s47_end_date"),
    "ssd_cp_plans": ("cppl_cp_plan_start_date", "cppl_cp_plan_end_date"),
}


def _census(organisation) -> etree._Element:
    data, _ = census_xml(organisation.cin, LA, "2026-27", AS_OF)
    return etree.fromstring(data)


def _episodes(document: etree._Element):
    for child in document.iterfind("Children/Child"):
        child_id = child.findtext("ChildIdentifiers/LAchildID")
        for episode in child.iterfind("CINdetails"):
            yield child_id, episode


def test_ids_are_unique_and_dates_in_order(organisation):
    for table, key in KEYS.items():
        _, rows = organisation.read("ssd", table)
        assert rows and len({row[key] for row in rows}) == len(rows), table
    for table, (start, end) in ORDERED.items():
        _, rows = organisation.read("ssd", table)
        assert all(row[start] <= row[end] for row in rows if row[end]), table
        assert any(not row[end] for row in rows), table  # some still open at the as-at date


def test_referrals_assessments_enquiries_and_plans_match_the_census(organisation):
    """Every record of the in-year census is in the SSD tables with the same dates (the SSD window is wider)."""
    _, episodes = organisation.read("ssd", "ssd_cin_episodes")
    _, assessments = organisation.read("ssd", "ssd_cin_assessments")
    _, enquiries = organisation.read("ssd", "ssd_s47_enquiry")
    _, cin_plans = organisation.read("ssd", "ssd_cin_plans")
    _, cp_plans = organisation.read("ssd", "ssd_cp_plans")
    ssd_episodes = {(r["cine_person_id"], r["cine_referral_date"]): r for r in episodes}
    ssd_assessments = {(r["cina_person_id"], r["cina_assessment_start_date"]): r for r in assessments}
    ssd_enquiries = {(r["s47e_person_id"], r["s47e_s47_start_date"]): r for r in enquiries}
    ssd_cin_plans = {(r["cinp_person_id"], r["cinp_cin_plan_start_date"]): r for r in cin_plans}
    ssd_cp_plans = {(r["cppl_person_id"], r["cppl_cp_plan_start_date"]): r for r in cp_plans}
    counts = Counter()
    for child_id, episode in _episodes(_census(organisation)):
        ssd = ssd_episodes[(child_id, episode.findtext("CINreferralDate"))]
        assert ssd["cine_close_date"] == (episode.findtext("CINclosureDate") or "")
        assert ssd["cine_close_reason"] == (episode.findtext("ReasonForClosure") or "")
        assert ssd["cine_cin_primary_need_code"] == (episode.findtext("PrimaryNeedCode") or "")
        assert ssd["cine_referral_nfa"] == {"1": "Y", "0": "N"}[episode.findtext("ReferralNFA")]
        for assessment in episode.iterfind("Assessments"):
            row = ssd_assessments[(child_id, assessment.findtext("AssessmentActualStartDate"))]
            assert row["cina_assessment_auth_date"] == (assessment.findtext("AssessmentAuthorisationDate") or "")
            assert row["cina_referral_id"] == ssd["cine_referral_id"]
            counts["assessments"] += 1
        for s47 in episode.iterfind("Section47"):
            row = ssd_enquiries[(child_id, s47.findtext("S47ActualStartDate"))]
            if s47.findtext("ICPCnotRequired") == "1":
                assert row["s47e_s47_end_date"] and '"CP_CONFERENCE_FLAG":"N"' in row["s47e_s47_outcome_json"]
            counts["s47"] += 1
        for plan in episode.iterfind("CINPlanDates"):
            row = ssd_cin_plans[(child_id, plan.findtext("CINPlanStartDate"))]
            assert row["cinp_cin_plan_end_date"] == (plan.findtext("CINPlanEndDate") or "")
            assert bool(row["local_step_down_to"]) == bool(row["cinp_cin_plan_end_date"])
            counts["cin_plans"] += 1
        for plan in episode.iterfind("ChildProtectionPlans"):
            row = ssd_cp_plans[(child_id, plan.findtext("CPPstartDate"))]
            assert row["cppl_cp_plan_end_date"] == (plan.findtext("CPPendDate") or "")
            assert row["local_number_of_previous_cpp"] == plan.findtext("NumberOfPreviousCPP")
            assert row["cppl_cp_plan_latest_category"] == plan.findtext("LatestCategoryOfAbuse")
            assert bool(row["local_end_reason"]) == bool(row["cppl_cp_plan_end_date"])
            counts["cp_plans"] += 1
    assert min(counts.values()) > 100, counts


def test_assessment_type_team_and_worker(organisation):
    """PREBIRTH when the assessment started before the birth; team and worker are the case holder's that day."""
    dob = {child.child_id: child.dob for child in organisation.cin}
    _, rows = organisation.read("ssd", "ssd_cin_assessments")
    for row in rows:
        start = date.fromisoformat(row["cina_assessment_start_date"]).toordinal()
        assert row["local_assessment_type"] == ("PREBIRTH" if start < dob[row["cina_person_id"]] else "CF")
    assert Counter(row["local_assessment_type"] for row in rows)["PREBIRTH"] > 50
    holders = organisation.casework.holders
    for row in rows[::50]:
        holder = holders.on(row["cina_person_id"], date.fromisoformat(row["cina_assessment_start_date"]).toordinal())
        assert (row["cina_assessment_team"], row["cina_assessment_worker_id"]) == (
            (holder.team_id, holder.worker_id) if holder else ("", "")
        )


def test_cp_reviews_match_the_census_reviews(organisation):
    _, plans = organisation.read("ssd", "ssd_cp_plans")
    plan_of = {(r["cppl_person_id"], r["cppl_cp_plan_start_date"]): r["cppl_cp_plan_id"] for r in plans}
    _, reviews = organisation.read("ssd", "ssd_cp_reviews")
    held = {(r["cppr_cp_plan_id"], r["cppr_cp_review_date"]) for r in reviews if r["cppr_cp_review_date"]}
    census = []
    for child_id, episode in _episodes(_census(organisation)):
        for plan in episode.iterfind("ChildProtectionPlans"):
            plan_id = plan_of[(child_id, plan.findtext("CPPstartDate"))]
            census += [(plan_id, review.text) for review in plan.iterfind("Reviews/CPPreviewDate")]
    assert len(census) > 100 and set(census) <= held
    # One review scheduled ahead, with no date yet, for every plan open at the as-at date.
    open_plans = {r["cppl_cp_plan_id"] for r in plans if not r["cppl_cp_plan_end_date"]}
    assert {r["cppr_cp_plan_id"] for r in reviews if not r["cppr_cp_review_date"]} == open_plans
    on_time = [r["cppr_cp_review_date"] <= r["cppr_cp_review_due"] for r in reviews if r["cppr_cp_review_date"]]
    assert 0.85 <= sum(on_time) / len(on_time) <= 0.97  # synth.cin: cpp_review_on_time_share


def test_cla_reviews_match_the_903_reviews(organisation):
    """Every in-year 903 review is in ssd_cla_reviews on (person, date) with the same participation code."""
    rows903 = cut_903_extra_tables(organisation.children, LA, "2026-27", AS_OF, SEED)["reviews"]
    _, reviews = organisation.read("ssd", "ssd_cla_reviews")
    ssd = {
        (r["local_person_id"], dmy(date.fromisoformat(r["clar_cla_review_date"]).toordinal())): r
        for r in reviews
        if r["clar_cla_review_date"]
    }
    assert len(rows903) > 100
    for child, _, day, code in rows903:
        row = ssd[(child, day)]
        assert row["clar_cla_review_participation"] == code and row["clar_cla_review_cancelled"] == "N"
        assert row["clar_cla_id"].startswith(child + "-LA")
    on_time = [r["clar_cla_review_date"] <= r["clar_cla_review_due_date"] for r in reviews if r["clar_cla_review_date"]]
    assert 0.92 <= sum(on_time) / len(on_time) <= 0.97  # synth.ssda903.reviews: 4-7 % held late (b17 band 92-97 %)
