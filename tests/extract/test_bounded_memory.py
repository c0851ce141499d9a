"""A CIN census XML and the delivery-level pass take memory bounded by what they keep, not by the size of what
they read (docs/operations.md, "Resource limits"): the census is never held as bytes nor as records, and the pass
reads the landed tables a batch of rows at a time. Each measurement runs in a fresh process that reports its own
peak resident memory before and after (`VmHWM` of /proc/self/status, KB: unlike `ru_maxrss`, it starts afresh at
exec, so the test process's own size is not counted); the differential test shows the batched pass finds exactly
what the whole-table one did.
"""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from extract import delivery_landing, extract_all, landing
from extract.table_catalogue import landed_tables
from tests.extract.builders import LA, deliver, episodes_csv, header_csv
from tests.extract.family_builders import cin_child, cin_xml, deliver_to

REPO = Path(__file__).resolve().parents[2]
AS_OF = date(2025, 10, 31)


_PEAK = """
def peak_kb():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) for line in status if line.startswith("VmHWM:"))
"""


def _growth_mb(script: str, *args: str) -> tuple[list[str], float]:
    """Run `script` (which prints its result then `peak_kb()` before and after) in a fresh interpreter."""
    result = subprocess.run(
        [sys.executable, "-c", _PEAK + script, *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
    )
    *printed, before, after = result.stdout.split()
    return printed, (int(after) - int(before)) / 1024


_LAND_CIN = """
import sys
from pathlib import Path
from extract import extract_file
root, path = Path(sys.argv[1]), Path(sys.argv[2])
before = peak_kb()
outcome = extract_file(path, inbound_dir=root / "inbound", landing_dir=root / "landing", archive_dir=root / "archive")
after = peak_kb()
print(outcome.outcome, outcome.rows_landed, before, after)
"""
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
    (outcome, landed), growth = _growth_mb(_LAND_CIN, str(tmp_path), str(path))
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
    (warnings, gated), growth = _growth_mb(_CHECK_DELIVERY, str(tmp_path))
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
