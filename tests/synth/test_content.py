"""The rows: formats, code lists valid for each file's collection year, and coherent episodes across files."""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

import pytest

from synth import generate_organisation
from tests.synth.indicators import parse_date, read_csv

LA = "E06000039"
AS_OF = date(2026, 10, 31)
DATE = re.compile(r"^\d{2}/\d{2}/\d{4}$")
POSTCODE = re.compile(r"^[A-Z]{1,2}\d[A-Z\d]? \d[ABD-HJLNP-UW-Z]{2}$")
UPN = re.compile(r"^[A-Z]\d{11}[0-9A-Z]$|^UN[1-5]$")

# Code lists written out here from the input contract §1.1.4-§1.1.5, independently of synth/.
BASE_PLACE = {
    *[
        "A3",
        "A4",
        "A5",
        "A6",
        "H5",
        "K1",
        "K2",
        "P1",
        "P2",
        "P3",
        "R1",
        "R2",
        "R3",
        "R5",
        "S1",
        "T0",
        "T1",
        "T2",
        "T3",
        "T4",
        "Z1",
    ],
    *(f"U{n}" for n in range(1, 7)),
}
TEMPORARY = {"T0", "T1", "T2", "T3", "T4"}
NO_PROVIDER = TEMPORARY | {"Z1", "Z11", "Z12", "Z13", "Z14"}
REC = set(
    [
        "X1",
        "E11",
        "E12",
        "E13",
        "E14",
        "E15",
        "E16",
        "E17",
        "E2",
        "E3",
        "E41",
        "E45",
        "E46",
        "E47",
        "E48",
        "E4A",
        "E4B",
        "E5",
        "E6",
        "E7",
        "E8",
        "E9",
    ]
)
REASONS = set(
    ["CARPL", "CLOSE", "ALLEG", "STAND", "APPRR", "CREQB", "CREQO", "CHILD", "LAREQ", "PLACE", "OTHER", "CUSTOD"]
)
LS = set(["C1", "C2", "D1", "E1", "J1", "J2", "J3", "L1", "L2", "L3", "V2", "V3", "V4"])
ETHNIC = set(
    [
        "WBRI",
        "WIRI",
        "WIRT",
        "WOTH",
        "WROM",
        "MWBC",
        "MWBA",
        "MWAS",
        "MOTH",
        "AIND",
        "APKN",
        "ABAN",
        "AOTH",
        "BCRB",
        "BAFR",
        "BOTH",
        "CHNE",
        "OOTH",
        "REFU",
        "NOBT",
    ]
)


def place_codes(schema_year: int) -> set[str]:
    codes = set(BASE_PLACE)
    if schema_year >= 2025:
        codes.add("K3")
    if schema_year >= 2026:
        codes -= {"H5", "P2", "Z1"}
        codes |= {"Z11", "Z12", "Z13", "Z14"}
    return codes


@dataclass
class File903:
    cy: str
    as_at: date
    header: list[dict[str, str]]
    episodes: list[dict[str, str]]
    oc3: list[dict[str, str]]

    @property
    def schema_year(self) -> int:
        return int(self.cy[:4]) + 1


