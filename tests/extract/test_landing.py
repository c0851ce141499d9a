"""What lands where (docs/architecture.md, "Landing"): schemas dbt reads, ledger, archive, idempotence, paths."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from extract import extract_all, list_delivery_files, load_id_for
from tests.dbt.landing_fixture import EPISODE_SCHEMA, HEADER_SCHEMA, LEDGER_SCHEMA
from tests.extract.builders import LA, deliver, episodes_csv, header_csv, manifest, run
from tests.helpers import tree_snapshot


def _delivery(inbound: Path) -> None:
    rows = ("C900,01/05/2025,S,ZZ,N1,U4,PR1,,,,,bad,", "C001,01/05/2025,S,C2,N1,U4,PR1,,,,SL1 2EL,SL1 2EL,XXXXXXX")
    deliver(inbound, "E06000039_903_2025-26_episodes.csv", episodes_csv(*rows, good=98))
    deliver(inbound, "E06000039_903_2025-26_header.csv", header_csv("C001,M,15/05/2012,WBRI,UN1,,"))


def test_landed_parquet_and_ledger_have_the_schemas_dbt_reads(tmp_path: Path) -> None:
    _delivery(tmp_path / "inbound")
    outcomes = extract_all(tmp_path / "inbound", tmp_path / "landing", tmp_path / "archive", date(2025, 10, 31))
    # 97 of the 98 landed episodes have no Header row: Episodes is also gated (X1), which this test does not look at.
    episodes, header = (outcome for outcome in outcomes if outcome.outcome != "gated")
    assert json.loads(json.dumps(episodes.to_dict()))["rows_landed"] == 98  # JSON-serialisable for Airflow XCom
    folder = tmp_path / "landing" / "ssda903"
    assert pq.read_schema(folder / "episodes" / f"la_code={LA}" / f"{episodes.load_id}.parquet") == EPISODE_SCHEMA
    assert pq.read_schema(folder / "header" / f"la_code={LA}" / f"{header.load_id}.parquet") == HEADER_SCHEMA
    ledger = pq.read_table(tmp_path / "landing" / "_ledger" / f"{episodes.load_id}.parquet")
    assert ledger.schema == LEDGER_SCHEMA
    [entry] = ledger.to_pylist()
    data = (tmp_path / "inbound" / LA / "2025-10" / "903" / "E06000039_903_2025-26_episodes.csv").read_bytes()
    assert entry == {
        "load_id": episodes.load_id,
        "la_code": LA,
        "reporting_month": "2025-10",
        "collection_year": "2025-26",
        "table_name": "episodes",
        "source_file": "E06000039/2025-10/903/E06000039_903_2025-26_episodes.csv",
        "sha256": hashlib.sha256(data).hexdigest(),
        "bytes": len(data),
        "rows_read": 100,
        "rows_landed": 98,
        "rows_quarantined": 2,
        "outcome": "landed",
        "message": "quarantined 2 rows (R02 x1, W01 x1)",
    }


def test_load_id_is_the_table_and_a_hash_of_content_la_and_month(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(good=3))
    outcome = run(tmp_path, path)
    file_sha = hashlib.sha256(path.read_bytes()).hexdigest()
    expected = "episodes-" + hashlib.sha256(f"{file_sha}|{LA}|2025-10".encode()).hexdigest()[:16]
    assert outcome.load_id == load_id_for("episodes", file_sha, LA, "2025-10") == expected
    # The same bytes delivered for the next month are another load, landed with their own month.
    again = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", path.read_bytes(), month="2025-11"))
    assert again.load_id != outcome.load_id and (again.outcome, again.reporting_month) == ("landed", "2025-11")


def test_raw_bytes_are_archived_by_content_hash(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "not-a-table.csv", "A,B\n1,2\n")
    run(tmp_path, path)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (tmp_path / "archive" / digest[:2] / digest).read_bytes() == path.read_bytes()


def test_extracting_twice_is_unchanged_and_byte_identical(tmp_path: Path) -> None:
    _delivery(tmp_path / "inbound")
    deliver(tmp_path / "inbound", "junk.csv", "A,B\n")
    args = (tmp_path / "inbound", tmp_path / "landing", tmp_path / "archive", date(2025, 10, 31))
    first = extract_all(*args)
    before = tree_snapshot(tmp_path / "landing") | tree_snapshot(tmp_path / "archive")
    second = extract_all(*args)
    # The delivery-level pass adds Episodes' X1 gate (97 of 98 rows have no Header row) on every run.
    assert [outcome.outcome for outcome in first] == ["landed", "landed", "rejected", "gated"]
    assert [outcome.outcome for outcome in second] == ["unchanged", "unchanged", "rejected", "gated"]
    for old, new in zip(first[:2], second[:2], strict=True):
        assert (new.rows_read, new.rows_landed, new.rows_quarantined) == (
            old.rows_read,
            old.rows_landed,
            old.rows_quarantined,
        )
    assert tree_snapshot(tmp_path / "landing") | tree_snapshot(tmp_path / "archive") == before
    assert not list((tmp_path / "landing").rglob("*.tmp"))


def test_two_landing_areas_from_the_same_inputs_are_byte_identical(tmp_path: Path) -> None:
    _delivery(tmp_path / "inbound")
    for name in ("a", "b"):
        extract_all(tmp_path / "inbound", tmp_path / name, tmp_path / f"archive-{name}", date(2025, 10, 31))
    assert tree_snapshot(tmp_path / "a") == tree_snapshot(tmp_path / "b")


def test_a_file_fixed_under_the_same_load_id_replaces_its_rejection(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    path = deliver(inbound, "episodes.csv", episodes_csv(good=2), manifest=manifest(as_at="2025-12-31"))
    assert run(tmp_path, path).outcome == "rejected"
    deliver(inbound, "episodes.csv", episodes_csv(good=2), manifest=manifest())
    outcome = run(tmp_path, path)
    assert outcome.outcome == "landed"
    assert not (tmp_path / "landing" / "_quarantine" / "files" / f"{outcome.load_id}.json").exists()


def test_history_files_take_the_month_of_31_march_and_the_year_of_their_folder(tmp_path: Path) -> None:
    content = episodes_csv("C900,01/04/2024,S,C2,N1,U4,PR1,,,,,,", good=0)
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", content, month="history/2023-24"))
    # DECOM 01/04/2024 is after the history return's as-at date, 31/03/2024.
    assert (outcome.reporting_month, outcome.collection_year, outcome.outcome) == ("2024-03", "2023-24", "rejected")
    assert "R06 x1" in outcome.message


def test_collection_year_from_file_name_then_manifest_then_period_end(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    by_name = run(tmp_path, deliver(inbound, "E06000039_903_2024_25_episodes.csv", episodes_csv(good=1)))
    by_period = run(tmp_path, deliver(inbound, "episodes.csv", episodes_csv(good=1)))
    assert (by_name.collection_year, by_period.collection_year) == ("2024-25", "2025-26")
    content = episodes_csv(good=1, decom="01/05/2024")
    delivery_manifest = manifest("2025-04", "2025-05-05", collection_year="2024-25")
    by_manifest = deliver(inbound, "episodes.csv", content, month="2025-04", manifest=delivery_manifest)
    assert run(tmp_path, by_manifest).collection_year == "2024-25"


def test_list_delivery_files_reads_months_up_to_as_of_and_all_history(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    for month in ("2025-09", "2025-10", "2025-11"):
        deliver(inbound, "episodes.csv", "x", month=month, manifest=manifest(month))
    deliver(inbound, "episodes.csv", "x", month="history/2023-24")
    deliver(inbound, "notes.txt", "x", month="2025-10")
    deliver(inbound, ".hidden.csv", "x", month="2025-10")
    deliver(inbound, "header.csv", "x", la="E09000001", month="2025-10")
    (inbound / LA / "misc").mkdir()
    listed = [path.relative_to(inbound).as_posix() for path in list_delivery_files(inbound, date(2025, 10, 31))]
    assert listed == [
        "E06000039/2025-09/903/episodes.csv",
        "E06000039/2025-10/903/episodes.csv",
        "E06000039/2025-10/903/notes.txt",
        "E06000039/history/903/2023-24/episodes.csv",
        "E09000001/2025-10/903/header.csv",
    ]
    assert list_delivery_files(tmp_path / "absent", date(2025, 10, 31)) == []
