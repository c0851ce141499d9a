"""The SSD-shaped tables of one delivery, cut from the casework truth (input contract §2, §0.7).

Event tables hold every record dated from `window_start` (as_at - 72 months) to `as_at`, plus every record still
open at `as_at` whatever its start; an end, decision or authorisation after `as_at` is not known yet and is blank.
Snapshot tables (ssd_department, ssd_professionals, ssd_care_leavers, ssd_immigration_status, ssd_address)
describe the state at `as_at`; ssd_professionals and ssd_person also cover every worker and person the other tables
name. Nothing is dated after `as_at` (but due and target dates). The CIN-census alternatives and the review tables
are in synth.ssd.journey.
"""

from __future__ import annotations

import json
import random
import zlib
from collections.abc import Callable, Iterable
from datetime import date
from typing import TypeVar

import numpy as np

from synth.calendar import anniversary, collection_year
from synth.cin.calendar import add_working_days
from synth.cin.model import CINChild
from synth.population import Child
from synth.ssd.allocation import ALLOCATED_SW, PA, Involvement
from synth.ssd.casework import former_relevant
from synth.ssd.cells import iso, known, yn
from synth.ssd.journey import COLUMNS as JOURNEY_COLUMNS
from synth.ssd.journey import JourneyTables
from synth.ssd.lines import render
from synth.ssd.records import People, Records
from synth.ssd.truth import Casework
from synth.ssd.visits import LONG_TERM_PLACEMENTS, period_id, placement_starts
from synth.ssda903.missing import child_missing
from synth.ssda903.outcomes import oc3_values
from synth.ssda903.periods import Period, care_periods

