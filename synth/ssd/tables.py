"""The SSD-shaped tables of one delivery, cut from the casework truth (input contract §2, §0.7).

Event tables hold every record dated from `window_start` (as_at - 72 months) to `as_at`, plus every record still
open at `as_at` whatever its start; an end, decision or authorisation after `as_at` is not known yet and is blank.
Snapshot tables (ssd_department, ssd_professionals, ssd_care_leavers, ssd_immigration_status, ssd_address)
describe the state at `as_at`. Nothing is dated after `as_at`.
"""

from __future__ import annotations

import json
import random
import zlib
from datetime import date

from synth.calendar import anniversary, collection_year
from synth.cin.calendar import add_working_days
from synth.ssd.allocation import ALLOCATED_SW, PA
from synth.ssd.casework import former_relevant
from synth.ssd.truth import Casework
from synth.ssd.visits import LONG_TERM_PLACEMENTS, period_id, placement_starts
from synth.ssda903.missing import child_missing
from synth.ssda903.outcomes import oc3_values
from synth.ssda903.periods import care_periods

Rows = list[list[str]]
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
_CONTACT_OUTCOME = {"REFERRAL": "REF_CSC", "NFA": "NFA", "EARLY_HELP": "EARLY_HELP", "INFORMATION": "INFO_ADVICE"}
_NATIONALITIES = ("Afghanistan", "Eritrea", "Sudan", "Iran", "Iraq", "Albania", "Vietnam", "Syria")
_EXCLUDED_SERVICES = frozenset({"HR", "CORP"})  # corporate staff have no case-system account


_ISO: dict[int, str] = {}


def iso(day: int | None) -> str:
    """YYYY-MM-DD of an ordinal ("" for None); memoised because the cuts format hundreds of thousands of days."""
    if day is None:
        return ""
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = date.fromordinal(day).isoformat()
    return text


def yn(flag: bool) -> str:
    return "Y" if flag else "N"


def _clock(key: str, low: int, high: int) -> tuple[int, int]:
    """A stable (hour, minute) in [low, high) hours for `key` (daytime, so never in a clock-change gap)."""
    value = zlib.crc32(key.encode())
    return low + value % (high - low), (value >> 8) % 60


def _known_end(end: int | None, as_at: int) -> int | None:
    return end if end is not None and end <= as_at else None


def _in_window(start: int, end: int | None, window_start: int, as_at: int) -> bool:
    """Started by `as_at` and either open at `as_at` or ending inside the window."""
    return start <= as_at and (end is None or end > as_at or end >= window_start)


