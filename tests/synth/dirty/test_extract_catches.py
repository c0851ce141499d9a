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
    assert [outcome.outcome for outcome in capped["outcomes"].values()] == ["landed"] * 6
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
    assert found - expected == set()  # no side effect of an injection trips another rule


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
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["rows"] == data.count(b"\n") - 1


def test_uncapped_rates_reject_files_with_f07_and_still_quarantine_their_rows(tmp_path):
    run = _dirty_run(tmp_path, DirtRates(keep_under_f07=False).scaled(10), history_years=1)
    f07 = {line["file"]: line for line in run["truth"] if line["expected_rule"] == "F07"}
    assert len(f07) == 4  # every file: 10 x the defaults is ~16 % of rows
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
    # manifest_mismatch needs a manifest entry: only the monthly delivery's two files have one.
    assert len(file_lines) == (2 if kind == "manifest_mismatch" else 4)
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