Lines = list[str]  # rendered CSV lines (synth.ssd.lines)
T = TypeVar("T")
COLUMNS: dict[str, tuple[str, ...]] = {
    "ssd_person": (
        "pers_person_id", "pers_sex", "pers_gender", "pers_ethnicity", "pers_dob", "pers_expected_dob",
        "pers_death_date", "pers_upn_unknown", "pers_is_mother", "pers_nationality", "pers_send_flag",
    ),
    "ssd_department": (
        "dept_team_id", "dept_team_name", "dept_team_parent_id", "dept_team_parent_name", "local_service_code",
        "local_front_door", "local_cost_centre", "local_valid_from", "local_valid_to",
    ),
    "ssd_professionals": (
        "prof_professional_id", "prof_staff_id", "prof_social_worker_registration_no", "prof_professional_job_title",
        "prof_professional_department", "prof_full_time_equivalency", "prof_agency_worker_flag",
        "prof_professional_caseload", "local_role_code", "local_qualified_sw", "local_case_holding", "local_team_id",
        "local_hr_person_id", "local_start_date", "local_end_date",
    ),
    "ssd_involvements": (
        "invo_involvements_id", "invo_person_id", "invo_professional_id", "invo_professional_role_id",
        "invo_professional_team", "invo_involvement_start_date", "invo_involvement_end_date",
        "invo_worker_change_reason", "invo_referral_id",
    ),
    "ssd_contacts": (
        "cont_contact_id", "cont_person_id", "cont_contact_date", "cont_contact_source_code",
        "cont_contact_source_desc", "cont_contact_outcome_json", "local_decision_datetime", "local_decision_outcome",
        "local_team_id", "local_stepped_up_from_eh", "local_referral_id",
    ),
    "ssd_cin_visits": (
        "cinv_cin_visit_id", "cinv_person_id", "cinv_cin_visit_date", "cinv_cin_visit_seen",
        "cinv_cin_visit_seen_alone", "cinv_cin_visit_bedroom", "local_visit_context", "local_statutory",
        "local_worker_id",
    ),
    "ssd_cp_visits": (
        "cppv_cp_visit_id", "cppv_person_id", "cppv_cp_plan_id", "cppv_cp_visit_date", "cppv_cp_visit_seen",
        "cppv_cp_visit_seen_alone", "cppv_cp_visit_bedroom", "local_statutory", "local_worker_id",
    ),
    "ssd_cla_visits": (
        "clav_cla_visit_id", "clav_cla_id", "clav_person_id", "clav_cla_visit_date", "clav_cla_visit_seen",
        "clav_cla_visit_seen_alone", "local_statutory", "local_worker_id",
    ),
    "ssd_care_leavers": (
        "clea_table_id", "clea_person_id", "clea_care_leaver_eligibility", "clea_care_leaver_in_touch",
        "clea_care_leaver_latest_contact", "clea_care_leaver_accommodation", "clea_care_leaver_accom_suitable",
        "clea_care_leaver_activity", "clea_pathway_plan_review_date", "clea_care_leaver_allocated_team",
        "clea_care_leaver_worker_id", "clea_care_leaver_personal_advisor", "local_staying_put",
        "local_apprenticeship",
    ),
    "ssd_initial_cp_conference": (
        "icpc_icpc_id", "icpc_s47_enquiry_id", "icpc_person_id", "icpc_referral_id", "icpc_cp_plan_id",
        "icpc_icpc_transfer_in", "icpc_icpc_target_date", "icpc_icpc_date", "icpc_icpc_outcome_cp_flag",
        "icpc_icpc_outcome_json", "icpc_icpc_team", "icpc_icpc_worker_id",
    ),
    "ssd_cla_placement": (
        "clap_cla_placement_id", "clap_person_id", "clap_cla_id", "clap_cla_placement_start_date",
        "clap_cla_placement_end_date", "clap_cla_placement_type", "clap_cla_placement_urn",
        "clap_cla_placement_distance", "clap_cla_placement_provider", "clap_cla_placement_postcode",
        "clap_cla_placement_change_reason", "local_provider_id", "local_carer_id", "local_long_term_match",
    ),
    "ssd_cla_episodes": (
        "clae_cla_episode_id", "clae_person_id", "clae_cla_episode_start_date", "clae_cla_episode_start_reason",
        "clae_cla_primary_need_code", "clae_cla_episode_ceased_date", "clae_cla_episode_ceased_reason", "clae_cla_id",
        "clae_referral_id", "clae_cla_placement_id", "clae_entered_care_date", "clae_cla_last_iro_contact_date",
    ),
    "ssd_cla_health": (
        "clah_health_check_id", "clah_person_id", "clah_health_check_type", "clah_health_check_date",
        "clah_health_check_status",
    ),
    "ssd_missing": (
        "miss_table_id", "miss_person_id", "miss_missing_episode_start_date", "miss_missing_episode_type",
        "miss_missing_episode_end_date", "miss_missing_rhi_offered", "miss_missing_rhi_accepted",
        "local_rhi_offered_date", "local_rhi_completed_date",
    ),
    "ssd_immigration_status": (
        "immi_person_id", "immi_immigration_status", "immi_immigration_status_start_date",
        "immi_immigration_status_end_date",
    ),
    "ssd_address": (
        "addr_person_id", "addr_address_type", "addr_address_start_date", "addr_address_end_date",
        "addr_address_postcode",
    ),
    "ssd_early_help_episodes": (
        "earl_episode_id", "earl_person_id", "earl_episode_start_date", "earl_episode_end_date", "earl_episode_reason",
        "earl_episode_end_reason", "earl_episode_organisation", "earl_episode_worker_id", "local_assessment_date",
        "local_plan_start_date",
    ),
}  # fmt: skip
COLUMNS.update(JOURNEY_COLUMNS)
_CONTACT_OUTCOME = {"REFERRAL": "REF_CSC", "NFA": "NFA", "EARLY_HELP": "EARLY_HELP", "INFORMATION": "INFO_ADVICE"}
_NATIONALITIES = ("Afghanistan", "Eritrea", "Sudan", "Iran", "Iraq", "Albania", "Vietnam", "Syria")
_EXCLUDED_SERVICES = frozenset({"HR", "CORP"})  # corporate staff have no case-system account


def _clock(key: str, low: int, high: int) -> tuple[int, int]:
    """A stable (hour, minute) in [low, high) hours for `key` (daytime, so never in a clock-change gap)."""
    value = zlib.crc32(key.encode())
    return low + value % (high - low), (value >> 8) % 60