class Cut:
    """The SSD tables of one delivery (as at `as_at`, window from `window_start`)."""

    def __init__(self, casework: Casework, as_at: date, window_start: date) -> None:
        self.cw = casework
        self.as_at = as_at.toordinal()
        self.window = window_start.toordinal()
        self.persons: set[str] = set()

    def _known(self, day: int | None) -> int | None:
        """`day` when it is known at the as-at date, else None."""
        return day if day is not None and day <= self.as_at else None

    # Teams and workers (snapshots) -------------------------------------------------------------------------
    def department(self) -> Rows:
        start = iso(self.cw.workforce.start)
        return [
            [team.team_id, team.name, team.parent_id, team.parent_name, team.service, yn(team.front_door),
             team.cost_centre, start, ""]
            for team in self.cw.workforce.teams
        ]  # fmt: skip

    def professionals(self) -> Rows:
        posts = {post.post_id: post for post in self.cw.workforce.posts}
        teams = {team.team_id: team for team in self.cw.workforce.teams}
        by_worker: dict[str, list] = {}
        for spell in self.cw.workforce.spells:
            if spell.service in _EXCLUDED_SERVICES or spell.start > self.as_at:
                continue
            if spell.end is not None and spell.end < self.window:
                continue
            by_worker.setdefault(spell.worker_id, []).append(spell)
        rows: Rows = []
        for worker, spells in sorted(by_worker.items()):
            latest = max(spells, key=lambda spell: spell.start)
            first = min(spell.start for spell in spells)
            ends = [spell.end for spell in spells]
            active = any(spell.active_on(self.as_at) for spell in spells)
            end = "" if active or None in ends else iso(max(end for end in ends if end is not None))
            day = min(self.as_at, latest.end if latest.end is not None else self.as_at)
            rows.append([
                worker, latest.person_id, latest.swe, posts[latest.post_id].job_title, teams[latest.team_id].name,
                f"{latest.fte:.2f}", yn(latest.is_agency), "", latest.role_on(day), yn(latest.qualified_sw),
                yn(latest.case_holding and bool(latest.swe)), latest.team_id, latest.person_id, iso(first), end,
            ])  # fmt: skip
        return rows

    # Allocations ---------------------------------------------------------------------------------------
    def involvements(self) -> Rows:
        rows: Rows = []
        for row in self.cw.involvements:
            if not _in_window(row.start, row.end, self.window, self.as_at):
                continue
            self.persons.add(row.child_id)
            end = _known_end(row.end, self.as_at)
            rows.append([
                row.involvement_id, row.child_id, row.worker_id, row.role, row.team_id, iso(row.start), iso(end),
                row.reason, row.referral_id,
            ])  # fmt: skip
        return rows

    # Front door ------------------------------------------------------------------------------------------
    def _contact_facts(self) -> list[tuple]:
        """Per contact, in truth order and whatever the delivery: (received day, decided day, child, row with the
        decision cells filled, the same row with them blank). Cached on the casework: every delivery shares it."""
        facts = self.cw.derived.get("contacts")
        if facts is not None:
            return facts  # type: ignore[return-value]
        front_door = next(team.team_id for team in self.cw.workforce.teams if team.front_door)
        eh_by_child: dict[str, list] = {}
        for episode in self.cw.early_help:
            eh_by_child.setdefault(episode.child_id, []).append(episode)
        payloads: dict[str, str] = {}
        facts = []
        for child in self.cw.cin:
            for contact in child.contacts:
                hour, minute = _clock(contact.contact_id, 8, 17)
                received = f"{iso(contact.received)}T{hour:02d}:{minute:02d}"
                low = hour + 1 if contact.decided == contact.received else 8
                d_hour, d_minute = _clock(contact.contact_id + "|decided", low, max(low + 1, 19))
                decided = f"{iso(contact.decided)}T{d_hour:02d}:{d_minute:02d}"
                outcome = _CONTACT_OUTCOME[contact.outcome]
                if outcome not in payloads:
                    flags = {"NEW_REFERRAL_FLAG": outcome == "REF_CSC", "NFA_FLAG": outcome == "NFA",
                             "ADVICE_FLAG": outcome == "INFO_ADVICE"}  # fmt: skip
                    payloads[outcome] = json.dumps(
                        {key: yn(value) for key, value in flags.items()}, separators=(",", ":")
                    )
                referral_id = ""
                if contact.referral:
                    referral_id = next((r.referral_id for r in child.referrals if r.date == contact.received), "")
                stepped = yn(
                    contact.source == "5D"
                    or any(eh.start <= contact.received <= eh.end for eh in eh_by_child.get(child.child_id, ()))
                )
                head = (contact.contact_id, child.child_id, received, contact.source, "")
                known = [*head, payloads[outcome], decided, outcome, front_door, stepped, referral_id]
                pending = [*head, "", "", "", front_door, stepped, ""]
                facts.append((contact.received, contact.decided, child.child_id, known, pending))
        self.cw.derived["contacts"] = facts
        return facts

    def contacts(self) -> Rows:
        rows: Rows = []
        window, as_at, persons = self.window, self.as_at, self.persons
        for received, decided, child_id, known, pending in self._contact_facts():
            if window <= received <= as_at:
                persons.add(child_id)
                rows.append(list(known if decided <= as_at else pending))
        return rows

    def initial_cp_conferences(self) -> Rows:
        rows: Rows = []
        for child in self.cw.cin:
            for referral in child.referrals:
                for s47 in referral.section47s:
                    if s47.icpc is None or s47.start > self.as_at or s47.icpc < self.window:
                        continue
                    held = s47.icpc <= self.as_at
                    plan = next((p for p in referral.cp_plans if p.start == s47.icpc and held), None)
                    holder = self.cw.holders.on(child.child_id, s47.icpc if held else s47.start)
                    self.persons.add(child.child_id)
                    rows.append([
                        f"{s47.s47_id}-ICPC", s47.s47_id, child.child_id, referral.referral_id,
                        plan.cpp_id if plan else "", "N", iso(s47.icpc_target), iso(s47.icpc if held else None),
                        yn(plan is not None) if held else "", "", holder.team_id if holder else "",
                        holder.worker_id if holder else "",
                    ])  # fmt: skip
        return rows

    # Visits ------------------------------------------------------------------------------------------
    def _visits_of(self, kind: str) -> list:
        """The truth's visits of one table (CIN holds CIN and ASSESS visits), in truth order; cached per casework."""
        by_table = self.cw.derived.get("visits")
        if by_table is None:
            by_table = {"CIN": [], "CP": [], "CLA": []}
            for visit in self.cw.visits:
                table = "CIN" if visit.kind in ("CIN", "ASSESS") else visit.kind
                if table in by_table:
                    by_table[table].append(visit)
            self.cw.derived["visits"] = by_table
        return by_table[kind]  # type: ignore[index]

    def visits(self, kind: str) -> Rows:
        rows: Rows = []
        for visit in self._visits_of(kind):
            if not self.window <= visit.day <= self.as_at:
                continue
            self.persons.add(visit.child_id)
            holder = self.cw.holders.on(visit.child_id, visit.day)
            worker = holder.worker_id if holder else ""
            seen, alone, bedroom = yn(visit.seen), visit.seen_alone, yn(visit.bedroom)
            if kind == "CIN":
                rows.append([visit.visit_id, visit.child_id, iso(visit.day), seen, alone, bedroom, visit.kind, "Y",
                             worker])  # fmt: skip
            elif kind == "CP":
                rows.append([visit.visit_id, visit.child_id, visit.plan_id, iso(visit.day), seen, alone, bedroom, "Y",
                             worker])  # fmt: skip
            else:
                rows.append([visit.visit_id, visit.plan_id, visit.child_id, iso(visit.day), seen, alone, "Y", worker])
        return rows

    # Looked after ----------------------------------------------------------------------------------------
    def placements(self) -> Rows:
        rows: Rows = []
        for child_id, child in sorted(self.cw.children.items()):
            for number, (period, start, end, place, first) in enumerate(placement_starts(child), start=1):
                if not _in_window(start, end, self.window, self.as_at):
                    continue
                episode = care_periods(child)[period - 1].episodes[first]
                self.persons.add(child_id)
                rows.append([
                    f"{child_id}-PL{number}", child_id, period_id(child_id, period), iso(start),
                    iso(_known_end(end, self.as_at)), place, episode.urn, "", episode.provider, episode.pl_post,
                    episode.reason, "", "", yn(place in LONG_TERM_PLACEMENTS),
                ])  # fmt: skip
        return rows

    def health(self) -> Rows:
        rows: Rows = []
        for child_id, child in sorted(self.cw.children.items()):
            rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|ssd-health|{child_id}")
            checks: list[tuple[str, int, str]] = []
            for period in care_periods(child):
                in_time = rng.random() < 0.8
                lag = rng.randint(5, 20) if in_time else rng.randint(21, 45)
                checks.append(("IHA", add_working_days(period.start, lag), period.end))
                day = checks[-1][1]
                while True:
                    under_5 = day < anniversary(child.dob, 5)
                    day += (182 if under_5 else 365) + rng.randint(-20, 40)
                    if day >= period.end:
                        break
                    checks.append(("RHA", day, period.end))
                dental = period.start + rng.randint(60, 200)
                while dental < period.end:
                    checks.append(("DENTAL", dental, period.end))
                    dental += rng.randint(150, 400)
            number = 0
            for kind, day, end in sorted(checks, key=lambda check: check[1]):
                status = "COMPLETED" if rng.random() < 0.93 else "REFUSED"
                number += 1
                if day >= end or not self.window <= day <= self.as_at:
                    continue
                self.persons.add(child_id)
                rows.append([f"{child_id}-H{number}", child_id, kind, iso(day), status])
        return rows

    def missing(self) -> Rows:
        rows: Rows = []
        for child_id, child in sorted(self.cw.children.items()):
            rng = random.Random(f"{self.cw.seed}|{self.cw.la_code}|ssd-missing|{child_id}")
            for number, (code, start, end) in enumerate(child_missing(child, self.cw.seed, self.cw.la_code), 1):
                hour, minute = rng.randrange(12, 20), rng.randrange(60)
                end_hour = min(23, hour + rng.randint(1, 3)) if end == start else rng.randrange(8, 22)
                offered_days = rng.randint(0, 3) if rng.random() < 0.8 else rng.randint(4, 9)
                accepted = rng.random() < 0.55
                if not _in_window(start, end, self.window, self.as_at):
                    continue
                self.persons.add(child_id)
                known = end <= self.as_at
                offered = end + offered_days if known and end + offered_days <= self.as_at else None
                completed = offered + rng.randint(0, 3) if offered is not None and accepted else None
                completed = completed if completed is not None and completed <= self.as_at else None
                rows.append([
                    f"{child_id}-M{number}", child_id, f"{iso(start)}T{hour:02d}:{minute:02d}", code,
                    f"{iso(end)}T{end_hour:02d}:{minute:02d}" if known else "",
                    yn(offered is not None) if known else "", (yn(completed is not None) if offered else "NA") if known
                    else "", f"{iso(offered)}T10:00" if offered else "", f"{iso(completed)}T15:00" if completed else "",
                ])  # fmt: skip
        return rows

    # Snapshots of care leavers, immigration status, addresses ---------------------------------------------
    def care_leavers(self) -> Rows:
        rows: Rows = []
        pas = {row.child_id: row for row in self.cw.involvements if row.role == PA and row.start <= self.as_at
               and (row.end is None or row.end > self.as_at)}  # fmt: skip
        schema_year = int(collection_year(date.fromordinal(self.as_at))[:4]) + 1
        for child_id, child in sorted(self.cw.children.items()):
            periods = [period for period in care_periods(child) if period.start <= self.as_at]
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
            rows.append([
                f"{child_id}-CL", child_id, eligibility, in_touch, iso(contact) if in_touch == "YES" else "", letter,
                suitable, activity, iso(review), pa.team_id if pa else (holder.team_id if holder else ""),
                holder.worker_id if holder and holder.role == ALLOCATED_SW else "", pa.worker_id if pa else "",
                yn(letter == "Z"), yn(activity in ("F4", "P4")),
            ])  # fmt: skip
        return rows

    def immigration_status(self) -> Rows:
        rows: Rows = []
        for child_id, child in sorted(self.cw.children.items()):
            if not child.uasc or child.episodes[0].decom > self.as_at:
                continue
            eighteenth = anniversary(child.dob, 18)
            self.persons.add(child_id)
            if eighteenth <= self.as_at:
                rows.append([child_id, "UASC", iso(child.episodes[0].decom), iso(eighteenth - 1)])
                rows.append([child_id, "FORMER_UASC", iso(eighteenth), ""])
            else:
                rows.append([child_id, "UASC", iso(child.episodes[0].decom), ""])
        return rows

    def addresses(self) -> Rows:
        rows: Rows = []
        for child_id, child in sorted(self.cw.children.items()):
            if child_id not in self.persons:
                continue
            known = [episode for episode in child.episodes if episode.decom <= self.as_at]
            homes = [episode for episode in known if episode.home_post]
            if homes:
                rows.append([child_id, "HOME", iso(homes[-1].decom), "", homes[-1].home_post])
            current = [e for e in known if e.dec > self.as_at and e.pl_post and e.ls not in ("V3", "V4")]
            if current:
                rows.append([child_id, "PLACEMENT", iso(current[-1].decom), "", current[-1].pl_post])
        return rows

    def early_help(self) -> Rows:
        rows: Rows = []
        for episode in self.cw.early_help:
            if not _in_window(episode.start, episode.end, self.window, self.as_at):
                continue
            self.persons.add(episode.child_id)
            rows.append([
                episode.episode_id, episode.child_id, iso(episode.start), iso(_known_end(episode.end, self.as_at)),
                "Family support", episode.end_reason if episode.end <= self.as_at else "", episode.team_name,
                episode.worker_id, iso(self._known(episode.assessed)), iso(self._known(episode.plan_start)),
            ])  # fmt: skip
        return rows

    # People (last: everyone the other tables name) ----------------------------------------------------------
    def person(self) -> Rows:
        rows: Rows = []
        for child in self.cw.cin:
            if child.child_id not in self.persons:
                continue
            unborn = child.dob > self.as_at
            upn = child.upn
            if upn == "UN1" and child.school_upn and anniversary(child.dob, 4) <= self.as_at:
                upn = child.school_upn
            looked_after = self.cw.children.get(child.child_id)
            mother = ""
            if looked_after is not None and child.sex == "F":
                mother = yn(looked_after.mc_dob is not None and looked_after.mc_dob <= self.as_at)
            nationality = ""
            if looked_after is not None and looked_after.uasc:
                nationality = _NATIONALITIES[int(child.child_id[1:]) % len(_NATIONALITIES)]
            rows.append([
                child.child_id, "U" if unborn else child.sex, "", child.ethnic, "" if unborn else iso(child.dob),
                iso(child.dob) if unborn else "", iso(self._known(child.death)),
                upn if upn.startswith("UN") else "", mother, nationality, "",
            ])  # fmt: skip
        return rows

    def tables(self) -> dict[str, Rows]:
        """Every SSD table of the delivery, ssd_person last so it covers everyone the others name."""
        tables = {
            "ssd_department": self.department(),
            "ssd_professionals": self.professionals(),
            "ssd_involvements": self.involvements(),
            "ssd_contacts": self.contacts(),
            "ssd_cin_visits": self.visits("CIN"),
            "ssd_cp_visits": self.visits("CP"),
            "ssd_cla_visits": self.visits("CLA"),
            "ssd_care_leavers": self.care_leavers(),
            "ssd_initial_cp_conference": self.initial_cp_conferences(),
            "ssd_cla_placement": self.placements(),
            "ssd_cla_health": self.health(),
            "ssd_missing": self.missing(),
            "ssd_immigration_status": self.immigration_status(),
            "ssd_early_help_episodes": self.early_help(),
        }
        tables["ssd_address"] = self.addresses()
        tables["ssd_person"] = self.person()
        return tables
