"""903 SWEpisodes are the looked-after children's allocations in the case system (input contract §1.1.4, §2.2, §7
`cs_sw_episode`): the written SWEpisodes files agree with ssd_involvements and ssd_professionals, and the
clipping rule of synth.ssda903.social_workers on a hand-worked case."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path
from types import SimpleNamespace

import pytest

from synth import generate_organisation
from synth.careers import Episode
from synth.params import SynthParams
from synth.population import Child, simulate_population
from synth.settings_pool import build_settings
from synth.ssd.allocation import Involvement
from synth.ssda903.periods import care_periods as synth_periods
from synth.ssda903.social_workers import allocated_social_workers

LA, SEED, AS_OF = "E06000039", 42, date(2026, 10, 31)
SW_YEARS = {"2023-24": date(2024, 3, 31), "2024-25": date(2025, 3, 31), "2025-26": date(2026, 3, 31)}
IN_YEAR = ("2026-27", AS_OF)
OPEN = date.max  # the end of a period or an allocation still open


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def dmy(text: str) -> date | None:
    return datetime.strptime(text, "%d/%m/%Y").date() if text else None


def iso(text: str) -> date | None:
    return date.fromisoformat(text) if text else None


@pytest.fixture(scope="module")
def organisation(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("sw")
    generate_organisation(root, LA, AS_OF, seed=SEED, months=1, history_years=3)
    return root / LA


def file_of(la: Path, cy: str, table: str) -> Path:
    folder = la / "history" / "903" / cy if cy in SW_YEARS else la / f"{AS_OF:%Y-%m}" / "903"
    return folder / f"{LA}_903_{cy}_{table}.csv"


def care_periods() -> dict[str, list[tuple[date, date]]]:
    """Each child's periods of care (short breaks left out, episodes joined by REC X1) in the organisation's
    simulated lives, built as synth.organisation builds them. Not from the 903 files: a period open since before
    2023-24 (the earliest SWEpisodes year) may have begun in an episode no delivered file holds."""
    params = SynthParams()
    # generate_organisation: the first history year (2023-24, history_years=3) less the lead-in.
    first = date(2023 - params.lead_in_years, 4, 1)
    children = simulate_population(SEED, LA, first, AS_OF, params, build_settings(SEED, LA))
    return {
        child.child_id: [(date.fromordinal(p.start), date.fromordinal(p.end)) for p in synth_periods(child)]
        for child in children
        if synth_periods(child)
    }


def expected_episodes(la: Path, periods: dict[str, list[tuple[date, date]]]) -> dict[str, list[tuple]]:
    """The SWEpisodes every child should have over the whole span, derived from the SSD delivery alone: each
    ALLOCATED_SW involvement (and team-only row of a case-holding team: SW_ID XX) clipped to each period of care;
    SW_ID the worker's registration number; SW_REASON the change reason, FCONTA when the allocation began before
    the period (the start of the period's chain)."""
    ssd = la / f"{AS_OF:%Y-%m}" / "ssd"
    swe = {
        row["prof_professional_id"]: row["prof_social_worker_registration_no"]
        for row in read(ssd / "ssd_professionals.csv")
    }
    iro_teams = {row["dept_team_id"] for row in read(ssd / "ssd_department.csv") if row["local_service_code"] == "SQA"}
    expected: dict[str, list[tuple]] = {}
    for row in read(ssd / "ssd_involvements.csv"):
        role, child = row["invo_professional_role_id"], row["invo_person_id"]
        if role != "ALLOCATED_SW" and not (role == "TEAM_ONLY" and row["invo_professional_team"] not in iro_teams):
            continue
        worker = swe[row["invo_professional_id"]] if role == "ALLOCATED_SW" else "XX"
        start, end = iso(row["invo_involvement_start_date"]), iso(row["invo_involvement_end_date"]) or OPEN
        for period_start, period_end in periods.get(child, []):
            first, last = max(start, period_start), min(end, period_end)
            if first < last:
                reason = row["invo_worker_change_reason"] if start >= period_start else "FCONTA"
                expected.setdefault(child, []).append((worker, first, last, reason))
    return expected


def test_sw_episodes_are_the_allocations_of_every_looked_after_child(organisation):
    periods = care_periods()
    expected = expected_episodes(organisation, periods)
    checked = set()
    for cy, as_at in [*SW_YEARS.items(), IN_YEAR]:
        first = date(int(cy[:4]), 4, 1)
        written: dict[str, list[tuple]] = {}
        for row in read(file_of(organisation, cy, "sw_episodes")):
            written.setdefault(row["CHILD"], []).append(
                (row["SW_ID"], dmy(row["SW_DECOM"]), dmy(row["SW_DEC"]), row["SW_REASON"])
            )
        # Every child looked after in the file's window (1 April to as_at), and only they, has SW episodes.
        looked_after = {
            child for child, spans in periods.items() if any(s <= as_at and e >= first for s, e in spans)
        }  # fmt: skip
        assert set(written) == looked_after, cy
        for child in looked_after:
            # The file's scope (§1.1.3): episodes open in the window; an end after as_at is not known yet.
            want = [
                (worker, start, end if end <= as_at else None, reason)
                for worker, start, end, reason in expected.get(child, [])
                if start <= as_at and end >= first
            ]
            assert sorted(written[child], key=lambda e: e[1]) == sorted(want, key=lambda e: e[1]), (cy, child)
            checked.add(child)
    # The default organisation has ~210 children looked after at a time and ~100 starts a year.
    assert len(checked) > 400
    registered = {row["prof_social_worker_registration_no"] for row in read(
        organisation / f"{AS_OF:%Y-%m}" / "ssd" / "ssd_professionals.csv")}  # fmt: skip
    in_year = read(file_of(organisation, *IN_YEAR[:1], "sw_episodes"))
    assert {row["SW_ID"] for row in in_year} <= registered | {"XX"}


def test_a_chain_is_clipped_to_the_periods_of_care():
    day = date(2025, 1, 1).toordinal()  # ordinals relative to 1 January 2025
    episodes = [
        Episode(day + 100, day + 200, "S", "C2", "N1", "U4", "PR1", "X1", "", "", "", ""),
        Episode(day + 200, day + 300, "P", "C2", "N1", "U4", "PR1", "E13", "", "", "", ""),  # leaves care
        Episode(day + 400, day + 900, "S", "V2", "N1", "U4", "PR1", "E13", "", "", "", ""),  # back; open at horizon
    ]
    child = Child("C1", "F", day - 3000, "WBRI", "UN1", None, episodes)
    rows = [  # the case system's allocations (allocation.Involvement; end exclusive)
        Involvement("C1-I1", "C1", "W1", "ALLOCATED_SW", "TSF01", "SFS", day + 40, day + 100, "FCONTA", "R1"),
        Involvement("C1-I2", "C1", "W2", "ALLOCATED_SW", "TCL01", "CLASS", day + 100, day + 250, "TSPROC", "R1"),
        Involvement("C1-I3", "C1", "W3", "ALLOCATED_SW", "TCL01", "CLASS", day + 250, day + 420, "LEFTRL", "R1"),
        Involvement("C1-I4", "C1", "", "TEAM_ONLY", "TCL01", "CLASS", day + 420, day + 430, "LEFTRL", "R1"),
        Involvement("C1-I5", "C1", "W4", "ALLOCATED_SW", "TCL01", "CLASS", day + 430, None, "MANAGE", "R1"),
        Involvement("C1-I6", "C1", "", "TEAM_ONLY", "TSQ01", "SQA", day + 400, None, "FCONTA", "", "IRO"),
        Involvement("C1-I7", "C1", "W9", "IRO", "TSQ01", "SQA", day + 100, day + 300, "FCONTA", ""),
    ]
    spells = [SimpleNamespace(worker_id=f"W{n}", swe=f"SW90000{n}") for n in (1, 2, 3, 4)]
    casework = SimpleNamespace(
        children={"C1": child}, involvements=rows, workforce=SimpleNamespace(spells=spells), horizon=day + 500
    )
    assert allocated_social_workers(casework) == {
        "C1": [
            # First period (day 100 to 300): W1 held the case before care (not reported); W2 from the start of care;
            # W3 took over on day 250 and is cut at the period's end, day 300.
            ("SW900002", day + 100, day + 250, "TSPROC"),
            ("SW900003", day + 250, day + 300, "LEFTRL"),
            # Second period (day 400, open at the horizon, day 500): W3's allocation carried into care opens the
            # chain (FCONTA); then nobody (team only, XX); then W4, still open (None). IRO rows are not reported.
            ("SW900003", day + 400, day + 420, "FCONTA"),
            ("XX", day + 420, day + 430, "LEFTRL"),
            ("SW900004", day + 430, None, "MANAGE"),
        ]
    }
