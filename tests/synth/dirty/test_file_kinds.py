"""File-level dirt through the real extract layer: every file given a file-level defect is rejected with its code.

Each file takes one file-level defect, so the kinds are spread over the organisation's files (each file extracted
on its own, as one mapped task would): every 903 and every SSD, local, HR and finance file gets one, and the three
CIN files get the five CIN kinds over two rounds.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extract import extract_file
from synth.dirty import CIN_FILE_KINDS, FILE_KINDS, TABLE_FILE_KINDS, DirtRates, make_dirty
from synth.dirty.table_shapes import table_shape
from tests.synth.dirty.support import LA, SEED, family_of

# (group, kind) -> the rule the extract layer rejects the file with (input contract §0.8, §1.2.7)
RULES = {
    **{("903", kind): rule for kind, rule in zip(FILE_KINDS, ("F02", "F04", "F01", "F01", "F09"), strict=True)},
    **{
        ("table", kind): rule
        for kind, rule in zip(TABLE_FILE_KINDS, ("F03", "F04", "F01", "F01", "F09", "F06"), strict=True)
    },
    **{("cin", kind): rule for kind, rule in zip(CIN_FILE_KINDS, ("F05", "F05", "F06", "F01", "F09"), strict=True)},
}
MONTHLY_CIN = f"{LA}/2025-10/cin/{LA}_cin_2025-26.xml"
CIN_2023 = f"{LA}/history/cin/2023-24/{LA}_cin_2023-24.xml"
CIN_2024 = f"{LA}/history/cin/2024-25/{LA}_cin_2024-25.xml"
# The three CIN files take five kinds in two rounds; the first one also spreads the 903 and table kinds. A
# wrong-year element is GenderCurrent in the 2025-26 file (round one) and Sex in the 2023-24 one (round two).
CIN_ROUNDS = {
    "first": {MONTHLY_CIN: "wrong_year_element", CIN_2023: "xsd_violation", CIN_2024: "la_mismatch"},
    "second": {MONTHLY_CIN: "manifest_mismatch", CIN_2023: "wrong_year_element", CIN_2024: "not_utf8"},
}


def _group(name: str) -> str:
    family = family_of(name)
    return family if family in ("903", "cin") else "table"


def _spread(names: list[str], kinds: tuple[str, ...]) -> dict[str, str]:
    """Round robin: file -> kind, manifest_mismatch on monthly files only (history files have no manifest)."""
    monthly = [name for name in names if "/history/" not in name]
    history = [name for name in names if "/history/" in name]
    spread = {name: kinds[index % len(kinds)] for index, name in enumerate(monthly)}
    others = [kind for kind in kinds if kind != "manifest_mismatch"]
    spread.update({name: others[index % len(others)] for index, name in enumerate(history)})
    return spread


@pytest.mark.parametrize("round_name", CIN_ROUNDS)
def test_file_level_defects_reject_the_file_with_their_code(tmp_path, organisation, round_name):
    inbound = tmp_path / "inbound"
    files = {path.relative_to(inbound).as_posix(): path for path in organisation(inbound)}
    plan = dict(CIN_ROUNDS[round_name])
    if round_name == "first":
        for group, kinds in (("903", FILE_KINDS), ("table", TABLE_FILE_KINDS)):
            names = sorted(name for name in files if name.endswith(".csv") and _group(name) == group)
            names = [name for name in names if group == "903" or table_shape(Path(name).name)]
            plan.update(_spread(names, kinds))
    truth = []
    for kind in sorted(set(plan.values())):
        given = [files[name] for name, planned in plan.items() if planned == kind]
        truth_path = make_dirty(given, inbound, SEED, DirtRates(**{kind: 1.0}).scaled(0))
        truth += [json.loads(line) for line in truth_path.read_text(encoding="utf-8").splitlines()]
    # Rate 1.0: every file given a kind gets it (each applies to every file here), and nothing else.
    assert sorted((line["file"], line["kind"]) for line in truth) == sorted(plan.items())
    if round_name == "first":
        assert {kind for name, kind in plan.items() if _group(name) != "cin"} == set(TABLE_FILE_KINDS)
        assert len({name for name in plan if _group(name) == "table"}) > 30  # every SSD, local, HR, finance table
        assert len({name for name in plan if _group(name) == "903"}) == 33  # 11 tables in each of three years
    for line in truth:
        rule = RULES[(_group(line["file"]), line["kind"])]
        assert line["expected_rule"] == rule, line
        outcome = extract_file(
            inbound / line["file"], inbound_dir=inbound, landing_dir=tmp_path / "landing", archive_dir=tmp_path / "a"
        )
        assert (outcome.outcome, outcome.message.split(" ")[1]) == ("rejected", rule), (line, outcome.message)
        if line["kind"] == "manifest_mismatch":
            assert line["row"] is None and line["field"] in ("rows", "sha256")
        elif line["kind"] in ("wrong_column_name", "duplicate_column"):
            assert line["row"] == 1
        else:
            assert line["row"] > 1
        # The extract layer names the line it stopped at: the CIN's XSD, year and LEA checks, and a la_code value.
        if _group(line["file"]) == "cin" and rule in ("F05", "F06"):
            assert f"line {line['row']}:" in outcome.message, (line, outcome.message)
        if line["kind"] == "la_mismatch" and _group(line["file"]) == "table":
            assert f"on line {line['row']} differs from the folder {LA}" in outcome.message


def test_wrong_year_elements_follow_the_file_year(tmp_path, organisation):
    """Sex arrived in 2024-25 (replacing GenderCurrent): a 2023-24 file gets Sex, a 2025-26 file GenderCurrent."""
    inbound = tmp_path / "inbound"
    files = {path.relative_to(inbound).as_posix(): path for path in organisation(inbound)}
    truth_path = make_dirty([files[CIN_2023], files[MONTHLY_CIN]], inbound, SEED, DirtRates(wrong_year_element=1.0))
    lines = {line["file"]: line for line in map(json.loads, truth_path.read_text(encoding="utf-8").splitlines())}
    assert (lines[CIN_2023]["field"], lines[MONTHLY_CIN]["field"]) == ("Sex", "GenderCurrent")
    for name, line in lines.items():
        text = Path(files[name]).read_text(encoding="utf-8").splitlines()[line["row"] - 1].strip()
        assert text.startswith(f"<{line['field']}>") and text[len(line["field"]) + 2] in "MFU0129"
