"""The extra SSDA903 tables of a simulated organisation: exact column sets, code lists per collection year, the
DfE scope of each file, review timing, adoption coherence with the episodes, and determinism."""

from __future__ import annotations

import csv
import itertools
import re
from datetime import date
from pathlib import Path

import pytest

from synth.calendar import anniversary, collection_year_bounds
from synth.params import SynthParams
from synth.population import simulate_population
from synth.settings_pool import build_settings
from synth.ssda903 import COLUMNS, social_worker_ids, tables_for_year, write_903_year
from synth.ssda903.dolo import child_dolos
from synth.ssda903.periods import add_working_days, care_periods
from synth.ssda903.reviews import child_reviews

LA, SEED = "E06000039", 42
YEARS = (("2022-23", date(2023, 3, 31)), ("2023-24", date(2024, 3, 31)), ("2026-27", date(2026, 10, 31)))
ACTIV_2021 = {"F1", "P1", "F2", "P2", "F4", "P4", "F5", "P5", "G4", "G5", "G6", "0"}
ACCOM = {f"{letter}{digit}" for letter in "BCDEGHKRSTUVWXYZ" for digit in "12"} | {"0"}
SW_REASONS = {"FCONTA", "MANAGE", "LEFTRL", "ORGRST", "TSPROC", "ABSENC", "CHCHAN", "PCCHAN", "SWDIED", "OTHERS"}
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")


def parse(text: str) -> date:
    day, month, year = map(int, text.split("/"))
    return date(year, month, day)


def read(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), list(reader)


@pytest.fixture(scope="module")
def children():
    return simulate_population(SEED, LA, date(2008, 4, 1), date(2026, 10, 31), SynthParams(), build_settings(SEED, LA))


@pytest.fixture(scope="module")
def written(children, tmp_path_factory):
    """{cy: (folder, manifest entries)} for three files: before SWEpisodes, the first SW year, the first DoLo year."""
    out = {}
    for cy, as_at in YEARS:
        folder = tmp_path_factory.mktemp(cy)
        out[cy] = (folder, write_903_year(folder, LA, cy, children, as_at, SEED))
    return out


def table(written, cy: str, name: str) -> list[dict[str, str]]:
    folder, _ = written[cy]
    return read(folder / f"{LA}_903_{cy}_{name}.csv")[1]


def test_tables_per_year_and_exact_column_sets(written):
    assert tables_for_year("2022-23") == [t for t in COLUMNS if t not in ("sw_episodes", "dolo")]
    assert tables_for_year("2023-24") == [t for t in COLUMNS if t != "dolo"]
    assert tables_for_year("2026-27") == list(COLUMNS)
    assert COLUMNS["oc3"] == ("CHILD", "DOB", "IN_TOUCH", "ACTIV", "ACCOM")
    assert COLUMNS["sw_episodes"] == ("CHILD", "DOB", "SW_ID", "SW_DECOM", "SW_DEC", "SW_REASON")
    assert COLUMNS["placed_adoption"] == ("CHILD", "DOB", "DATE_PLACED", "DATE_PLACED_CEASED", "REASON_PLACED_CEASED")
    for cy, (folder, entries) in written.items():
        assert [entry["table"] for entry in entries] == ["header", "episodes", *tables_for_year(cy)]
        for entry in entries:
            assert entry["path"] == f"903/{LA}_903_{cy}_{entry['table']}.csv"
            if entry["table"] in COLUMNS:
                columns, rows = read(folder / Path(entry["path"]).name)
                assert tuple(columns) == COLUMNS[entry["table"]]
                assert len(rows) == entry["rows"]
    assert {entry["table"] for entry in written["2026-27"][1] if entry["rows"]} >= {"reviews", "oc2", "oc3"}


def test_dolo_rows_are_the_orders_open_in_the_window(children, written):
    # DoLo orders are rare (~2 a year here), so whether the 2026-27 file has any depends on the draws: count the
    # orders open from 1 April 2026 to the as_at date straight from the children instead.
    first, as_at = date(2026, 4, 1).toordinal(), date(2026, 10, 31).toordinal()
    expected = sum(
        1
        for child in children
        for start, end in child_dolos(child, SEED, LA)
        if start <= as_at and (end is None or end >= first)
    )
    assert sum(len(child_dolos(child, SEED, LA)) for child in children) > 20  # the orders exist at all
    assert len(table(written, "2026-27", "dolo")) == expected


def test_code_lists_for_the_files_year(written):
    for cy in ("2022-23", "2023-24", "2026-27"):
        sexes = {"1", "2"} if cy < "2024-25" else {"M", "F", "U"}
        assert {row["SEX"] for row in table(written, cy, "uasc")} <= sexes
        assert {row["REVIEW_CODE"] for row in table(written, cy, "reviews")} <= {f"PN{n}" for n in range(8)}
        oc3 = table(written, cy, "oc3")
        assert {row["IN_TOUCH"] for row in oc3} <= {"YES", "NO", "DIED", "REFU", "NREQ", "RHOM"}
        assert {row["ACTIV"] for row in oc3} <= ACTIV_2021
        assert {row["ACCOM"] for row in oc3} <= ACCOM - {"S1", "X1"}  # homeless and custody are never suitable
        for row in oc3:
            assert (row["IN_TOUCH"] == "YES") == (row["ACTIV"] != "0" and row["ACCOM"] != "0"), row
        assert {row["MISSING"] for row in table(written, cy, "missing")} <= {"M", "A"}
        assert {row["PREV_PERM"] for row in table(written, cy, "prev_perm")} <= {"P1", "P2", "P3", "P4", "Z1"}
        for row in table(written, cy, "ad1"):
            assert (row["NB_ADOPTR"], row["SEX_ADOPTR"][-1] if row["NB_ADOPTR"] == "1" else "2") in {
                ("1", "1"),
                ("2", "2"),
            } or row["SEX_ADOPTR"] in {"MM", "FF", "MF"}
            assert row["LS_ADOPTR"] in {"L0", "L11", "L12", "L2", "L3", "L4"}
            assert (row["LS_ADOPTR"] == "L0") == (row["NB_ADOPTR"] == "1")
        for row in table(written, cy, "oc2"):
            assert row["SDQ_REASON"] in {"", "SDQ1", "SDQ2", "SDQ3", "SDQ4", "SDQ5"}
            assert row["SDQ_SCORE"] == "" or 0 <= int(row["SDQ_SCORE"]) <= 40
            assert not (row["SDQ_SCORE"] and row["SDQ_REASON"])
    sw = table(written, "2023-24", "sw_episodes")
    assert sw and {row["SW_REASON"] for row in sw} <= SW_REASONS
    assert all(re.match(r"^SW\d{6}$", row["SW_ID"]) for row in sw)


