"""Dirty exports through the real extract layer: every injected defect is reported with its rule, nothing else is."""

from __future__ import annotations

import csv
import hashlib
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import extract_all
from synth import generate_organisation
from synth.dirty import FILE_KINDS, ROW_KINDS, DirtRates, make_dirty

LA = "E06000039"
AS_OF = date(2025, 10, 31)  # 2025-26: H5/P2/Z1 retired, so wrong-year and legacy PLACE codes both occur
FILE_RULES = {"F01", "F02", "F04", "F07", "F09"}
TRUTH_KEYS = ["file", "row", "field", "kind", "expected_rule", "description"]
# 903 tables per collection year: Header, Episodes and the nine others from 2023-24 (SWEpisodes' first year) until
# DoLo joins in 2026-27 (input contract §1.1.1). Every year here is in that span.
TABLES_903 = 11


def _relative(run: dict, path: Path) -> str:
    return path.relative_to(run["root"] / "inbound").as_posix()


def _files_903(run: dict) -> set[str]:
    """The 903 CSVs of the run (relative to inbound), the only files make_dirty touches."""
    return {_relative(run, path) for path in run["files"] if "903" in path.parent.parts}


def _dirty_run(root: Path, rates: DirtRates | None, seed: int = 7, history_years: int = 2) -> dict:
    inbound = root / "inbound"
    files = generate_organisation(inbound, LA, AS_OF, seed=seed, months=1, history_years=history_years)
    truth = []
    if rates is not None:
        truth_path = make_dirty(files, inbound, seed, rates)
        truth = [json.loads(line) for line in truth_path.read_text(encoding="utf-8").splitlines()]
    outcomes = extract_all(inbound, root / "landing", root / "archive", AS_OF)
    return {"files": files, "truth": truth, "outcomes": {o.source_file: o for o in outcomes}, "root": root}


def _findings(landing: Path, folder: str) -> list[dict]:
    return [row for path in sorted((landing / folder).glob("*.parquet")) for row in pq.read_table(path).to_pylist()]


def _row_truth(truth: list[dict]) -> list[dict]:
    return [line for line in truth if line["expected_rule"][0] in "RW"]


@pytest.fixture(scope="module")
def capped(tmp_path_factory) -> dict:
    """Five times the default row rates, capped under F07: every file lands."""
    return _dirty_run(tmp_path_factory.mktemp("capped"), DirtRates().scaled(5))


def test_every_row_kind_is_injected_and_every_file_lands(capped):
    kinds = {line["kind"] for line in capped["truth"]}
    assert kinds == set(ROW_KINDS)
    # Every data file of every family lands (the manifest is not a data file): dirt never crosses the F07 cap.
    data_files = {_relative(capped, path) for path in capped["files"] if path.name != "_delivery.json"}
    assert set(capped["outcomes"]) == data_files
    assert {outcome.outcome for outcome in capped["outcomes"].values()} == {"landed"}
    assert len(_files_903(capped)) == 3 * TABLES_903  # two history years and the 2025-26 delivery
    assert {line["file"] for line in capped["truth"]} <= _files_903(capped)
    assert [list(line) for line in capped["truth"]] == [TRUTH_KEYS] * len(capped["truth"])


def test_every_row_defect_is_reported_with_its_rule_and_nothing_else(capped):
    landing = capped["root"] / "landing"
    found = {
        (row["source_file"], row["source_row"], row["rule_code"], row["field"])
        for folder in ("_quarantine/rows", "_warnings")
        for row in _findings(landing, folder)
    }
    expected = {(d["file"], d["row"], d["expected_rule"], d["field"]) for d in _row_truth(capped["truth"])}
    assert len(expected) > 80
    assert expected - found == set()
    # No side effect of an injection trips another rule, except the one the contract implies: a child whose Header
    # row was rejected is an orphan (W06) in the delivery's other tables.
    consequences = found - expected
    assert {rule for _, _, rule, _ in consequences} <= {"W06"}
    landed_header = _landed_header_children(landing)
    inbound = capped["root"] / "inbound"
    for source_file, source_row, _, _ in consequences:
        child = _csv_record(inbound / source_file, source_row)["CHILD"]
        assert (Path(source_file).parent.as_posix(), child) not in landed_header, (source_file, source_row)
        assert any(
            line["file"].startswith(Path(source_file).parent.as_posix()) and "_header" in line["file"]
            for line in _row_truth(capped["truth"])
            if line["expected_rule"].startswith("R")
        )


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


def test_data_quality_kinds_are_listed_but_not_quarantined(capped):
    dq = {(d["file"], d["row"]) for d in capped["truth"] if d["expected_rule"].startswith("DQ_")}
    assert {d["expected_rule"] for d in capped["truth"] if d["expected_rule"].startswith("DQ_")} == {
        "DQ_OVERLAP",
        "DQ_UNCLOSED",
    }
    landing = capped["root"] / "landing"
    folders = ("_quarantine/rows", "_warnings")
    reported = {(row["source_file"], row["source_row"]) for f in folders for row in _findings(landing, f)}
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
    assert len(values) > 500
    assert [value for value in values if value in text] == []


