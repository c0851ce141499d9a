"""A table split across files (input contract §0.4 `_partNN`, §1.1.1 two 903 files of one table and year): the files
are concatenated, so a key held by two files is W01 (equal rows: the later dropped) or R03 (all its rows rejected)
as inside one file; the rows leave their file's landed Parquet for the delivery quarantine (`extract.parts`)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from extract import extract_all
from tests.extract.builders import LA, deliver, good_episode, header_csv
from tests.extract.family_builders import deliver_to, landed
from tests.helpers import tree_snapshot

AS_OF = date(2025, 10, 31)
CONTACTS = "cont_contact_id,cont_person_id,cont_contact_date"
PART1 = f"{LA}/2025-10/ssd/ssd_contacts_part01.csv"
PART2 = f"{LA}/2025-10/ssd/ssd_contacts_part02.csv"


def _contacts(*rows: str) -> str:
    return "\n".join([CONTACTS, *rows]) + "\n"


def _extract_all(root: Path) -> list:
    return extract_all(root / "inbound", root / "landing", root / "archive", AS_OF)


def _quarantine(root: Path, folder: str = "2025-10") -> list[tuple]:
    path = root / "landing" / "_quarantine" / "rows" / f"delivery-{LA}-{folder}.parquet"
    rows = pq.read_table(path).to_pylist() if path.is_file() else []
    return [(row["source_file"], row["source_row"], row["field"], row["rule_code"]) for row in rows]


def _ledger(root: Path, load_id: str) -> dict:
    [entry] = pq.read_table(root / "landing" / "_ledger" / f"{load_id}.parquet").to_pylist()
    return entry


def _two_parts(root: Path) -> None:
    """part01: K1 (row 2), K2 (row 3), K3 (row 4). part02: K3 again, equal (row 2: W01, dropped); K2 with another
    date (row 3: R03, and so is part01's row 3); K4 (row 4)."""
    inbound = root / "inbound"
    deliver_to(
        inbound,
        "ssd",
        "ssd_contacts_part01.csv",
        _contacts("K1,C1,2025-10-01T09:30", "K2,C2,2025-10-02T09:30", "K3,C3,2025-10-03T09:30"),
    )
    deliver_to(
        inbound,
        "ssd",
        "ssd_contacts_part02.csv",
        _contacts("K3,C3,2025-10-03T09:30", "K2,C2,2025-10-09T09:30", "K4,C4,2025-10-04T09:30"),
    )


def test_a_key_in_two_parts_is_w01_when_equal_and_r03_when_it_differs(tmp_path: Path) -> None:
    _two_parts(tmp_path)
    part1, part2 = _extract_all(tmp_path)
    # Landed: part01 keeps K1 and K3 (K2 is R03); part02 keeps K4 (K3 is the W01 duplicate of part01's, K2 is R03).
    assert [(o.source_file, o.rows_read, o.rows_landed, o.rows_quarantined) for o in (part1, part2)] == [
        (PART1, 3, 2, 1),
        (PART2, 3, 1, 2),
    ]
    assert [row["cont_contact_id"] for row in landed(tmp_path, part1, "ssd", "contacts")] == ["K1", "K3"]
    assert [row["cont_contact_id"] for row in landed(tmp_path, part2, "ssd", "contacts")] == ["K4"]
    assert _quarantine(tmp_path) == [
        (PART1, 3, "cont_contact_id", "R03"),
        (PART2, 2, None, "W01"),
        (PART2, 3, "cont_contact_id", "R03"),
    ]
    path = tmp_path / "landing" / "_quarantine" / "rows" / f"delivery-{LA}-2025-10.parquet"
    records = pq.read_table(path).to_pylist()
    assert [record["load_id"] for record in records] == [part1.load_id, part2.load_id, part2.load_id]
    assert records[0]["message"] == (
        f"key (cont_contact_id) also on {PART2} row 3 with different values: the files of a table are concatenated "
        "(input contract §0.4), so every row of the key is rejected"
    )
    assert records[1]["message"] == (
        f"exact duplicate of {PART1} row 4 (another file of this table) once parsed: dropped"
    )
    # The key is an id: never stored raw, only hashed ("K2"; a W01 has no value, as inside one file).
    assert [record["value"] for record in records] == [None, None, None]
    assert records[0]["value_hash"] == hashlib.sha256(b"K2").hexdigest()
    # The ledger follows, so conservation holds per file: rows_read = rows_landed + rows_quarantined.
    assert _ledger(tmp_path, part2.load_id) | {"sha256": None} == {
        "load_id": part2.load_id,
        "la_code": LA,
        "reporting_month": "2025-10",
        "collection_year": "2025-26",
        "table_name": "ssd_contacts",
        "source_file": PART2,
        "sha256": None,
        "bytes": len((tmp_path / "inbound" / PART2).read_bytes()),
        "rows_read": 3,
        "rows_landed": 1,
        "rows_quarantined": 2,
        "outcome": "landed",
        "message": "parts of the table: 2 more quarantined (R03 x1, W01 x1)",
    }
    assert part2.message == "parts of the table: 2 more quarantined (R03 x1, W01 x1)"


def test_a_rerun_rewrites_nothing(tmp_path: Path) -> None:
    _two_parts(tmp_path)
    _extract_all(tmp_path)
    before = tree_snapshot(tmp_path / "landing")
    again = _extract_all(tmp_path)
    assert [(o.outcome, o.rows_landed, o.rows_quarantined) for o in again] == [("unchanged", 2, 1), ("unchanged", 1, 2)]
    assert tree_snapshot(tmp_path / "landing") == before


def test_a_re_delivered_part_without_the_conflict_gives_the_held_rows_back(tmp_path: Path) -> None:
    _two_parts(tmp_path)
    first1, _first2 = _extract_all(tmp_path)
    held = tmp_path / "landing" / "_held" / "ssd" / "contacts" / f"la_code={LA}" / f"{first1.load_id}.parquet"
    assert [row["cont_contact_id"] for row in pq.read_table(held).to_pylist()] == ["K2"]
    # The LA re-delivers part02 with K4 only: it supersedes the old part02, and part01's K2 is no longer in conflict.
    deliver_to(tmp_path / "inbound", "ssd", "ssd_contacts_part02.csv", _contacts("K4,C4,2025-10-04T09:30"))
    part1, part2 = _extract_all(tmp_path)
    assert [(o.outcome, o.rows_landed, o.rows_quarantined, o.message) for o in (part1, part2)] == [
        ("unchanged", 3, 0, None),
        ("landed", 1, 0, None),
    ]
    assert [row["cont_contact_id"] for row in landed(tmp_path, part1, "ssd", "contacts")] == ["K1", "K2", "K3"]
    assert _ledger(tmp_path, part1.load_id)["message"] is None
    assert not held.exists()
    assert _quarantine(tmp_path) == []


def test_byte_identical_parts_are_one_load(tmp_path: Path) -> None:
    """Same bytes, same LA and month: the same load id (`extract.extractor`), so the second part is `unchanged` and
    its rows, all exact duplicates, land once."""
    content = _contacts("K1,C1,2025-10-01T09:30")
    deliver_to(tmp_path / "inbound", "ssd", "ssd_contacts_part01.csv", content)
    deliver_to(tmp_path / "inbound", "ssd", "ssd_contacts_part02.csv", content)
    part1, part2 = _extract_all(tmp_path)
    assert (part1.outcome, part2.outcome, part1.load_id) == ("landed", "unchanged", part2.load_id)
    assert len(landed(tmp_path, part1, "ssd", "contacts")) == 1
    assert _quarantine(tmp_path) == []


def test_two_903_files_of_one_table_and_year_are_concatenated_and_other_years_are_not(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    columns = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"
    deliver(inbound, "header.csv", header_csv(*(f"C00{n},M,15/05/2012,WBRI,UN1,," for n in (1, 2, 3))))
    deliver(inbound, "episodes_a.csv", "\n".join([columns, good_episode(1), good_episode(2)]) + "\n")
    # (C002, 01/05/2025) again with another legal status: R03 in both files. C003 is new.
    other = good_episode(2).replace(",C2,", ",C1,")
    deliver(inbound, "episodes_b.csv", "\n".join([columns, other, good_episode(3)]) + "\n")
    # The same key in a 2024-25 file of the same delivery is another collection year: not concatenated with these.
    deliver(inbound, "E06000039_903_2024-25_episodes.csv", "\n".join([columns, good_episode(2, "01/05/2024")]) + "\n")
    outcomes = _extract_all(tmp_path)
    assert [(o.source_file.split("/")[-1], o.rows_landed, o.rows_quarantined) for o in outcomes] == [
        ("E06000039_903_2024-25_episodes.csv", 1, 0),
        ("episodes_a.csv", 1, 1),
        ("episodes_b.csv", 1, 1),
        ("header.csv", 3, 0),
    ]
    assert [(Path(f).name, row, field, rule) for f, row, field, rule in _quarantine(tmp_path)] == [
        ("episodes_a.csv", 3, "CHILD,DECOM", "R03"),
        ("episodes_b.csv", 2, "CHILD,DECOM", "R03"),
    ]


def test_la_level_reference_parts_are_checked_too(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    onspd = "pcds,oseast1m,osnrth1m,oslaua\n"
    deliver_to(inbound, "ref", "ref_onspd_part01.csv", onspd + "SL1 2EL,497000,179000,E06000039\n", month="la-ref")
    deliver_to(inbound, "ref", "ref_onspd_part02.csv", onspd + "sl12el,497001,179000,E06000039\n", month="la-ref")
    part1, part2 = _extract_all(tmp_path)
    # The postcode is normalised before the comparison (SL1 2EL both times); the eastings differ: R03 in both parts.
    assert [(o.rows_landed, o.rows_quarantined) for o in (part1, part2)] == [(0, 1), (0, 1)]
    assert [(Path(f).name, row, rule) for f, row, _field, rule in _quarantine(tmp_path, "ref")] == [
        ("ref_onspd_part01.csv", 2, "R03"),
        ("ref_onspd_part02.csv", 2, "R03"),
    ]