def test_rows_lie_in_the_files_window_and_link_to_the_header(written):
    for cy, as_at in YEARS:
        first = collection_year_bounds(cy)[0]
        header = {row["CHILD"]: row["DOB"] for row in table(written, cy, "header")}
        in_episodes = {row["CHILD"] for row in table(written, cy, "episodes")}
        for name in tables_for_year(cy):
            for row in table(written, cy, name):
                assert header[row["CHILD"]] == row["DOB"], (cy, name, row)
                if name != "oc3":  # only care leavers may be absent from Episodes (DfE rule 1012)
                    assert row["CHILD"] in in_episodes, (cy, name, row)
                for column, value in row.items():
                    if value and DATE.match(value) and column not in ("DOB", "DUC"):
                        assert parse(value) <= as_at, (cy, name, row)
        for row in table(written, cy, "reviews"):
            assert first <= parse(row["REVIEW"]) <= as_at
        for row in table(written, cy, "missing"):
            assert parse(row["MIS_START"]) <= as_at and (not row["MIS_END"] or parse(row["MIS_END"]) >= first)
        for row in table(written, cy, "sw_episodes") if "sw_episodes" in tables_for_year(cy) else ():
            assert parse(row["SW_DECOM"]) <= as_at and (not row["SW_DEC"] or parse(row["SW_DEC"]) >= first)


def test_reviews_follow_the_statutory_timetable(children):
    checked = 0
    for child in children:
        reviews = child_reviews(child, SEED, LA)
        for period in care_periods(child):
            days = [day for day, _ in reviews if period.start < day < period.end]
            if not days:
                assert period.end <= add_working_days(period.start, 20) + 30 + 2
                continue
            checked += 1
            assert days == sorted(days) and len(set(days)) == len(days)
            # due in 20 working days, then 3 months, then every 6; a few are late (up to 30/45/60 days, then the
            # next weekday)
            assert days[0] <= add_working_days(period.start, 20) + 30 + 2
            gaps = [later - earlier for earlier, later in itertools.pairwise(days)]
            assert all(gap <= 92 + 45 + 2 for gap in gaps[:1]) and all(gap <= 184 + 60 + 2 for gap in gaps[1:])
        for day, code in reviews:
            assert (code == "PN0") == (day < anniversary(child.dob, 4)), (child.child_id, day, code)
            assert any(period.start < day < period.end for period in care_periods(child))
    assert checked > 500


def test_adoption_tables_agree_with_the_episodes(written, children):
    by_id = {child.child_id: child for child in children}
    ad1 = [row for cy, _ in YEARS for row in table(written, cy, "ad1")]
    assert len(ad1) >= 5
    for row in ad1:
        child = by_id[row["CHILD"]]
        period = next(
            p for p in care_periods(child) if p.rec in ("E11", "E12") and p.start <= parse(row["DATE_INT"]).toordinal()
        )
        placed = next(e for e in period.episodes if e.place in ("A5", "A6"))
        order = next(e.decom for e in period.episodes if e.ls == "E1")
        decided, matched = parse(row["DATE_INT"]).toordinal(), parse(row["DATE_MATCH"]).toordinal()
        assert period.start <= decided <= order <= matched <= placed.decom < period.end
        assert row["FOSTER_CARE"] == ("1" if placed.place == "A5" else "0")
    for cy, _ in YEARS:
        decisions = {(r["CHILD"], r["DATE_PLACED"]) for r in table(written, cy, "placed_adoption")}
        assert {(r["CHILD"], r["DATE_INT"]) for r in table(written, cy, "ad1")} <= decisions  # DfE rule 523


def test_uasc_children_have_no_home_postcode_and_cease_at_18(written, children):
    uasc = [child for child in children if child.uasc]
    assert uasc and all(not episode.home_post for child in uasc for episode in child.episodes)
    rows = [row for cy, _ in YEARS for row in table(written, cy, "uasc")]
    assert rows
    dob = {child.child_id: child.dob for child in uasc}
    for row in rows:
        assert parse(row["DUC"]).toordinal() == anniversary(dob[row["CHILD"]], 18)


def test_same_seed_same_bytes_and_a_stable_social_worker_pool(children, written, tmp_path):
    cy, as_at = YEARS[-1]
    again = write_903_year(tmp_path, LA, cy, children, as_at, SEED)
    assert again == written[cy][1]
    pool = social_worker_ids(SEED, LA, 60)
    assert pool == social_worker_ids(SEED, LA, 60) and len(set(pool)) == 60
    assert social_worker_ids(SEED, LA, 80)[:60] == pool
    assert social_worker_ids(SEED + 1, LA, 60) != pool
