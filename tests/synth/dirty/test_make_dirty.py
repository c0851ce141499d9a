"""make_dirty on its own: determinism, the code choices per collection year, the F07 cap, what it leaves alone."""

from __future__ import annotations

import json
import random
from datetime import date, timedelta
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import extract_all, extract_file
from synth.dirty import TRUTH_NAME, DirtRates, make_dirty
from synth.dirty.shapes import legacy_code, wrong_year_code
from synth.dirty.table_shapes import table_shape
from tests.helpers import tree_snapshot
from tests.synth.dirty.support import DIRTIED_FAMILIES, LA, family_of


def _truth(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_same_seed_gives_identical_dirty_bytes_and_truth(tmp_path, organisation):
    snapshots = []
    for name in ("one", "two"):
        inbound = tmp_path / name
        make_dirty(organisation(inbound), inbound, 11, DirtRates().scaled(5))
        snapshots.append(tree_snapshot(inbound))
    assert snapshots[0] == snapshots[1]
    truth = _truth(tmp_path / "one" / LA / TRUTH_NAME)
    assert {family_of(line["file"]) for line in truth} == set(DIRTIED_FAMILIES)
    # Each file's dirt comes from its own seed: dirtying the 903 files alone gives them the same bytes and lines.
    alone = tmp_path / "903-alone"
    make_dirty(organisation(alone), alone, 11, DirtRates().scaled(5), families=("903",))
    files_903 = {name for name in snapshots[0] if "/903/" in name}
    assert {name: tree_snapshot(alone)[name] for name in files_903} == {name: snapshots[0][name] for name in files_903}
    assert _truth(alone / LA / TRUTH_NAME) == [line for line in truth if family_of(line["file"]) == "903"]
    other = tmp_path / "other-seed"
    make_dirty(organisation(other), other, 12, DirtRates().scaled(5), families=("903",))
    assert _truth(other / LA / TRUTH_NAME) != _truth(alone / LA / TRUTH_NAME)


def test_zero_rates_leave_every_file_untouched(tmp_path, organisation):
    inbound = tmp_path / "inbound"
    files = organisation(inbound)
    before = tree_snapshot(inbound)
    zero = DirtRates().scaled(0)
    truth = make_dirty(files, inbound, 11, zero)
    after = tree_snapshot(inbound)
    assert after.pop(f"{LA}/{TRUTH_NAME}") == ""
    assert after == before
    assert truth == inbound / LA / TRUTH_NAME


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


def test_scaled_rates_multiply_row_and_header_kinds_only():
    rates = DirtRates(not_utf8=0.5).scaled(10)
    assert (rates.bad_date, rates.conflicting_key, rates.not_utf8, rates.keep_under_f07) == (0.02, 0.01, 0.5, True)
    assert (rates.impossible_date, rates.prohibited_column, rates.la_mismatch) == (0.02, 0.5, 0.0)  # 0.05 x 10


def test_every_table_the_organisation_writes_has_a_shape(tmp_path, organisation):
    """A table the generator writes but the dirt does not know would never be made dirty: give it a shape
    (`synth.dirty.table_shapes`, from the input contract) when the generator gains it."""
    inbound = tmp_path / "inbound"
    written = [path for path in organisation(inbound) if path.parent.name in ("ssd", "local", "hr", "fin")]
    assert len(written) > 40
    assert [path.name for path in written if table_shape(path.name) is None] == []


def test_table_files_are_known_by_their_contract_names():
    # §0.2: the table name, with an optional `<la_code>_` prefix and `_<YYYYMMDD>` suffix.
    assert table_shape("ssd_person.csv").name == "ssd_person"
    assert table_shape("E06000039_hr_absence_20251103.csv").name == "hr_absence"
    assert table_shape("ssd_person.xlsx") is None
    assert table_shape("ssd_notes.csv") is None


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
    truth = _truth(truth_path)
    kinds = {line["kind"] for line in truth}
    assert kinds == {"missing_mandatory", "bad_date", "future_date", "unknown_code", "conflicting_key", "duplicate_row"}
    rejected_rows = {line["row"] for line in truth if line["expected_rule"].startswith("R")}
    assert len(rejected_rows) == 500 // 50  # 10 x the defaults asks for ~70: capped at 2 %
    (outcome,) = extract_all(inbound, tmp_path / "landing", tmp_path / "archive", date(2025, 3, 31))
    assert (outcome.outcome, outcome.rows_quarantined) == ("landed", len(truth))
    (issues,) = (tmp_path / "landing" / "_quarantine" / "rows").glob("*.parquet")
    found = {(row["source_row"], row["rule_code"]) for row in pq.read_table(issues).to_pylist()}
    assert found == {(line["row"], line["expected_rule"]) for line in truth}


def _absences(path: Path, rows: int) -> None:
    """hr_absence rows, one person each, starting on the 1st of a month of 2024 and lasting 1-5 days."""
    lines = ["absence_id,person_id,start_date,end_date,absence_type,working_days_lost,fte_at_time,long_term"]
    for number in range(rows):
        start = date(2024, 1 + number % 12, 1 + number % 28)
        end = start + timedelta(days=number % 5)
        lines.append(f"A{number:05d},HR{number:05d},{start},{end},SICKNESS,{1 + number % 5}.00,1.00,N")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_table_outside_a_generated_organisation_is_made_dirty_and_caught(tmp_path):
    """A hand-written HR file (no manifest: as at the month end) gets its kinds under the F07 cap, and extract
    reports each one with its rule."""
    inbound = tmp_path / "inbound"
    absences = inbound / LA / "2025-10" / "hr" / "hr_absence.csv"
    _absences(absences, 1000)
    rates = DirtRates(prohibited_column=0.1, misnamed_column=0.1).scaled(10)  # header kinds certain: 1.0 each
    truth = _truth(make_dirty([absences], inbound, 5, rates))
    kinds = {line["kind"] for line in truth}
    # hr_absence has no postcode, ★ code, datetime or fy, and its codes are all required: those kinds cannot go in.
    # Nor can misnamed_column at 10 x the row rates: every optional column then carries a row defect, which a
    # misnamed column would hide.
    assert kinds == {
        *("missing_mandatory", "bad_date", "impossible_date", "future_date", "bad_amount", "end_before_start"),
        *("conflicting_key", "duplicate_row", "null_literal", "prohibited_column"),
    }
    rejected = [line for line in truth if line["expected_rule"].startswith("R")]
    assert len(rejected) == 1000 // 50  # 10 x the defaults asks for ~140 rows: capped at 2 % (R03 counts 2 rows)
    outcome = extract_file(absences, inbound_dir=inbound, landing_dir=tmp_path / "landing", archive_dir=tmp_path / "a")
    assert outcome.outcome == "landed"
    found = {
        (row["source_row"], row["rule_code"], row["field"])
        for folder in ("_quarantine/rows", "_warnings")
        for path in (tmp_path / "landing" / folder).glob("*.parquet")
        for row in pq.read_table(path).to_pylist()
    }
    assert found == {(line["row"], line["expected_rule"], line["field"]) for line in truth}


def _census(path: Path) -> None:
    """A 2021-22 CIN census of two children, one with a closed referral (RC8)."""
    child = (
        "<Child><ChildIdentifiers><LAchildID>{id}</LAchildID><PersonBirthDate>2015-01-01</PersonBirthDate>"
        "<GenderCurrent>1</GenderCurrent></ChildIdentifiers><ChildCharacteristics><Ethnicity>WBRI</Ethnicity>"
        "</ChildCharacteristics><CINdetails><CINreferralDate>2021-06-01</CINreferralDate>"
        "<ReferralSource>1A</ReferralSource><PrimaryNeedCode>N1</PrimaryNeedCode>{closure}"
        "<ReferralNFA>0</ReferralNFA></CINdetails></Child>"
    )
    closure = "<CINclosureDate>2021-09-01</CINclosureDate><ReasonForClosure>RC8</ReasonForClosure>"
    children = "\n".join((child.format(id="C1", closure=closure), child.format(id="C2", closure="")))
    header = "<Header><CollectionDetails><Collection>CIN</Collection><Year>2022</Year>"
    header += "<ReferenceDate>2022-03-31</ReferenceDate></CollectionDetails><Source><LEA>871</LEA></Source></Header>"
    path.parent.mkdir(parents=True, exist_ok=True)
    body = f"<Message>\n{header}\n<Children>\n{children}\n</Children>\n</Message>\n"
    path.write_text(f'<?xml version="1.0" encoding="UTF-8"?>\n{body}', encoding="utf-8")


def test_a_cin_file_before_2022_23_gets_rc9_and_is_rejected(tmp_path):
    inbound = tmp_path / "inbound"
    census = inbound / LA / "history" / "cin" / "2021-22" / f"{LA}_cin_2021-22.xml"
    _census(census)
    folders = {"inbound_dir": inbound, "archive_dir": tmp_path / "archive"}
    assert extract_file(census, landing_dir=tmp_path / "clean", **folders).outcome == "landed"
    (line,) = _truth(make_dirty([census], inbound, 1, DirtRates(wrong_year_element=1.0)))
    # Line 5 is the first Child (declaration, Message, Header, Children): the one with a ReasonForClosure.
    assert (line["kind"], line["expected_rule"], line["field"], line["row"]) == (
        *("wrong_year_element", "F05", "ReasonForClosure", 5),
    )
    assert "<ReasonForClosure>RC9</ReasonForClosure>" in census.read_text(encoding="utf-8").splitlines()[4]
    outcome = extract_file(census, landing_dir=tmp_path / "landing", **folders)
    assert outcome.outcome == "rejected"
    assert "F05" in outcome.message and "line 5:" in outcome.message and "RC9" in outcome.message


def test_files_that_are_no_family_table_are_left_alone(tmp_path):
    inbound = tmp_path / "inbound"
    notes = inbound / LA / "2025-10" / "ssd" / "ssd_notes.csv"  # no such SSD table
    profile = inbound / LA / "ref" / "ref_la_profile.csv"  # reference data is never made dirty
    person = inbound / LA / "2025-10" / "ssd" / "ssd_person.csv"  # a table, of a family not asked for below
    for path, text in ((notes, "note_id\nN1\n"), (profile, "la_code,dfe_la_number\nE06000039,871\n")):
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    person.write_text("pers_person_id,pers_dob\n" + "".join(f"P{n},2010-01-01\n" for n in range(200)), "utf-8")
    tiny = inbound / LA / "history" / "903" / "2024-25" / "reviews.csv"
    _reviews(tiny, 49)  # under 50 rows: the F07 cap allows no rejected row at all
    before = tree_snapshot(inbound)
    truth = make_dirty([notes, profile, person, tiny], inbound, 1, DirtRates().scaled(100), families=("903",))
    lines = _truth(truth)
    assert {line["file"] for line in lines} == {f"{LA}/history/903/2024-25/reviews.csv"}
    assert {line["expected_rule"] for line in lines} == {"W01"}
    after = tree_snapshot(inbound)
    assert {name: after[name] for name in before if "/903/" not in name} == {
        name: before[name] for name in before if "/903/" not in name
    }
    # Every family asked for: ssd_person is dirtied, the note file and the reference file still are not.
    make_dirty([notes, profile, person], inbound, 1, DirtRates().scaled(100))
    after = tree_snapshot(inbound)
    changed = {name for name in before if "/903/" not in name and after[name] != before[name]}
    assert changed == {f"{LA}/2025-10/ssd/ssd_person.csv"}


def test_files_of_two_organisations_and_unknown_families_are_refused(tmp_path):
    one, two = (tmp_path / la / "history" / "903" / "2024-25" / "r.csv" for la in (LA, "E08000001"))
    _reviews(one, 5)
    _reviews(two, 5)
    with pytest.raises(ValueError, match="one organisation"):
        make_dirty([one, two], tmp_path, 1)
    with pytest.raises(ValueError, match="not \\['ref'\\]"):
        make_dirty([one], tmp_path, 1, families=("903", "ref"))


def test_command_line_dirty_flag_writes_the_truth_file(tmp_path, capsys, monkeypatch, organisation):
    """The flag reaches generate_organisation; the organisation is the session's copy (generation is tested with
    its own flag in test_extract_catches)."""
    import synth.__main__ as command

    calls = []

    def generate(inbound_dir, la_code, as_of, seed, months, history_years, dirty=False):
        calls.append((la_code, as_of, seed, months, history_years, dirty))
        files = organisation(Path(inbound_dir))
        if dirty:
            make_dirty(files, Path(inbound_dir), seed)
        return files

    monkeypatch.setattr(command, "generate_organisation", generate)
    argv = ["--la-code", LA, "--as-of", "2025-10-31", "--history-years", "2", "--seed", "5"]
    assert command.main(["--inbound-dir", str(tmp_path / "clean"), *argv]) == 0
    assert not (tmp_path / "clean" / LA / TRUTH_NAME).exists()
    assert command.main(["--inbound-dir", str(tmp_path / "dirty"), *argv, "--dirty"]) == 0
    assert [call[-1] for call in calls] == [False, True]
    assert calls[1][:5] == (LA, date(2025, 10, 31), 5, 1, 2)
    lines = (tmp_path / "dirty" / LA / TRUTH_NAME).read_text().splitlines()
    assert f"made them dirty: {len(lines)} defects listed in" in capsys.readouterr().out
    assert lines
