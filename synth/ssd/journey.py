"""The SSD alternatives to the CIN census and the review tables (input contract §2.3, §2.4), from the same truth as
the CIN XML: ssd_cin_episodes, ssd_cin_assessments, ssd_s47_enquiry, ssd_cp_plans, ssd_cin_plans, ssd_cp_reviews and
ssd_cla_reviews. The ids are the truth's (the CIN XML's records match them on person and start date); team and
worker are the case holder's (ssd_involvements) when the record started.

Each is an episode table (§0.7): a record is in a delivery from its start until its end leaves the window, and its
end, outcome or authorisation shows once it is not after the as-at date. A review is in a delivery once it is due
(see synth.ssd.reviews) until its date leaves the window.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import Protocol

import numpy as np

from synth.cin.model import CINChild, CPPlan, Referral
from synth.ssd.allocation import ALLOCATED_SW, TEAM_ONLY, Holders, Involvement
from synth.ssd.cells import iso, known, stable_choice, stable_share, yn
from synth.ssd.records import Records
from synth.ssd.reviews import Review, cla_reviews, cp_reviews
from synth.ssd.strategy import strategy_id
from synth.ssd.truth import Casework
from synth.ssda903.periods import care_periods

COLUMNS: dict[str, tuple[str, ...]] = {
    "ssd_cin_episodes": (
        "cine_referral_id", "cine_person_id", "cine_referral_date", "cine_cin_primary_need_code",
        "cine_referral_source_code", "cine_referral_nfa", "cine_referral_outcome_json", "cine_close_reason",
        "cine_close_date", "cine_referral_team", "cine_referral_worker_id",
    ),
    "ssd_cin_assessments": (
        "cina_assessment_id", "cina_person_id", "cina_referral_id", "cina_assessment_start_date",
        "cina_assessment_child_seen", "cina_assessment_auth_date", "cina_assessment_outcome_json",
        "cina_assessment_outcome_nfa", "cina_assessment_team", "cina_assessment_worker_id", "local_assessment_type",
        "local_internal_review_date",
    ),
    "ssd_cin_plans": (
        "cinp_cin_plan_id", "cinp_referral_id", "cinp_person_id", "cinp_cin_plan_start_date", "cinp_cin_plan_end_date",
        "cinp_cin_plan_team", "cinp_cin_plan_worker_id", "local_step_down_to",
    ),
    "ssd_s47_enquiry": (
        "s47e_s47_enquiry_id", "s47e_referral_id", "s47e_person_id", "s47e_s47_start_date", "s47e_s47_end_date",
        "s47e_s47_nfa", "s47e_s47_outcome_json", "s47e_s47_completed_by_team", "s47e_s47_completed_by_worker_id",
        "local_strategy_id",
    ),
    "ssd_cp_plans": (
        "cppl_cp_plan_id", "cppl_referral_id", "cppl_icpc_id", "cppl_person_id", "cppl_cp_plan_start_date",
        "cppl_cp_plan_end_date", "cppl_cp_plan_initial_category", "cppl_cp_plan_latest_category", "cppl_cp_plan_ola",
        "local_end_reason", "local_number_of_previous_cpp",
    ),
    "ssd_cp_reviews": (
        "cppr_cp_review_id", "cppr_person_id", "cppr_cp_plan_id", "cppr_cp_review_due", "cppr_cp_review_date",
        "cppr_cp_review_meeting_id", "cppr_cp_review_outcome_continue_cp", "cppr_cp_review_quorate",
        "cppr_cp_review_participation",
    ),
    "ssd_cla_reviews": (
        "clar_cla_review_id", "clar_cla_id", "local_person_id", "clar_cla_review_due_date", "clar_cla_review_date",
        "clar_cla_review_cancelled", "clar_cla_review_participation",
    ),
}  # fmt: skip
_S47_FLAGS = ("NFA_FLAG", "LEGAL_ACTION_FLAG", "PROV_OF_SERVICES_FLAG", "PROV_OF_SB_CARE_FLAG", "CP_CONFERENCE_FLAG",
              "NFA_CONTINUE_SINGLE_FLAG", "MONITOR_FLAG", "OTHER_OUTCOMES_EXIST_FLAG")  # fmt: skip
# How a CIN plan that ends with the case closing steps down (d_cin_closure_stepdown_split), and how often a CP
# plan that ends with the case closing hands the family on to early help (o3_deescalated_no_return_2y).
STEP_DOWN = {"EH": 30.0, "COMMUNITY": 20.0, "NONE": 50.0}
CP_TO_EARLY_HELP_SHARE = 0.3
ASSESSMENT_CHILD_SEEN_SHARE = 0.97


class Delivery(Protocol):
    """What the tables need of the SSD cut (synth.ssd.tables.Cut)."""

    cw: Casework
    window: int
    as_at: int

    def records(self, name: str, build: Callable[[], Records]) -> list[str]: ...

    def codes(self, person_ids: Iterable[str]) -> np.ndarray: ...


def _holder_cells(holder: Involvement | None) -> tuple[str, str]:
    return (holder.team_id, holder.worker_id) if holder is not None else ("", "")


def _referrals(cin: list[CINChild]) -> list[tuple[CINChild, Referral]]:
    return [(child, referral) for child in cin for referral in child.referrals]


def _flags(**set_flags: bool) -> str:
    return json.dumps({flag: yn(set_flags.get(flag, False)) for flag in _S47_FLAGS}, separators=(",", ":"))


class JourneyTables:
    def __init__(self, cut: Delivery) -> None:
        self.cut, self.cw = cut, cut.cw
        self.holders: Holders = cut.cw.holders
        self.key = f"{cut.cw.seed}|{cut.cw.la_code}"  # of the per-record draws (stable_share)

    def tables(self) -> dict[str, list[str]]:
        records = self.cut.records
        return {
            "ssd_cin_episodes": records("cin-episodes", self._episodes),
            "ssd_cin_assessments": records("cin-assessments", self._assessments),
            "ssd_cin_plans": records("cin-plans", self._cin_plans),
            "ssd_s47_enquiry": records("s47", self._enquiries),
            "ssd_cp_plans": records("cp-plans", self._cp_plans),
            "ssd_cp_reviews": records("cp-reviews", self._cp_reviews),
            "ssd_cla_reviews": records("cla-reviews", self._cla_reviews),
        }

    def _episode_records(
        self,
        found: list[tuple],
        starts: list[int],
        ends: list[int | None],
        row: Callable[[int, int], list[str]],
        workers: list[str] | None = None,
    ) -> Records:
        """Records of an episode table: `found` holds (child, ...) per record; its end shows once known."""
        return Records(starts, ends, row, [ends], self.cut.codes(item[0].child_id for item in found), workers)

    # Referrals and assessments ---------------------------------------------------------------------------
    def _first_holders(self) -> dict[str, Involvement]:
        """The first allocation (worker or team only) of each referral: who took the referral."""
        first: dict[str, Involvement] = {}
        for row in self.cw.involvements:  # sorted by (child, start, id); only case holders carry a referral id
            if row.referral_id and row.role in (ALLOCATED_SW, TEAM_ONLY) and row.referral_id not in first:
                first[row.referral_id] = row
        return first

    def _episodes(self) -> Records:
        found = _referrals(self.cw.cin)
        first = self._first_holders()
        front_door = next(team.team_id for team in self.cw.workforce.teams if team.front_door)
        cells = [
            _holder_cells(first.get(referral.referral_id)) if not referral.nfa else (front_door, "")
            for _, referral in found
        ]

        def row(index: int, as_at: int) -> list[str]:
            child, referral = found[index]
            closed = known(referral.closure, as_at)
            team, worker = cells[index]
            return [
                referral.referral_id, child.child_id, iso(referral.date), referral.primary_need, referral.source,
                yn(referral.nfa), "", referral.closure_reason if closed else "", iso(closed), team, worker,
            ]  # fmt: skip

        starts, ends = [referral.date for _, referral in found], [referral.closure for _, referral in found]
        return self._episode_records(found, starts, ends, row, [worker for _, worker in cells])

    def _assessments(self) -> Records:
        found = [(child, referral, assessment) for child, referral in _referrals(self.cw.cin)
                 for assessment in referral.assessments]  # fmt: skip
        seen = [stable_share(f"{self.key}|seen|{a.assessment_id}") < ASSESSMENT_CHILD_SEEN_SHARE for _, _, a in found]
        cells = [_holder_cells(self.holders.on(child.child_id, assessment.start)) for child, _, assessment in found]

        def row(index: int, as_at: int) -> list[str]:
            child, referral, assessment = found[index]
            authorised = known(assessment.authorised, as_at)
            # No further action: nothing followed the assessment (no enquiry, no plan started after it).
            followed = any(s47.start >= assessment.start for s47 in referral.section47s) or any(
                plan.start >= assessment.start for plan in (*referral.cin_plans, *referral.cp_plans)
            )
            team, worker = cells[index]
            return [
                assessment.assessment_id, child.child_id, referral.referral_id, iso(assessment.start),
                yn(seen[index]), iso(authorised), "", yn(not followed) if authorised else "", team, worker,
                "PREBIRTH" if assessment.start < child.dob else "CF", "",
            ]  # fmt: skip

        return self._episode_records(found, [a.start for _, _, a in found], [a.authorised for _, _, a in found], row,
                                     [worker for _, worker in cells])  # fmt: skip

    # Plans and enquiries ---------------------------------------------------------------------------------
    def _cin_plans(self) -> Records:
        found = [(child, referral, plan) for child, referral in _referrals(self.cw.cin) for plan in referral.cin_plans]
        steps = [stable_choice(f"{self.key}|step-down|{plan.cin_plan_id}", STEP_DOWN) for _, _, plan in found]
        cells = [_holder_cells(self.holders.on(child.child_id, plan.start)) for child, _, plan in found]

        def step_down(index: int) -> str:
            """EH or COMMUNITY when the case closed with the plan (not escalated to a CP plan, not looked after)."""
            _, referral, plan = found[index]
            escalated = any(cp_plan.start == plan.end for cp_plan in referral.cp_plans)
            closed_with_it = referral.closure is not None and referral.closure <= plan.end + 45
            return steps[index] if closed_with_it and not escalated and referral.closure_reason == "RC7" else "NONE"

        def row(index: int, as_at: int) -> list[str]:
            child, referral, plan = found[index]
            ended = known(plan.end, as_at)
            team, worker = cells[index]
            return [plan.cin_plan_id, referral.referral_id, child.child_id, iso(plan.start), iso(ended), team, worker,
                    step_down(index) if ended else ""]  # fmt: skip

        return self._episode_records(found, [plan.start for _, _, plan in found], [plan.end for _, _, plan in found],
                                     row, [worker for _, worker in cells])  # fmt: skip

    def _enquiries(self) -> Records:
        found = [(child, referral, s47) for child, referral in _referrals(self.cw.cin) for s47 in referral.section47s]
        cells = [_holder_cells(self.holders.on(child.child_id, s47.start)) for child, _, s47 in found]

        def row(index: int, as_at: int) -> list[str]:
            child, referral, s47 = found[index]
            concluded = known(s47.concluded, as_at)
            outcome = nfa = ""
            if concluded is not None:
                services = s47.icpc is None and any(plan.start >= s47.concluded for plan in referral.cin_plans)
                no_action = s47.icpc is None and not services
                nfa = yn(no_action)
                outcome = _flags(NFA_FLAG=no_action, PROV_OF_SERVICES_FLAG=services,
                                 CP_CONFERENCE_FLAG=s47.icpc is not None)  # fmt: skip
            team, worker = cells[index]
            return [s47.s47_id, referral.referral_id, child.child_id, iso(s47.start), iso(concluded), nfa, outcome,
                    team, worker, strategy_id(s47)]  # fmt: skip

        return self._episode_records(found, [s47.start for _, _, s47 in found], [s47.concluded for _, _, s47 in found],
                                     row, [worker for _, worker in cells])  # fmt: skip

    def _cp_plans(self) -> Records:
        found = [(child, referral, plan) for child, referral in _referrals(self.cw.cin) for plan in referral.cp_plans]

        def end_reason(index: int) -> str:
            child, referral, plan = found[index]
            assert plan.end is not None
            looked_after = self.cw.children.get(child.child_id)
            periods = care_periods(looked_after) if looked_after is not None else []
            if any(abs(period.start - plan.end) <= 7 for period in periods):
                return "CLA"
            if any(cin_plan.start == plan.end for cin_plan in referral.cin_plans):
                return "STEP_DOWN_CIN"
            if referral.closure_reason == "RC5":
                return "TRANSFER"
            to_early_help = stable_share(f"{self.key}|to-eh|{plan.cpp_id}") < CP_TO_EARLY_HELP_SHARE
            return "STEP_DOWN_EH" if to_early_help else "CLOSED"

        def conference(referral: Referral, plan: CPPlan) -> str:
            return next((f"{s47.s47_id}-ICPC" for s47 in referral.section47s if s47.icpc == plan.start), "")

        def row(index: int, as_at: int) -> list[str]:
            child, referral, plan = found[index]
            ended = known(plan.end, as_at)
            return [
                plan.cpp_id, referral.referral_id, conference(referral, plan), child.child_id, iso(plan.start),
                iso(ended), plan.initial_category, plan.latest_category, "N", end_reason(index) if ended else "",
                str(plan.previous_plans),
            ]  # fmt: skip

        return self._episode_records(found, [plan.start for _, _, plan in found], [plan.end for _, _, plan in found],
                                     row)  # fmt: skip

    # Reviews ---------------------------------------------------------------------------------------------
    def _review_records(self, reviews: list[Review], row: Callable[[Review, int | None], list[str]]) -> Records:
        """A review is in a delivery from the day it is scheduled until its date leaves the window (an unheld one
        until its plan or period ends); its date and outcome show from the day it is held."""
        held = [review.held for review in reviews]
        return Records([review.scheduled for review in reviews], held,
                       lambda index, as_at: row(reviews[index], known(reviews[index].held, as_at)), [held],
                       self.cut.codes(review.child_id for review in reviews),
                       until=[review.until for review in reviews])  # fmt: skip

    def _cp_reviews(self) -> Records:
        def row(review: Review, held: int | None) -> list[str]:
            return [
                review.review_id, review.child_id, review.plan_id, iso(review.due), iso(held), "",
                yn(review.continues) if held else "", yn(review.quorate) if held else "",
                review.participation if held else "",
            ]  # fmt: skip

        return self._review_records(cp_reviews(self.cw.cin, self.cw.seed, self.cw.la_code, self.cw.horizon), row)

    def _cla_reviews(self) -> Records:
        def row(review: Review, held: int | None) -> list[str]:
            return [review.review_id, review.plan_id, review.child_id, iso(review.due), iso(held), "N" if held else "",
                    review.participation if held else ""]  # fmt: skip

        children = [child for _, child in sorted(self.cw.children.items())]
        return self._review_records(cla_reviews(children, self.cw.seed, self.cw.la_code), row)