def load_files(root: Path) -> list[File903]:
    files = []
    for header_path in sorted(root.rglob("*_header.csv")):
        cy = header_path.name.split("_")[2]
        month = header_path.parent.parent.name
        if month == "903":  # history/903/<CY>/...: a complete year, as at 31 March
            as_at = date(int(cy[:4]) + 1, 3, 31)
        else:
            year, number = map(int, month.split("-"))
            as_at = date(year + number // 12, number % 12 + 1, 1) - timedelta(days=1)
        table = header_path.with_name  # the file set's other tables sit beside Header, named alike
        episodes, oc3 = (table(header_path.name.replace("_header", f"_{name}")) for name in ("episodes", "oc3"))
        files.append(File903(cy, as_at, read_csv(header_path), read_csv(episodes), read_csv(oc3)))
    return sorted(files, key=lambda file: (file.cy, file.as_at))


@pytest.fixture(scope="module", params=[42, 7])
def files(request, tmp_path_factory) -> list[File903]:
    root = tmp_path_factory.mktemp(f"synth{request.param}")
    generate_organisation(root, LA, AS_OF, seed=request.param, months=3, history_years=3)
    loaded = load_files(root / LA)
    assert [(file.cy, file.as_at) for file in loaded] == [
        ("2023-24", date(2024, 3, 31)),
        ("2024-25", date(2025, 3, 31)),
        ("2025-26", date(2026, 3, 31)),
        ("2026-27", date(2026, 8, 31)),
        ("2026-27", date(2026, 9, 30)),
        ("2026-27", date(2026, 10, 31)),
    ]
    return loaded


def test_every_date_is_dd_mm_yyyy_and_not_after_the_as_at_date(files):
    for file in files:
        for row in file.header:
            for column in ("DOB", "MC_DOB"):
                if row[column]:
                    assert DATE.match(row[column]) and parse_date(row[column]) <= file.as_at, (file.cy, row)
        for row in file.episodes:
            for column in ("DECOM", "DEC"):
                if row[column]:
                    assert DATE.match(row[column]) and parse_date(row[column]) <= file.as_at, (file.cy, row)


def test_header_codes_for_the_files_year(files):
    for file in files:
        sexes = {"1", "2"} if file.schema_year <= 2024 else {"M", "F", "U"}
        looked_after = {episode["CHILD"] for episode in file.episodes if episode["LS"] not in ("V3", "V4")}
        for row in file.header:
            assert row["SEX"] in sexes, (file.cy, row)
            assert row["ETHNIC"] in ETHNIC
            assert UPN.match(row["UPN"]), row
            female = row["SEX"] in ("2", "F")
            # MOTHER is completed for every girl looked after in the file (DfE rules 393/607), blank for boys and
            # for short-break-only children (rule 399).
            if not female or row["CHILD"] not in looked_after:
                assert row["MOTHER"] == "" and row["MC_DOB"] == "", row
            else:
                assert row["MOTHER"] in ("0", "1")
                assert (row["MC_DOB"] != "") == (row["MOTHER"] == "1"), row
    assert {row["SEX"] for row in files[0].header} == {"1", "2"}
    assert {"M", "F"} <= {row["SEX"] for row in files[-1].header}


def test_episode_codes_for_the_files_year(files):
    for file in files:
        places = place_codes(file.schema_year)
        for row in file.episodes:
            assert row["RNE"] in {"S", "L", "P", "T", "B", "U"}
            assert row["LS"] in LS
            assert row["CIN"] in {f"N{n}" for n in range(1, 9)}
            assert row["PLACE"] in places, (file.cy, row)
            if row["PLACE"] == "P2":
                assert parse_date(row["DECOM"]) < date(2023, 10, 28), row
            if row["PLACE"] in NO_PROVIDER:
                assert row["PLACE_PROVIDER"] == "" and row["URN"] == "", row
            else:
                assert row["PLACE_PROVIDER"] in {f"PR{n}" for n in range(6)}, row
                # XXXXXXX for foster/adoption, blank for DfE-exempt types and short breaks (rules 214/218/222/242).
                blank_ok = row["PLACE"] in ("P1", "R2", "R5") or row["LS"] in ("V3", "V4")
                assert row["URN"] == "XXXXXXX" or re.match(r"^SC\d{6}$", row["URN"]) or blank_ok, row
            if row["PLACE"] == "P1":
                assert row["PLACE_PROVIDER"] == "PR0"
            if row["PLACE"] in {"K1", "K2", "K3", "H5"} and row["LS"] not in ("V3", "V4"):
                assert row["URN"].startswith("SC"), row
            assert (row["DEC"] == "") == (row["REC"] == ""), row
            if row["DEC"]:
                assert parse_date(row["DEC"]) > parse_date(row["DECOM"]), row
                assert row["REC"] in REC
            if row["REASON_PLACE_CHANGE"]:
                assert row["REASON_PLACE_CHANGE"] in REASONS
                assert row["REC"] == "X1" and row["PLACE"] not in TEMPORARY, row
            for column in ("HOME_POST", "PL_POST"):
                assert row[column] == "" or POSTCODE.match(row[column]), row


def test_unique_keys_sorted_rows_and_no_overlaps(files):
    for file in files:
        keys = [(row["CHILD"], parse_date(row["DECOM"])) for row in file.episodes]
        assert keys == sorted(keys)
        assert len(keys) == len(set(keys))
        previous = None
        for row in file.episodes:
            if previous is not None and previous["CHILD"] == row["CHILD"]:
                assert previous["DEC"] and parse_date(previous["DEC"]) <= parse_date(row["DECOM"]), (previous, row)
            previous = row


def test_header_has_exactly_one_row_per_child_in_episodes_or_oc3(files):
    # DfE: Header lists every child with an episode in the file and every OC3 care leaver, who may have none.
    for file in files:
        header_children = [row["CHILD"] for row in file.header]
        assert len(header_children) == len(set(header_children))
        in_episodes = {row["CHILD"] for row in file.episodes}
        assert set(header_children) == in_episodes | {row["CHILD"] for row in file.oc3}
        assert all(re.match(r"^C\d{7}$", child) for child in header_children)
        # Care leavers mostly left care before the year, so every file has Header rows that only OC3 explains.
        assert set(header_children) - in_episodes, (file.cy, file.as_at)


def test_files_cover_exactly_the_episodes_open_in_their_window(files):
    for file in files:
        year_start = date(int(file.cy[:4]), 4, 1)
        for row in file.episodes:
            assert parse_date(row["DECOM"]) <= file.as_at
            assert row["DEC"] == "" or parse_date(row["DEC"]) >= year_start


def test_episodes_open_at_a_year_end_carry_on_into_the_next_years_file(files):
    carried = 0
    for earlier, later in itertools.pairwise(files[:4]):
        later_rows = {(row["CHILD"], row["DECOM"]): row for row in later.episodes}
        for row in earlier.episodes:
            if row["DEC"]:
                continue
            successor = later_rows[(row["CHILD"], row["DECOM"])]  # open on 31 March: in next year's file
            stable = ("RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "HOME_POST", "PL_POST", "URN")
            assert all(successor[column] == row[column] for column in stable)
            carried += successor["DEC"] != ""
    assert carried > 50  # plenty of them have closed by the following year's as_at_date


def test_later_deliveries_only_add_dec_and_new_episodes(files):
    for earlier, later in itertools.pairwise(files[3:]):
        later_rows = {(row["CHILD"], row["DECOM"]): row for row in later.episodes}
        for row in earlier.episodes:
            successor = later_rows[(row["CHILD"], row["DECOM"])]  # same collection year: nothing disappears
            if row["DEC"]:
                assert successor == row
            else:
                assert {k: v for k, v in successor.items() if k not in ("DEC", "REC", "REASON_PLACE_CHANGE")} == {
                    k: v for k, v in row.items() if k not in ("DEC", "REC", "REASON_PLACE_CHANGE")
                }


def combined(files: list[File903]) -> dict[str, list[dict[str, str]]]:
    latest = {}
    for file in files:  # in (collection year, as_at) order: the latest wins
        for row in file.episodes:
            latest[(row["CHILD"], parse_date(row["DECOM"]))] = row
    by_child: dict[str, list[dict[str, str]]] = {}
    for key in sorted(latest):
        by_child.setdefault(key[0], []).append(latest[key])
    return by_child


def birthday(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # 29 February
        return date(dob.year + years, 3, 1)


def test_episode_chains_are_coherent(files):
    dobs = {row["CHILD"]: parse_date(row["DOB"]) for file in files for row in file.header}
    seen_rne, seen_rec = set(), set()
    for child, rows in combined(files).items():
        eighteenth = birthday(dobs[child], 18)
        for index, row in enumerate(rows):
            seen_rne.add(row["RNE"])
            seen_rec.add(row["REC"])
            following = rows[index + 1] if index + 1 < len(rows) else None
            if row["REC"] == "E17":  # staying put: care ends on the 18th birthday itself (DfE rule 460)
                assert parse_date(row["DEC"]) == eighteenth, (child, row)
            elif row["DEC"]:
                assert parse_date(row["DEC"]) < eighteenth, (child, row)  # any other exit: by the day before 18
            if row["REC"] == "X1":
                assert following is not None and following["DECOM"] == row["DEC"], (child, row)
                assert following["RNE"] != "S"
            elif following is not None:
                assert following["RNE"] == "S", (child, following)
                assert following["DECOM"] != row["DEC"] or row["LS"] in ("V3", "V4")
            previous = rows[index - 1] if index and rows[index - 1]["DEC"] == row["DECOM"] else None
            if row["RNE"] == "L" and previous is not None:
                same = ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN")
                assert all(previous[column] == row[column] for column in same) and previous["LS"] != row["LS"]
            if row["REC"] == "E9":
                assert parse_date(row["DEC"]) >= birthday(dobs[child], 12), (child, row)
            if row["REC"] == "E14":
                assert row["LS"] == "J1", (child, row)
            if row["REC"] in ("E11", "E12"):
                assert row["PLACE"] in ("A3", "A4", "A5", "A6") and row["LS"] == "E1", (child, row)
            if row["PLACE"] in TEMPORARY and row["DEC"]:
                assert row["REC"] == "X1" and row["REASON_PLACE_CHANGE"] == ""
                assert (parse_date(row["DEC"]) - parse_date(row["DECOM"])).days <= 7
                assert following is not None
                placement = ("PLACE", "PLACE_PROVIDER", "PL_POST", "URN")
                if previous is not None:  # back with the same carer, in the same placement
                    assert [following[c] for c in placement] == [previous[c] for c in placement], (child, row)
    assert {"S", "L", "P", "T", "B"} <= seen_rne
    assert {"X1", "E4A", "E11", "E13", "E17", "E45", "E5"} <= seen_rec


def test_short_break_children_are_a_few_short_episodes(files):
    by_child = combined(files)
    short_break_children = {child for child, rows in by_child.items() if any(r["LS"] in ("V3", "V4") for r in rows)}
    assert 5 <= len(short_break_children) <= 60
    for child in short_break_children:
        for row in by_child[child]:
            assert row["LS"] in ("V3", "V4") and row["RNE"] == "S"
            if row["DEC"]:
                assert 1 <= (parse_date(row["DEC"]) - parse_date(row["DECOM"])).days <= 3
