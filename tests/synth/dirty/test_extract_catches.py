"""Dirty exports through the real extract layer: every injected defect is reported with its rule, nothing else is.

Row and header defects of every family (903, CIN, SSD, local, HR, finance); file-level defects are in
`test_file_kinds.py`.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import extract_all
from synth import generate_organisation
from synth.dirty import CIN_ROW_KINDS, HEADER_KINDS, ROW_KINDS, TABLE_ROW_KINDS, DirtRates, make_dirty
from synth.dirty.table_shapes import table_shape
from tests.helpers import tree_snapshot
from tests.synth.dirty.support import (
    AS_OF,
    DIRTIED_FAMILIES,
    HISTORY_YEARS,
    LA,
    SEED,
    SIZE,
    TRUTH_KEYS,
    Organisation,
    cin_records_under,
    family_of,
    findings,
    findings_of_injections,
)

# 903 tables per collection year: Header, Episodes and the nine others from 2023-24 (SWEpisodes' first year) until
# DoLo joins in 2026-27 (input contract §1.1.1). Every year here is in that span.
TABLES_903 = 11
TABLE_FAMILIES = ("ssd", "local", "hr", "fin")
PROHIBITED_NAMES = {
    *("pers_forename", "prof_professional_name", "addr_address_json"),
    *("child_surname", "ni_number", "carer_surname"),
}


def _relative(run: dict, path: Path) -> str:
    return path.relative_to(run["root"] / "inbound").as_posix()


def _dirtied_files(run: dict) -> set[str]:
    """The data files make_dirty may touch (relative to inbound): every family's but ref/, never the manifest."""
    relative = {_relative(run, path) for path in run["files"] if path.name != "_delivery.json"}
    return {name for name in relative if family_of(name) in DIRTIED_FAMILIES}


def _files_903(run: dict) -> set[str]:
    return {name for name in _dirtied_files(run) if family_of(name) == "903"}


def _dirty_run(root: Path, organisation: Organisation, rates: DirtRates | None, seed: int = SEED) -> dict:
    inbound = root / "inbound"
    files = organisation(inbound)
    truth = []
    if rates is not None:
        truth_path = make_dirty(files, inbound, seed, rates)
        truth = [json.loads(line) for line in truth_path.read_text(encoding="utf-8").splitlines()]
    return {"files": files, "truth": truth, "root": root, "outcomes": _extract(root)}


def _extract(root: Path) -> dict:
    outcomes = extract_all(root / "inbound", root / "landing", root / "archive", AS_OF)
    # A `gated` outcome (input contract §6 X1: over 2 % orphans in a mandatory table) names a landed file too: the
    # files' own outcomes are the ones kept here.
    return {o.source_file: o for o in outcomes if o.outcome != "gated"}


def _row_truth(truth: list[dict]) -> list[dict]:
    return [line for line in truth if line["expected_rule"][0] in "RW"]


@pytest.fixture(scope="module")
def capped(tmp_path_factory, organisation) -> dict:
    """Five times the default row and header rates, capped under F07: every file lands."""
    return _dirty_run(tmp_path_factory.mktemp("capped"), organisation, DirtRates().scaled(5))


def test_every_kind_is_injected_in_every_family_and_every_file_lands(capped):
    kinds = {}
    for line in capped["truth"]:
        group = family_of(line["file"]) if family_of(line["file"]) in ("903", "cin") else "table"
        kinds.setdefault(group, set()).add(line["kind"])
    assert kinds == {"903": set(ROW_KINDS), "cin": set(CIN_ROW_KINDS), "table": {*TABLE_ROW_KINDS, *HEADER_KINDS}}
    assert {family_of(line["file"]) for line in capped["truth"]} == set(DIRTIED_FAMILIES)
    # Every data file of every family lands (the manifest is not a data file): dirt never crosses the F07 cap.
    data_files = {_relative(capped, path) for path in capped["files"] if path.name != "_delivery.json"}
    assert set(capped["outcomes"]) == data_files
    assert {outcome.outcome for outcome in capped["outcomes"].values()} == {"landed"}
    assert len(_files_903(capped)) == 3 * TABLES_903  # two history years and the 2025-26 delivery
    assert {line["file"] for line in capped["truth"]} <= _dirtied_files(capped)
    assert [list(line) for line in capped["truth"]] == [TRUTH_KEYS] * len(capped["truth"])