def test_manifest_entries_follow_the_rewritten_files(capped):
    folder = capped["root"] / "inbound" / LA / "2025-10"
    manifest = json.loads((folder / "_delivery.json").read_text())
    rewritten = {line["file"] for line in capped["truth"] if line["file"].startswith(f"{LA}/2025-10/")}
    assert len(rewritten) > 5
    checked = set()
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if entry["path"].startswith("903/"):  # rows of a CSV are its data lines (CIN XML counts Child elements)
            assert entry["rows"] == data.count(b"\n") - 1
            checked.add(f"{LA}/2025-10/{entry['path']}")
    assert rewritten <= checked


def test_uncapped_rates_reject_files_with_f07_and_still_quarantine_their_rows(tmp_path):
    run = _dirty_run(tmp_path, DirtRates(keep_under_f07=False).scaled(10), history_years=1)
    f07 = {line["file"]: line for line in run["truth"] if line["expected_rule"] == "F07"}
    # 10 x the defaults is ~16 % of rows: every 903 file of 50 rows or more crosses 2 %. The smallest tables
    # (AD1, UASC: a handful of rows) may draw no defect at all and then land.
    big = {name for name in _files_903(run) if (tmp_path / "inbound" / name).read_bytes().count(b"\n") > 50}
    core = {name for name in _files_903(run) if Path(name).stem.split("_", 3)[3] in ("header", "episodes")}
    assert len(core) == 4 and core <= big <= set(f07)
    for source_file, outcome in run["outcomes"].items():  # F07 is the only way a file is rejected here
        assert (outcome.outcome == "rejected") == (source_file in f07), source_file
    for source_file, line in f07.items():
        outcome = run["outcomes"][source_file]
        assert outcome.outcome == "rejected"
        assert outcome.message.startswith(f"{source_file}: F07 ")
        counted = line["description"].split(" data rows")[0]  # "78 of 495"
        assert f"F07 {counted} data rows rejected" in outcome.message
    quarantined = {
        (row["source_file"], row["source_row"], row["rule_code"])
        for row in _findings(tmp_path / "landing", "_quarantine/rows")
    }
    expected = {(d["file"], d["row"], d["expected_rule"]) for d in _row_truth(run["truth"])}
    # A rejected file keeps its row quarantine (R*, W01) but lands no warnings (W05, W07).
    assert {item for item in expected if item[2][0] == "R" or item[2] == "W01"} <= quarantined
    assert _findings(tmp_path / "landing", "_warnings") == []


@pytest.mark.parametrize("kind", FILE_KINDS)
def test_file_level_defects_reject_the_file_with_their_code(tmp_path, kind):
    run = _dirty_run(tmp_path, DirtRates(**{kind: 1.0}), history_years=1)
    file_lines = [line for line in run["truth"] if line["expected_rule"] in FILE_RULES]
    # At rate 1.0 every 903 file (11 tables in 2024-25 and in the 2025-26 delivery, each with data rows) gets the
    # defect; manifest_mismatch needs a manifest entry, which only the monthly delivery's files have.
    # CIN, HR, finance and reference files are not 903 tables and are left alone.
    hit = {line["file"] for line in file_lines}
    if kind == "manifest_mismatch":
        assert hit == {name for name in _files_903(run) if name.startswith(f"{LA}/2025-10/")}
    else:
        assert hit == _files_903(run)
    assert len(file_lines) == len(hit) == (1 if kind == "manifest_mismatch" else 2) * TABLES_903
    for line in file_lines:
        assert line["kind"] == kind
        outcome = run["outcomes"][line["file"]]
        assert (outcome.outcome, outcome.message.split(" ")[1]) == ("rejected", line["expected_rule"])
        assert [other for other in run["truth"] if other["file"] == line["file"]] == [line]
        assert (line["row"] is None) == (kind == "manifest_mismatch")
    if kind in ("wrong_column_name", "duplicate_column"):
        assert {line["row"] for line in file_lines} == {1}


def test_a_clean_run_quarantines_nothing(tmp_path):
    run = _dirty_run(tmp_path, None)
    assert {outcome.outcome for outcome in run["outcomes"].values()} == {"landed"}
    assert list((tmp_path / "landing").glob("_warnings/*")) == []
    assert list((tmp_path / "landing").glob("_quarantine/**/*.*")) == []


def test_default_rates_land_every_file(tmp_path):
    run = _dirty_run(tmp_path, DirtRates(), history_years=3)
    assert {outcome.outcome for outcome in run["outcomes"].values()} == {"landed"}
    assert len(run["truth"]) > 20
