"""A CIN census XML and the delivery-level pass take memory bounded by what they keep, not by the size of what
they read (docs/operations.md, "Resource limits"): the census is never held as bytes nor as records, and the pass
reads the landed tables a batch of rows at a time. Each measurement runs in a fresh process that reports its own
peak resident memory before and after (`VmHWM` of /proc/self/status, KB: unlike `ru_maxrss`, it starts afresh at
exec, so the test process's own size is not counted); the differential test shows the batched pass finds exactly
what the whole-table one did.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from extract import delivery_landing, extract_all, extract_file, landing
from extract.cin import reader, records
from extract.table_catalogue import landed_tables
from tests.extract.builders import LA, deliver, episodes_csv, header_csv
from tests.extract.family_builders import cin_child, cin_details, cin_xml, cp_plan, deliver_to
from tests.memory_probe import LAND_FILE, growth_mb

AS_OF = date(2025, 10, 31)


CHILDREN = 60_000
CIN_GROWTH_LIMIT_MB = 120


@pytest.mark.slow
def test_landing_a_large_cin_census_holds_neither_its_bytes_nor_its_records(tmp_path: Path) -> None:
    """60,000 children (the builder's Child: a child and an episode record, 120,000 rows; a 25 MB file). Measured
    (docs/benchmarks.md, "Memory: the CIN census and the delivery pass"): holding the bytes and every flattened
    record grew the process by 170 MB; streamed from the path, each Child checked as it comes and its landed values
    kept as Arrow columns, by 60 MB (the imports, the Arrow columns, one table's Parquet write). The limit sits
    between the two."""
    children = "".join(cin_child(f"C{number:07d}") for number in range(CHILDREN))
    path = deliver_to(tmp_path / "inbound", "cin", f"{LA}_cin_2025-26.xml", cin_xml(children))
    del children
    (outcome, landed), growth = growth_mb(LAND_FILE, str(tmp_path), str(path))
    assert (outcome, int(landed)) == ("landed", 2 * CHILDREN)
    assert growth < CIN_GROWTH_LIMIT_MB, f"landing grew the process by {growth:.0f} MB"


def _land_directly(landing_dir: Path, family: str, folder: str, name: str, columns: dict[str, pa.Array]) -> None:
    """One landed load of `<family>/<folder>` in the delivery `LA/2025-10` and its ledger row, written as extract
    writes them (the table's full landed schema, the columns not given null), without reading a CSV."""
    schema = next(table.schema for table in landed_tables() if (table.family, table.folder) == (family, folder))
    load_id = f"{folder}-0000000000000001"
    count = len(next(iter(columns.values())))
    metadata = {
        "la_code": LA,
        "reporting_month": "2025-10",
        "collection_year": "2025-26",
        "load_id": load_id,
        "source_file": f"{LA}/2025-10/{family}/{name}",
    }
    path = landing.landed_path(landing_dir, family, folder, LA, load_id)
    landing.write_columns(path, schema, columns, list(range(2, count + 2)), metadata)
    entry = {**metadata, "table_name": name.removesuffix(".csv"), "sha256": "0" * 64, "bytes": 0, "message": None}
    counts = {"rows_read": count, "rows_landed": count, "rows_quarantined": 0, "outcome": "landed"}
    landing.write_ledger(landing_dir, {**entry, **counts})


_CHECK_DELIVERY = """
import sys
from pathlib import Path
from extract import check_delivery_consistency
root = Path(sys.argv[1])
before = peak_kb()
check = check_delivery_consistency(root / "inbound", root / "landing", "E06000039", "2025-10")
after = peak_kb()
print(check.warnings, len(check.gated), before, after)
"""
INVOLVEMENTS = 600_000
PASS_GROWTH_LIMIT_MB = 90


@pytest.mark.slow
def test_the_delivery_pass_reads_a_large_table_a_batch_at_a_time(tmp_path: Path) -> None:
    """600,000 ssd_involvements rows whose child, worker and team ids are all known (1,000 children, 50 workers,
    10 teams): no finding, so all the pass holds is what it reads. Measured (docs/benchmarks.md): reading the
    checked columns whole (with each row's load id and source file) grew the process by 120 MB; a batch of 65,536
    rows at a time, by 15 MB. The limit sits between the two."""
    landing_dir = tmp_path / "landing"
    (tmp_path / "inbound" / LA / "2025-10").mkdir(parents=True)
    people = pa.array([f"P{number:04d}" for number in range(1_000)])
    _land_directly(landing_dir, "ssd", "person", "ssd_person.csv", {"pers_person_id": people})
    workers = pa.array([f"W{number:02d}" for number in range(50)])
    _land_directly(landing_dir, "ssd", "professionals", "ssd_professionals.csv", {"prof_professional_id": workers})
    teams = pa.array([f"T{number}" for number in range(10)])
    _land_directly(landing_dir, "ssd", "department", "ssd_department.csv", {"dept_team_id": teams})
    rows = pa.array(range(INVOLVEMENTS), type=pa.int64())
    involvements = {
        "invo_involvements_id": pc.cast(rows, pa.string()),
        "invo_person_id": people.take(pc.bit_wise_and(rows, 511)),  # every id known: no finding
        "invo_professional_id": workers.take(pc.bit_wise_and(rows, 31)),
        "invo_professional_team": teams.take(pc.bit_wise_and(rows, 7)),
    }
    _land_directly(landing_dir, "ssd", "involvements", "ssd_involvements.csv", involvements)
    (warnings, gated), growth = growth_mb(_CHECK_DELIVERY, str(tmp_path))
    assert (int(warnings), int(gated)) == (0, 0)
    assert growth < PASS_GROWTH_LIMIT_MB, f"the delivery pass grew the process by {growth:.0f} MB"


def _files(root: Path) -> dict[str, bytes]:
    return {str(path.relative_to(root)): path.read_bytes() for path in sorted(root.rglob("*")) if path.is_file()}


def test_the_batched_delivery_pass_finds_what_one_batch_finds(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same delivery passed with every table in one batch and 2 rows a batch (each table's rows, and its two
    903 files, split across batches): the same warnings in the same order, the same X1 gate, the same bytes.
    903: Header C001, C002; Episodes in two files (C001-C003, C004-C006: C003 to C006 orphans, 4 of 6 rows);
    Reviews: C002's DOB differs (row 3). Across families: ssd_person C1; involvements rows 2-6 with child C9 (row
    4), worker W9 (rows 3 and 6) and team T9 (rows 4 and 5) unknown."""
    for batch_rows, root in ((delivery_landing.BATCH_ROWS, tmp_path / "one"), (2, tmp_path / "two")):
        inbound = root / "inbound"
        deliver(
            inbound, "header.csv", header_csv("C001,M,01/01/2015,WBRI,A123456789012,,", "C002,F,02/02/2016,WBRI,UN1,,")
        )
        deliver(inbound, "episodes.csv", episodes_csv(good=3))
        more = episodes_csv(good=6).splitlines()
        deliver(inbound, "episodes_more.csv", "\n".join([more[0], *more[4:]]) + "\n")
        reviews = ["CHILD,DOB,REVIEW,REVIEW_CODE", "C001,01/01/2015,01/06/2025,PN1", "C002,03/02/2016,01/07/2025,PN1"]
        deliver(inbound, "reviews.csv", "\n".join(reviews) + "\n")
        deliver_to(inbound, "ssd", "ssd_person.csv", "pers_person_id,pers_dob\nC1,2015-01-01\n")
        deliver_to(inbound, "ssd", "ssd_professionals.csv", "prof_professional_id,local_team_id\nW1,T1\n")
        deliver_to(inbound, "ssd", "ssd_department.csv", "dept_team_id,dept_team_name\nT1,Front door\n")
        involvements = [
            "invo_involvements_id,invo_person_id,invo_professional_id,invo_professional_role_id,"
            "invo_professional_team,invo_involvement_start_date",
            "I1,C1,W1,ALLOCATED_SW,T1,2025-01-01",
            "I2,C1,W9,ALLOCATED_SW,T1,2025-01-01",
            "I3,C9,W1,ALLOCATED_SW,T9,2025-01-01",
            "I4,C1,W1,ALLOCATED_SW,T9,2025-01-01",
            "I5,C1,W9,ALLOCATED_SW,T1,2025-01-01",
        ]
        deliver_to(inbound, "ssd", "ssd_involvements.csv", "\n".join(involvements) + "\n")
        with monkeypatch.context() as patch:
            patch.setattr(delivery_landing, "BATCH_ROWS", batch_rows)
            outcomes = extract_all(inbound, root / "landing", root / "archive", AS_OF)
        assert [o.outcome for o in outcomes].count("gated") == 1  # Episodes: 4 of 6 rows orphans, over 2 %
    one, two = _files(tmp_path / "one" / "landing"), _files(tmp_path / "two" / "landing")
    assert one == two
    warnings = pq.read_table(tmp_path / "two" / "landing" / "_warnings" / f"delivery-{LA}-2025-10.parquet")
    found = [(row["table_name"], row["source_row"], row["field"]) for row in warnings.to_pylist()]
    assert found == [
        ("episodes", 4, "CHILD"),  # episodes.csv: C003
        ("episodes", 2, "CHILD"),  # episodes_more.csv: C004-C006
        ("episodes", 3, "CHILD"),
        ("episodes", 4, "CHILD"),
        ("reviews", 3, "DOB"),
        ("ssd_involvements", 3, "invo_professional_id"),
        ("ssd_involvements", 4, "invo_person_id"),
        ("ssd_involvements", 4, "invo_professional_team"),
        ("ssd_involvements", 5, "invo_professional_team"),
        ("ssd_involvements", 6, "invo_professional_id"),
    ]


def _land_cin(root: Path, content: str | bytes) -> dict:
    path = deliver_to(root / "inbound", "cin", f"{LA}_cin_2025-26.xml", content)
    return extract_file(path, inbound_dir=root / "inbound", landing_dir=root / "landing", archive_dir=root / "archive")


def _census() -> str:
    """120 children, one with a CP plan ending before it starts (R05 on the plan and its review), one with a
    repeated disability (W01), one with a referral after the as-at date 31/10/2025 (R06 on its episode); the
    rest a child and an episode each: 120 * 2 + 2 (disabilities) + 2 (plan, review) = 244 records; 4 quarantined,
    3 of them rejected (1.2 %, under F07's 2 %)."""
    children = [cin_child(f"C{number:03d}") for number in range(1, 118)]
    children.append(
        cin_child("C900", details=cin_details(after_nfa=cp_plan("2025-06-01", "2025-05-01", ("2025-07-01",))))
    )
    repeated = "<Disabilities><Disability>MOB</Disability><Disability>MOB</Disability></Disabilities>"
    children.append(cin_child("C901", disabilities=repeated))
    children.append(cin_child("C902", details=cin_details(referral="2025-11-02")))
    return cin_xml(*children)


def test_a_census_checked_child_by_child_lands_what_the_whole_file_check_lands(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same census landed with each Child checked as it comes (in Arrow chunks of 5 records) and with every
    record held and checked at the end (`records.check`, what a repeated LAchildID still uses): the same outcome
    and the same bytes in every file."""
    content = _census()
    with monkeypatch.context() as patch:
        patch.setattr(records, "_ARROW_BATCH", 5)
        streamed = _land_cin(tmp_path / "streamed", content)
    with monkeypatch.context() as patch:  # every Child seen as a repeat: the reader reads again and checks whole
        patch.setattr(records.ChildChecker, "add", lambda self, found: setattr(self, "repeated", True))
        whole = _land_cin(tmp_path / "whole", content)
    assert streamed == whole
    counts = (streamed.outcome, streamed.rows_read, streamed.rows_landed, streamed.rows_quarantined)
    assert counts == ("landed", 244, 240, 4)
    assert _files(tmp_path / "streamed") == _files(tmp_path / "whole")


@pytest.mark.parametrize(
    ("damage", "rule"),
    [
        (lambda text: text.replace(b"<Message>", b'<!DOCTYPE Message SYSTEM "x">\n<Message>'), "F01 has a DOCTYPE"),
        (lambda text: text.replace(b"C050", b"C0\xff0"), "F01 not UTF-8 (byte 0xff at offset"),
        (lambda text: text.replace(b"C050", b"C\xc3\xa90"), "landed"),  # a 2-byte character, possibly across chunks
    ],
    ids=["doctype", "not-utf8", "two-byte-character"],
)
def test_the_chunked_utf8_and_doctype_checks_find_what_the_whole_bytes_show(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object, rule: str
) -> None:
    """The UTF-8 and DOCTYPE checks read the file in chunks; read 7 bytes at a time (every boundary crossed, the
    DOCTYPE and the bad byte split between two reads) they say what one read of 1 MB says."""
    content = damage(_census().encode("utf-8"))
    outcomes = []
    for chunk, root in ((1 << 20, tmp_path / "whole"), (7, tmp_path / "chunked")):
        with monkeypatch.context() as patch:
            patch.setattr(reader, "_CHUNK", chunk)
            outcomes.append(_land_cin(root, content))
    assert outcomes[0] == outcomes[1]
    shown = outcomes[0].outcome if outcomes[0].outcome == "landed" else outcomes[0].message.split(": ", 1)[1]
    assert shown.startswith(rule)
    if rule.startswith("F01 not UTF-8"):  # the offset is the bad byte's own
        bad_byte = content.index(b"\xff")
        assert shown == f"{rule} {bad_byte})"