def test_every_row_defect_is_reported_with_its_rule_and_nothing_else(capped):
    landing, inbound = capped["root"] / "landing", capped["root"] / "inbound"
    found = {
        (row["source_file"], row["source_row"], row["rule_code"], row["field"])
        for folder in ("_quarantine/rows", "_warnings")
        for row in findings_of_injections(landing, folder)
    }
    truth = _row_truth(capped["truth"])
    expected = {(d["file"], d["row"], d["expected_rule"], d["field"]) for d in truth}
    for family in DIRTIED_FAMILIES:
        assert len([item for item in expected if family_of(item[0]) == family]) > 40, family
    assert expected - found == set()
    # A rejected CIN record takes the records under it along, with its rule and no field.
    under = cin_records_under(inbound, capped["truth"])
    assert under and under <= found
    # No side effect of an injection trips another rule, except the one the contract implies: a child whose Header
    # row was rejected is an orphan (W06) in the delivery's other 903 tables.
    consequences = found - expected - under
    assert {rule for _, _, rule, _ in consequences} <= {"W06"}
    landed_header = _landed_header_children(landing)
    for source_file, source_row, _, _ in consequences:
        child = _csv_record(inbound / source_file, source_row)["CHILD"]
        assert (Path(source_file).parent.as_posix(), child) not in landed_header, (source_file, source_row)
        assert any(
            line["file"].startswith(Path(source_file).parent.as_posix()) and "_header" in line["file"]
            for line in _row_truth(capped["truth"])
            if line["expected_rule"].startswith("R")
        )
    assert any(line["kind"] == "period_outside_fy" for line in truth)  # a fin_ledger R05 (contract §4.2)


def _landed_header_children(landing: Path) -> set[tuple[str, str]]:
    """(delivery folder of the source file, child) of every landed Header row."""
    return {
        (Path(row["source_file"]).parent.as_posix(), row["child"])
        for path in sorted((landing / "ssda903" / "header").rglob("*.parquet"))
        for row in pq.read_table(path, columns=["source_file", "child"]).to_pylist()
    }


def _csv_record(path: Path, record: int) -> dict[str, str]:
    """CSV record number `record` (the header is 1) as a dict."""
    with path.open(newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))[record - 2]


def test_header_defects_are_reported_on_the_header_row(capped):
    header_lines = [line for line in capped["truth"] if line["kind"] in HEADER_KINDS]
    assert {line["expected_rule"] for line in header_lines} == {"W10", "W02"}
    assert {line["row"] for line in header_lines} == {1}
    assert {family_of(line["file"]) for line in header_lines} <= set(TABLE_FAMILIES)
    inbound = capped["root"] / "inbound"
    for line in header_lines:
        header = (inbound / line["file"]).read_text(encoding="utf-8").split("\n", 1)[0].split(",")
        assert line["field"] in header  # the prohibited column, or the misnamed one, as delivered
        if line["kind"] == "prohibited_column":  # the column §11.2 names for the table, else the family's
            assert line["field"] in PROHIBITED_NAMES
    # The prohibited column is never persisted: a file carrying one is not archived (input contract §11.2).
    archived = {path.name for path in (capped["root"] / "archive").rglob("*") if path.is_file()}  # sha256 names
    assert len(archived) > 50
    prohibited = {line["file"] for line in header_lines if line["kind"] == "prohibited_column"}
    for name in {line["file"] for line in header_lines}:
        digest = hashlib.sha256((inbound / name).read_bytes()).hexdigest()
        assert (digest in archived) == (name not in prohibited), name


def test_data_quality_kinds_are_listed_but_not_quarantined(capped):
    dq = {(d["file"], d["row"]) for d in capped["truth"] if d["expected_rule"].startswith("DQ_")}
    assert {d["expected_rule"] for d in capped["truth"] if d["expected_rule"].startswith("DQ_")} == {
        "DQ_OVERLAP",
        "DQ_UNCLOSED",
    }
    landing = capped["root"] / "landing"
    folders = ("_quarantine/rows", "_warnings")
    reported = {(row["source_file"], row["source_row"]) for f in folders for row in findings_of_injections(landing, f)}
    assert dq and not dq & reported


def test_overlaps_and_unclosed_episodes_are_what_they_say(capped):
    inbound = capped["root"] / "inbound"
    for line in capped["truth"]:
        if not line["expected_rule"].startswith("DQ_"):
            continue
        with (inbound / line["file"]).open(newline="") as handle:
            rows = list(csv.DictReader(handle))
        episode, following = rows[line["row"] - 2], rows[line["row"] - 1]  # record n is rows[n - 2]
        assert episode["CHILD"] == following["CHILD"]
        if line["expected_rule"] == "DQ_UNCLOSED":
            assert (episode["DEC"], episode["REC"]) == ("", "")
        else:
            day = [date(*map(int, reversed(text.split("/")))) for text in (episode["DEC"], following["DECOM"])]
            assert day[0] > day[1]


def test_the_truth_file_holds_no_personal_values(capped):
    inbound = capped["root"] / "inbound"
    text = (inbound / LA / "_dirty_truth.jsonl").read_text(encoding="utf-8")
    header = inbound / LA / "2025-10" / "903" / f"{LA}_903_2025-26_header.csv"
    with header.open(newline="") as handle:
        people = list(csv.DictReader(handle))
    values = {person[column] for person in people for column in ("CHILD", "DOB", "UPN") if len(person[column]) > 3}
    with (inbound / LA / "2025-10" / "ssd" / "ssd_person.csv").open(newline="") as handle:
        values |= {person[column] for person in csv.DictReader(handle) for column in ("pers_person_id", "pers_dob")}
    values.discard("")
    assert len(values) > 2000
    words = set(re.findall(r"[A-Za-z0-9/_-]+", text))  # ids and both kinds of dates would be whole words
    assert values & words == set()
    assert "pers_dob" in words  # a truth line about a date of birth names the column, not the date


