"""make_dirty on its own: determinism, the code choices per collection year, the F07 cap, what it leaves alone."""

from __future__ import annotations

import json
import random
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import extract_all
from synth import generate_organisation
from synth.dirty import TRUTH_NAME, DirtRates, make_dirty
from synth.dirty.shapes import legacy_code, wrong_year_code
from tests.helpers import tree_snapshot

LA = "E06000039"


def _organisation(inbound: Path, seed: int = 11) -> list[Path]:
    return generate_organisation(inbound, LA, date(2025, 10, 31), seed=seed, months=1, history_years=1)


def test_same_seed_gives_identical_dirty_bytes_and_truth(tmp_path):
    snapshots = []
    for name in ("one", "two"):
        inbound = tmp_path / name
        make_dirty(_organisation(inbound), inbound, 11, DirtRates().scaled(5))
        snapshots.append(tree_snapshot(inbound))
    assert snapshots[0] == snapshots[1]
    assert f"{LA}/{TRUTH_NAME}" in snapshots[0]
    other = tmp_path / "other-seed"
    make_dirty(_organisation(other), other, 12, DirtRates().scaled(5))
    assert tree_snapshot(other)[f"{LA}/{TRUTH_NAME}"] != snapshots[0][f"{LA}/{TRUTH_NAME}"]


def test_zero_rates_leave_every_file_untouched(tmp_path):
    files = _organisation(tmp_path)
    before = tree_snapshot(tmp_path)
    zero = DirtRates().scaled(0)
    truth = make_dirty(files, tmp_path, 11, zero)
    after = tree_snapshot(tmp_path)
    assert after.pop(f"{LA}/{TRUTH_NAME}") == ""
    assert after == before
    assert truth == tmp_path / LA / TRUTH_NAME


def test_wrong_year_codes_by_collection_year():
    rng = random.Random(0)
    assert wrong_year_code("PLACE", 2024, "U4", None, rng) == "K3"  # K3 arrives in 2024-25
    assert wrong_year_code("PLACE", 2025, "U4", None, rng) in {"Z11", "Z12", "Z13", "Z14"}
    assert wrong_year_code("PLACE", 2026, "T0", None, rng) == "Z1"  # open episode: the legacy rule cannot apply
    assert wrong_year_code("PLACE", 2026, "U4", date(2025, 4, 1), rng) in {"H5", "P2"}
    assert wrong_year_code("PLACE", 2026, "U4", date(2025, 3, 31), rng) is None  # would be W07, not R02
    assert wrong_year_code("SEX", 2026, "M", None, rng) == "1"
    assert wrong_year_code("SEX", 2024, "2", None, rng) == "F"
    assert wrong_year_code("SEX", 2026, "U", None, rng) is None  # U never had a numeric code
    assert wrong_year_code("REC", 2019, "E41", date(2018, 4, 1), rng) in {"E43", "E44"}


def test_legacy_codes_need_an_episode_that_can_end_before_the_retirement():
    assert legacy_code("PLACE", 2026, "U4", date(2023, 10, 27)) == ("P2", date(2025, 3, 31))
    assert legacy_code("PLACE", 2026, "U4", date(2023, 10, 28)) == ("H5", date(2025, 3, 31))  # P2 barred from then
    assert legacy_code("PLACE", 2026, "T1", date(2024, 1, 1)) == ("Z1", date(2025, 3, 31))
    assert legacy_code("PLACE", 2026, "U4", date(2025, 3, 30)) == ("H5", date(2025, 3, 31))
    assert legacy_code("PLACE", 2026, "U4", date(2025, 3, 31)) is None
    assert legacy_code("PLACE", 2025, "U4", date(2020, 1, 1)) is None  # H5/P2/Z1 still valid in 2024-25
    assert legacy_code("REC", 2025, "E41", date(2016, 5, 1)) == ("E43", date(2018, 3, 31))


def test_scaled_rates_multiply_row_kinds_only():
    rates = DirtRates(not_utf8=0.5).scaled(10)
    assert (rates.bad_date, rates.conflicting_key, rates.not_utf8, rates.keep_under_f07) == (0.02, 0.01, 0.5, True)