def _in_window(start: int, end: int | None, window_start: int, as_at: int) -> bool:
    """Started by `as_at` and either open at `as_at` or ending inside the window."""
    return start <= as_at and (end is None or end > as_at or end >= window_start)


class Cut:
    """The SSD tables of one delivery (as at `as_at`, window from `window_start`), as rendered CSV lines.

    The event tables come from `Records` built once per casework (stored in `casework.derived`), so every delivery
    after the first costs a mask and a lookup. Snapshot tables are small and computed per delivery."""

    def __init__(self, casework: Casework, as_at: date, window_start: date) -> None:
        self.cw = casework
        self.as_at = as_at.toordinal()
        self.window = window_start.toordinal()
        self.persons = People(self._derived("person-codes", self._person_codes))
        self.workers: set[str] = set()  # workers named by records that may start before the window

    def _known(self, day: int | None) -> int | None:
        """`day` when it is known at the as-at date, else None."""
        return day if day is not None and day <= self.as_at else None

    def _derived(self, name: str, build: Callable[[], T]) -> T:
        """A delivery-independent intermediate of the casework, built by the first cut that needs it."""
        found = self.cw.derived.get(name)
        if found is None:
            found = self.cw.derived[name] = build()
        return found  # type: ignore[return-value]

    def _person_codes(self) -> dict[str, int]:
        """A code per person: the CIN children in order (ssd_person's order), then any other child looked after."""
        codes = {child.child_id: code for code, child in enumerate(self.cw.cin)}
        for child_id in self.cw.children:
            codes.setdefault(child_id, len(codes))
        return codes

    def codes(self, person_ids: Iterable[str]) -> np.ndarray:
        codes = self.persons.codes
        return np.array([codes[person_id] for person_id in person_ids], dtype=np.int64)

    def records(self, name: str, build: Callable[[], Records]) -> Lines:
        """The delivery's lines of the event table `name`, whose records `build` makes once per casework."""
        return self._derived(name, build).lines(self.window, self.as_at, self.persons, self.workers)

    def _periods(self, child: Child) -> list[Period]:
        """care_periods(child), once per casework."""
        periods = self._derived("periods", dict)
        found = periods.get(child.child_id)
        if found is None:
            found = periods[child.child_id] = care_periods(child)
        return found

    # Teams and workers (snapshots) -------------------------------------------------------------------------
    def department(self) -> Lines:
        start = iso(self.cw.workforce.start)
        return [
            render([team.team_id, team.name, team.parent_id, team.parent_name, team.service, yn(team.front_door),
                    team.cost_centre, start, ""])
            for team in self.cw.workforce.teams
        ]  # fmt: skip

    def professionals(self) -> Lines:
        """Every worker in post at some time in the window, from their spells in it; then any other worker the
        delivery's records name (allocated to an episode that started before the window), from their spells."""
        posts = {post.post_id: post for post in self.cw.workforce.posts}
        teams = {team.team_id: team for team in self.cw.workforce.teams}
        by_worker: dict[str, list] = {}
        earlier: dict[str, list] = {}
        for spell in self.cw.workforce.spells:
            if spell.service in _EXCLUDED_SERVICES or spell.start > self.as_at:
                continue
            if spell.end is not None and spell.end < self.window:
                earlier.setdefault(spell.worker_id, []).append(spell)
            else:
                by_worker.setdefault(spell.worker_id, []).append(spell)
        for worker in self.workers - by_worker.keys():
            if worker in earlier:
                by_worker[worker] = earlier[worker]
        lines: Lines = []
        for worker, spells in sorted(by_worker.items()):
            latest = max(spells, key=lambda spell: spell.start)
            first = min(spell.start for spell in spells)
            ends = [spell.end for spell in spells]
            active = any(spell.active_on(self.as_at) for spell in spells)
            end = "" if active or None in ends else iso(max(end for end in ends if end is not None))
            day = min(self.as_at, latest.end if latest.end is not None else self.as_at)
            lines.append(render([
                worker, latest.person_id, latest.swe, posts[latest.post_id].job_title, teams[latest.team_id].name,
                f"{latest.fte:.2f}", yn(latest.is_agency), "", latest.role_on(day), yn(latest.qualified_sw),
                yn(latest.case_holding and bool(latest.swe)), latest.team_id, latest.person_id, iso(first), end,
            ]))  # fmt: skip
        return lines

    # Allocations ---------------------------------------------------------------------------------------
    def _involvement_records(self) -> Records:
        rows = self.cw.involvements

        def row(index: int, as_at: int) -> list[str]:
            r = rows[index]
            return [r.involvement_id, r.child_id, r.worker_id, r.role, r.team_id, iso(r.start),
                    iso(known(r.end, as_at)), r.reason, r.referral_id]  # fmt: skip

        ends = [r.end for r in rows]
        return Records([r.start for r in rows], ends, row, [ends], self.codes(r.child_id for r in rows))

    def involvements(self) -> Lines:
        return self.records("involvements", self._involvement_records)

    # Front door ------------------------------------------------------------------------------------------
    def _contact_records(self) -> Records:
        """Every contact in truth order: in a delivery when received in the window; its decision cells are blank
        until the decision day."""
        front_door = next(team.team_id for team in self.cw.workforce.teams if team.front_door)
        eh_by_child: dict[str, list] = {}
        for episode in self.cw.early_help:
            eh_by_child.setdefault(episode.child_id, []).append(episode)
        payloads: dict[str, str] = {}
        for outcome in _CONTACT_OUTCOME.values():
            flags = {"NEW_REFERRAL_FLAG": outcome == "REF_CSC", "NFA_FLAG": outcome == "NFA",
                     "ADVICE_FLAG": outcome == "INFO_ADVICE"}  # fmt: skip
            payloads[outcome] = json.dumps({key: yn(value) for key, value in flags.items()}, separators=(",", ":"))
        found = [(child, contact) for child in self.cw.cin for contact in child.contacts]

        def row(index: int, as_at: int) -> list[str]:
            child, contact = found[index]
            hour, minute = _clock(contact.contact_id, 8, 17)
            head = [contact.contact_id, child.child_id, f"{iso(contact.received)}T{hour:02d}:{minute:02d}",
                    contact.source, ""]  # fmt: skip
            stepped = yn(
                contact.source == "5D"
                or any(eh.start <= contact.received <= eh.end for eh in eh_by_child.get(child.child_id, ()))
            )
            if contact.decided > as_at:
                return [*head, "", "", "", front_door, stepped, ""]
            low = hour + 1 if contact.decided == contact.received else 8
            d_hour, d_minute = _clock(contact.contact_id + "|decided", low, max(low + 1, 19))
            outcome = _CONTACT_OUTCOME[contact.outcome]
            referral_id = ""
            if contact.referral:
                referral_id = next((r.referral_id for r in child.referrals if r.date == contact.received), "")
            return [*head, payloads[outcome], f"{iso(contact.decided)}T{d_hour:02d}:{d_minute:02d}", outcome,
                    front_door, stepped, referral_id]  # fmt: skip

        received = [contact.received for _, contact in found]
        return Records(received, received, row, [[contact.decided for _, contact in found]],
                       self.codes(child.child_id for child, _ in found))  # fmt: skip

    def contacts(self) -> Lines:
        return self.records("contacts", self._contact_records)

    def _icpc_records(self) -> Records:
        """Every S47 with a conference: in a delivery from the S47 start until the conference leaves the window;
        the conference date, plan and outcome show from the conference day."""
        found = [
            (child, referral, s47)
            for child in self.cw.cin
            for referral in child.referrals
            for s47 in referral.section47s
            if s47.icpc is not None
        ]
        holders = self.cw.holders

        def row(index: int, as_at: int) -> list[str]:
            child, referral, s47 = found[index]
            held = s47.icpc <= as_at
            plan = next((p for p in referral.cp_plans if p.start == s47.icpc and held), None)
            holder = holders.on(child.child_id, s47.icpc if held else s47.start)
            return [
                f"{s47.s47_id}-ICPC",
                s47.s47_id,
                child.child_id,
                referral.referral_id,
                plan.cpp_id if plan else "",
                "N",
                iso(s47.icpc_target),
                iso(s47.icpc if held else None),
                yn(plan is not None) if held else "",
                "",
                holder.team_id if holder else "",
                holder.worker_id if holder else "",
            ]

        icpcs = [s47.icpc for _, _, s47 in found]
        starts = [s47.start for _, _, s47 in found]
        return Records(starts, icpcs, row, [icpcs], self.codes(child.child_id for child, _, _ in found))

    def initial_cp_conferences(self) -> Lines:
        return self.records("icpc", self._icpc_records)

    # Visits ------------------------------------------------------------------------------------------
    def _visit_records(self) -> dict[str, Records]:
        """The truth's visits by table (CIN holds CIN and ASSESS visits, unless the organisation records the ASSESS
        ones in local_visits), in truth order: in a delivery when dated in the window; the visiting worker is the
        case holder on the day."""
        by_table: dict[str, list] = {"CIN": [], "CP": [], "CLA": []}
        assess = "CIN" if not self.cw.visit_params.assess_visits_local else "local_visits"
        for visit in self.cw.visits:
            table = {"ASSESS": assess, "CIN": "CIN"}.get(visit.kind, visit.kind)
            if table in by_table:
                by_table[table].append(visit)
        holders = self.cw.holders

        def rows_of(kind: str, visits: list) -> Records:
            def row(index: int, as_at: int) -> list[str]:
                visit = visits[index]
                holder = holders.on(visit.child_id, visit.day)
                worker = holder.worker_id if holder else ""
                seen, alone, bedroom = yn(visit.seen), visit.seen_alone, yn(visit.bedroom)
                if kind == "CIN":
                    return [visit.visit_id, visit.child_id, iso(visit.day), seen, alone, bedroom, visit.kind, "Y",
                            worker]  # fmt: skip
                if kind == "CP":
                    return [visit.visit_id, visit.child_id, visit.plan_id, iso(visit.day), seen, alone, bedroom, "Y",
                            worker]  # fmt: skip
                return [visit.visit_id, visit.plan_id, visit.child_id, iso(visit.day), seen, alone, "Y", worker]

            days = [visit.day for visit in visits]
            return Records(days, days, row, persons=self.codes(visit.child_id for visit in visits))

        return {kind: rows_of(kind, visits) for kind, visits in by_table.items()}

    def visits(self, kind: str) -> Lines:
        return self._derived("visits", self._visit_records)[kind].lines(self.window, self.as_at, self.persons)

    # Looked after ----------------------------------------------------------------------------------------
    def _placement_records(self) -> Records:
        found = []
        for child_id, child in sorted(self.cw.children.items()):
            periods = self._periods(child)
            for number, (period, start, end, place, first) in enumerate(placement_starts(child), start=1):
                found.append((child_id, number, period, start, end, place, periods[period - 1].episodes[first]))

        def row(index: int, as_at: int) -> list[str]:
            child_id, number, period, start, end, place, episode = found[index]
            return [
                f"{child_id}-PL{number}", child_id, period_id(child_id, period), iso(start),
                iso(known(end, as_at)), place, episode.urn, "", episode.provider, episode.pl_post,
                episode.reason, "", "", yn(place in LONG_TERM_PLACEMENTS),
            ]  # fmt: skip

        ends = [item[4] for item in found]
        return Records([item[3] for item in found], ends, row, [ends], self.codes(item[0] for item in found))

    def placements(self) -> Lines:
        return self.records("placements", self._placement_records)

    def _cla_episode_records(self) -> Records:
        """The case system's own list of care episodes: the 903 episodes of every period of care (short breaks are
        not periods of care), each naming its period and the placement it belongs to (ssd_cla_placement's ids)."""
        found = []
        for child_id, child in sorted(self.cw.children.items()):
            placement = episode_number = 0
            for number, period in enumerate(self._periods(child), start=1):
                for index, episode in enumerate(period.episodes):
                    placement += index == 0 or episode.rne != "L"  # as placement_starts numbers them
                    episode_number += 1
                    found.append((child_id, episode_number, number, placement, period, episode))

        def row(index: int, as_at: int) -> list[str]:
            child_id, number, period_number, placement, period, episode = found[index]
            ceased = known(episode.dec, as_at)
            return [
                f"{child_id}-CE{number}", child_id, iso(episode.decom), episode.rne, episode.cin, iso(ceased),
                episode.rec if ceased is not None else "", period_id(child_id, period_number), "",
                f"{child_id}-PL{placement}", iso(period.start), "",
            ]  # fmt: skip

        ends = [item[5].dec for item in found]
        return Records([item[5].decom for item in found], ends, row, [ends], self.codes(item[0] for item in found))

    def cla_episodes(self) -> Lines:
        return self.records("cla-episodes", self._cla_episode_records)

    def _health_records(self) -> Records:
        """Every health check of every child looked after (its RNG draws do not depend on the delivery)."""
        found: list[list[str]] = []
        days: list[int] = []
        for child_id, child in sorted(self.cw.children.items()):
            rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|ssd-health|{child_id}")
            checks: list[tuple[str, int, int]] = []
            for period in self._periods(child):
                in_time = rng.random() < 0.8
                lag = rng.randint(5, 20) if in_time else rng.randint(21, 45)
                checks.append(("IHA", add_working_days(period.start, lag), period.end))
                day = checks[-1][1]
                fifth = anniversary(child.dob, 5)
                while True:
                    day += (182 if day < fifth else 365) + rng.randint(-20, 40)
                    if day >= period.end:
                        break
                    checks.append(("RHA", day, period.end))
                dental = period.start + rng.randint(60, 200)
                while dental < period.end:
                    checks.append(("DENTAL", dental, period.end))
                    dental += rng.randint(150, 400)
            for number, (kind, day, end) in enumerate(sorted(checks, key=lambda check: check[1]), start=1):
                status = "COMPLETED" if rng.random() < 0.93 else "REFUSED"
                if day < end:
                    found.append([f"{child_id}-H{number}", child_id, kind, iso(day), status])
                    days.append(day)
        return Records(days, days, lambda index, as_at: found[index], persons=self.codes(row[1] for row in found))

    def health(self) -> Lines:
        return self.records("health", self._health_records)

    def missing(self) -> Lines:
        """Replayed per delivery: a return interview completed by the as-at date takes one more draw from the
        child's RNG, so what a child's later episodes show depends on the delivery."""
        by_child = self._derived("missing", lambda: [
            (child_id, incidents)
            for child_id, child in sorted(self.cw.children.items())
            if (incidents := child_missing(child, self.cw.seed, self.cw.la_code))
        ])  # fmt: skip
        lines: Lines = []
        window, as_at = self.window, self.as_at
        for child_id, incidents in by_child:
            if not any(_in_window(start, end, window, as_at) for _, start, end in incidents):
                continue  # no row: the child's draws do not matter
            rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|ssd-missing|{child_id}")
            for number, (code, start, end) in enumerate(incidents, 1):
                hour, minute = rng.randrange(12, 20), rng.randrange(60)
                end_hour = min(23, hour + rng.randint(1, 3)) if end == start else rng.randrange(8, 22)
                offered_days = rng.randint(0, 3) if rng.random() < 0.8 else rng.randint(4, 9)
                accepted = rng.random() < 0.55
                if not _in_window(start, end, window, as_at):
                    continue
                self.persons.add(child_id)
                known = end <= as_at
                offered = end + offered_days if known and end + offered_days <= as_at else None
                completed = offered + rng.randint(0, 3) if offered is not None and accepted else None
                completed = completed if completed is not None and completed <= as_at else None
                lines.append(render([
                    f"{child_id}-M{number}", child_id, f"{iso(start)}T{hour:02d}:{minute:02d}", code,
                    f"{iso(end)}T{end_hour:02d}:{minute:02d}" if known else "",
                    yn(offered is not None) if known else "", (yn(completed is not None) if offered else "NA") if known
                    else "", f"{iso(offered)}T10:00" if offered else "", f"{iso(completed)}T15:00" if completed else "",
                ]))  # fmt: skip
        return lines

    # Snapshots of care leavers, immigration status, addresses ---------------------------------------------
    def care_leavers(self) -> Lines:
        lines: Lines = []
        pas = {row.child_id: row for row in self._derived("pa-rows", self._pa_rows) if row.start <= self.as_at
               and (row.end is None or row.end > self.as_at)}  # fmt: skip
        schema_year = int(collection_year(date.fromordinal(self.as_at))[:4]) + 1
        for child_id, child in sorted(self.cw.children.items()):
            periods = [period for period in self._periods(child) if period.start <= self.as_at]
            if not periods or periods[-1].end > self.as_at or not former_relevant(child, periods):
                continue
            age = next(age for age in range(30, -1, -1) if anniversary(child.dob, age) <= self.as_at)
            if not 16 <= age <= 21:
                continue
            rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|ssd-care-leaver|{child_id}|{self.as_at}")
            if age >= 17 and anniversary(child.dob, age) > periods[-1].end:
                in_touch, activity, accommodation = oc3_values(child, self.cw.seed, self.cw.la_code, age, schema_year)
            else:  # a 16-year-old, or one who left care after the birthday: no OC3 yet, same distributions
                in_touch, activity, accommodation = "YES", "F2", "D1" if rng.random() < 0.5 else "U1"
            contact = self.as_at - (rng.randint(0, 80) if rng.random() < 0.9 else rng.randint(92, 200))
            contact = max(contact, periods[-1].end)
            review = max(periods[-1].end, self.as_at - rng.randint(0, 240))
            pa = pas.get(child_id)
            holder = self.cw.holders.on(child_id, self.as_at)
            eligibility = "RELEVANT" if age < 18 else "FORMER_RELEVANT"
            letter, suitable = (accommodation[0], accommodation[1:]) if accommodation != "0" else ("0", "")
            self.persons.add(child_id)
            lines.append(render([
                f"{child_id}-CL", child_id, eligibility, in_touch, iso(contact) if in_touch == "YES" else "", letter,
                suitable, activity, iso(review), pa.team_id if pa else (holder.team_id if holder else ""),
                holder.worker_id if holder and holder.role == ALLOCATED_SW else "", pa.worker_id if pa else "",
                yn(letter == "Z"), yn(activity in ("F4", "P4")),
            ]))  # fmt: skip
        return lines

    def _pa_rows(self) -> list[Involvement]:
        return [row for row in self.cw.involvements if row.role == PA]

    def immigration_status(self) -> Lines:
        lines: Lines = []
        uasc = self._derived("uasc", lambda: [item for item in sorted(self.cw.children.items()) if item[1].uasc])
        for child_id, child in uasc:
            if child.episodes[0].decom > self.as_at:
                continue
            eighteenth = anniversary(child.dob, 18)
            self.persons.add(child_id)
            if eighteenth <= self.as_at:
                lines.append(render([child_id, "UASC", iso(child.episodes[0].decom), iso(eighteenth - 1)]))
                lines.append(render([child_id, "FORMER_UASC", iso(eighteenth), ""]))
            else:
                lines.append(render([child_id, "UASC", iso(child.episodes[0].decom), ""]))
        return lines

    def addresses(self) -> Lines:
        lines: Lines = []
        for child_id, child in sorted(self.cw.children.items()):
            if child_id not in self.persons:
                continue
            known = [episode for episode in child.episodes if episode.decom <= self.as_at]
            homes = [episode for episode in known if episode.home_post]
            if homes:
                lines.append(render([child_id, "HOME", iso(homes[-1].decom), "", homes[-1].home_post]))
            current = [e for e in known if e.dec > self.as_at and e.pl_post and e.ls not in ("V3", "V4")]
            if current:
                lines.append(render([child_id, "PLACEMENT", iso(current[-1].decom), "", current[-1].pl_post]))
        return lines

    def _early_help_records(self) -> Records:
        episodes = self.cw.early_help

        def row(index: int, as_at: int) -> list[str]:
            episode = episodes[index]
            return [
                episode.episode_id, episode.child_id, iso(episode.start), iso(known(episode.end, as_at)),
                "Family support", episode.end_reason if episode.end <= as_at else "", episode.team_name,
                episode.worker_id, iso(known(episode.assessed, as_at)),
                iso(known(episode.plan_start, as_at)),
            ]  # fmt: skip

        ends = [episode.end for episode in episodes]
        thresholds = [ends, [e.assessed for e in episodes], [e.plan_start for e in episodes]]
        return Records([e.start for e in episodes], ends, row, thresholds, self.codes(e.child_id for e in episodes),
                       [e.worker_id for e in episodes])  # fmt: skip

    def early_help(self) -> Lines:
        return self.records("early-help", self._early_help_records)

    # People (last: everyone the other tables name) ----------------------------------------------------------
    def _person_records(self) -> Records:
        """Every child of the CIN truth; what a delivery shows changes on the birth, the fourth birthday (UPN), a
        child's own child's birth (mother) and the death."""
        children = self.cw.cin

        def row(index: int, as_at: int) -> list[str]:
            child = children[index]
            unborn = child.dob > as_at
            upn = child.upn
            if upn == "UN1" and child.school_upn and anniversary(child.dob, 4) <= as_at:
                upn = child.school_upn
            looked_after = self.cw.children.get(child.child_id)
            mother = ""
            if looked_after is not None and child.sex == "F":
                mother = yn(looked_after.mc_dob is not None and looked_after.mc_dob <= as_at)
            nationality = ""
            if looked_after is not None and looked_after.uasc:
                nationality = _NATIONALITIES[int(child.child_id[1:]) % len(_NATIONALITIES)]
            return [
                child.child_id, "U" if unborn else child.sex, "", child.ethnic, "" if unborn else iso(child.dob),
                iso(child.dob) if unborn else "", iso(known(child.death, as_at)),
                upn if upn.startswith("UN") else "", mother, nationality, "",
            ]  # fmt: skip

        def mother_from(child: CINChild) -> int | None:
            looked_after = self.cw.children.get(child.child_id)
            return looked_after.mc_dob if looked_after is not None and child.sex == "F" else None

        thresholds = [
            [child.dob for child in children],
            [anniversary(child.dob, 4) if child.upn == "UN1" and child.school_upn else None for child in children],
            [mother_from(child) for child in children],
            [child.death for child in children],
        ]
        return Records([0] * len(children), [0] * len(children), row, thresholds)

    def person(self) -> Lines:
        records = self._derived("person", self._person_records)
        return records.render_lines(np.flatnonzero(self.persons.marked[: len(self.cw.cin)]), self.as_at)

    def tables(self) -> dict[str, Lines]:
        """Every SSD table of the delivery; ssd_professionals, ssd_address and ssd_person last, so they cover every
        worker and person the others name."""
        tables = {
            "ssd_department": self.department(),
            "ssd_involvements": self.involvements(),
            "ssd_contacts": self.contacts(),
            "ssd_cin_visits": self.visits("CIN"),
            "ssd_cp_visits": self.visits("CP"),
            "ssd_cla_visits": self.visits("CLA"),
            "ssd_care_leavers": self.care_leavers(),
            "ssd_initial_cp_conference": self.initial_cp_conferences(),
            "ssd_cla_placement": self.placements(),
            "ssd_cla_episodes": self.cla_episodes(),
            "ssd_cla_health": self.health(),
            "ssd_missing": self.missing(),
            "ssd_immigration_status": self.immigration_status(),
            "ssd_early_help_episodes": self.early_help(),
            **JourneyTables(self).tables(),
        }
        tables["ssd_professionals"] = self.professionals()
        tables["ssd_address"] = self.addresses()
        tables["ssd_person"] = self.person()
        return tables