def test_manifest_entries_follow_the_rewritten_files(capped):
    folder = capped["root"] / "inbound" / LA / "2025-10"
    manifest = json.loads((folder / "_delivery.json").read_text())
    rewritten = {line["file"] for line in capped["truth"] if line["file"].startswith(f"{LA}/2025-10/")}
    assert len(rewritten) > 30
    checked = set()
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        # rows: a CSV's data lines (no generated value holds a line break); a CIN file's Child elements.
        rows = data.count(b"<Child>") if entry["path"].endswith(".xml") else data.count(b"\n") - 1
        assert entry["rows"] == rows, entry["path"]
        checked.add(f"{LA}/2025-10/{entry['path']}")
    assert rewritten <= checked


def test_uncapped_rates_reject_files_with_f07_and_still_quarantine_their_rows(tmp_path, organisation):
    run = _dirty_run(tmp_path, organisation, DirtRates(keep_under_f07=False).scaled(10))
    f07 = {line["file"]: line for line in run["truth"] if line["expected_rule"] == "F07"}
    # 10 x the defaults is ~16 % of a 903 file's rows: every 903 file of 50 rows or more crosses 2 %. Every SSD,
    # local, HR and finance table has a required column and a date or an amount, so at least two rejecting kinds
    # at 2 % each: ~4 % of its rows or more, over 2 % for a file of 500 rows with room to spare (the count is
    # Poisson, mean >= 20 against a limit of 10). The smallest tables (AD1, UASC: a handful of rows) may draw no
    # defect at all and then land.
    lines = {name: (run["root"] / "inbound" / name).read_bytes().count(b"\n") for name in _dirtied_files(run)}
    big = {name for name in _files_903(run) if lines[name] > 50}
    tables = {name for name in _dirtied_files(run) if table_shape(Path(name).name)}  # those the dirt knows
    big |= {name for name in tables if lines[name] > 500}
    big |= {name for name in _dirtied_files(run) if family_of(name) == "cin"}  # thousands of records each
    core = {name for name in _files_903(run) if Path(name).stem.split("_", 3)[3] in ("header", "episodes")}
    assert len(core) == 6 and core <= big <= set(f07)
    assert {family_of(name) for name in f07} == set(DIRTIED_FAMILIES)
    for source_file, outcome in run["outcomes"].items():  # F07 is the only way a file is rejected here
        assert (outcome.outcome == "rejected") == (source_file in f07), source_file
    for source_file, line in f07.items():
        outcome = run["outcomes"][source_file]
        assert outcome.message.startswith(f"{source_file}: F07 ")
        counted, rows = map(int, line["description"].split(" data rows")[0].split(" of "))  # "78 of 495"
        assert f"F07 {counted} of {rows} data rows rejected" in outcome.message
    quarantined = {
        (row["source_file"], row["source_row"], row["rule_code"])
        for row in findings(tmp_path / "landing", "_quarantine/rows")
    }
    expected = {(d["file"], d["row"], d["expected_rule"]) for d in _row_truth(run["truth"])}
    # A rejected file keeps its row quarantine (R*, W01) but lands no warnings (W02-W05, W07, W10).
    assert {item for item in expected if item[2][0] == "R" or item[2] == "W01"} <= quarantined
    warned = {row["source_file"] for row in findings_of_injections(tmp_path / "landing", "_warnings")}
    assert not warned & set(f07)


def test_a_clean_run_quarantines_nothing(tmp_path, organisation):
    run = _dirty_run(tmp_path, organisation, None)
    assert {outcome.outcome for outcome in run["outcomes"].values()} == {"landed"}
    assert findings_of_injections(tmp_path / "landing", "_warnings") == []
    assert list((tmp_path / "landing").glob("_quarantine/**/*.*")) == []


def test_generate_organisation_dirty_is_make_dirty_at_the_default_rates_and_every_file_lands(tmp_path, organisation):
    inbound = tmp_path / "generated" / "inbound"
    generate_organisation(inbound, LA, AS_OF, seed=SEED, months=1, history_years=HISTORY_YEARS, size=SIZE, dirty=True)
    copied = tmp_path / "copied" / "inbound"
    make_dirty(organisation(copied), copied, SEED)
    assert tree_snapshot(inbound) == tree_snapshot(copied)
    truth = (inbound / LA / "_dirty_truth.jsonl").read_text(encoding="utf-8").splitlines()
    assert len(truth) > 100
    outcomes = _extract(tmp_path / "generated")
    assert {outcome.outcome for outcome in outcomes.values()} == {"landed"}