def _reviews(path: Path, rows: int) -> None:
    lines = ["CHILD,DOB,REVIEW,REVIEW_CODE"]
    for number in range(rows):
        month = f"0{1 + number % 9}"
        lines.append(f"C{number:05d},{1 + number % 28:02d}/{month}/2012,15/{month}/2024,PN{number % 8}")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_other_903_tables_are_made_dirty_and_caught(tmp_path):
    """Reviews (no generator yet): a hand-written history file gets the generic kinds, and extract reports them."""
    inbound = tmp_path / "inbound"
    reviews = inbound / LA / "history" / "903" / "2024-25" / f"{LA}_903_2024-25_reviews.csv"
    _reviews(reviews, 500)
    truth_path = make_dirty([reviews], inbound, 3, DirtRates().scaled(10))
    truth = [json.loads(line) for line in truth_path.read_text().splitlines()]
    kinds = {line["kind"] for line in truth}
    assert kinds == {"missing_mandatory", "bad_date", "future_date", "unknown_code", "conflicting_key", "duplicate_row"}
    rejected_rows = {line["row"] for line in truth if line["expected_rule"].startswith("R")}
    assert len(rejected_rows) == 500 // 50  # 10 x the defaults asks for ~70: capped at 2 %
    (outcome,) = extract_all(inbound, tmp_path / "landing", tmp_path / "archive", date(2025, 3, 31))
    assert (outcome.outcome, outcome.rows_quarantined) == ("landed", len(truth))
    (issues,) = (tmp_path / "landing" / "_quarantine" / "rows").glob("*.parquet")
    found = {(row["source_row"], row["rule_code"]) for row in pq.read_table(issues).to_pylist()}
    assert found == {(line["row"], line["expected_rule"]) for line in truth}


def test_files_that_are_not_903_tables_are_left_alone(tmp_path):
    inbound = tmp_path / "inbound"
    other = inbound / LA / "2025-10" / "ssd" / "ssd_person.csv"
    other.parent.mkdir(parents=True)
    other.write_text("pers_person_id,pers_dob\nP1,2010-01-01\n", encoding="utf-8")
    tiny = inbound / LA / "history" / "903" / "2024-25" / "reviews.csv"
    _reviews(tiny, 49)  # under 50 rows: the F07 cap allows no rejected row at all
    before = tree_snapshot(inbound)
    truth = make_dirty([other, tiny], inbound, 1, DirtRates().scaled(100))
    lines = [json.loads(line) for line in truth.read_text().splitlines()]
    assert {line["file"] for line in lines} == {f"{LA}/history/903/2024-25/reviews.csv"}
    assert {line["expected_rule"] for line in lines} == {"W01"}
    assert tree_snapshot(inbound)[f"{LA}/2025-10/ssd/ssd_person.csv"] == before[f"{LA}/2025-10/ssd/ssd_person.csv"]


def test_files_of_two_organisations_are_refused(tmp_path):
    one, two = (tmp_path / la / "history" / "903" / "2024-25" / "r.csv" for la in (LA, "E08000001"))
    _reviews(one, 5)
    _reviews(two, 5)
    with pytest.raises(ValueError, match="one organisation"):
        make_dirty([one, two], tmp_path, 1)


def test_command_line_dirty_flag_writes_the_truth_file(tmp_path, capsys):
    from synth.__main__ import main

    argv = ["--inbound-dir", str(tmp_path), "--la-code", LA, "--as-of", "2025-10-31", "--history-years", "1"]
    assert main([*argv, "--seed", "5"]) == 0
    assert not (tmp_path / LA / TRUTH_NAME).exists()
    assert main([*argv, "--seed", "5", "--dirty"]) == 0
    lines = (tmp_path / LA / TRUTH_NAME).read_text().splitlines()
    assert f"made them dirty: {len(lines)} defects listed in" in capsys.readouterr().out
    assert lines
