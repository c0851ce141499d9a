"""Delivery-level rules (input contract §0.3 F09, §0.8 W06, §1.1.2): orphan children and DOB mismatches across the
903 tables of one delivery, and manifest-listed files that are absent; plus `extract_all(workers=...)`."""

from __future__ import annotations

import hashlib
import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from extract import check_delivery_consistency, extract_all
from tests.extract.builders import LA, deliver, episodes_csv, header_csv, manifest, run, sha256
from tests.helpers import tree_snapshot

AS_OF = date(2025, 10, 31)
REVIEW_COLUMNS = "CHILD,DOB,REVIEW,REVIEW_CODE"
HEADER_C001 = "C001,M,01/01/2015,WBRI,A123456789012,,"
HEADER_C002 = "C002,F,02/02/2016,WBRI,UN1,,"
EPISODES = "903/E06000039_903_2025-26_episodes.csv"
REVIEWS = "903/E06000039_903_2025-26_reviews.csv"
HEADER = "903/E06000039_903_2025-26_header.csv"


def _reviews_csv(*rows: str) -> str:
    return "\n".join([REVIEW_COLUMNS, *rows]) + "\n"


def _delivery(root: Path) -> None:
    """Header C001, C002; Episodes C001, C002 and an orphan C003 (row 4); Reviews: C001's DOB matches (row 2), C002's
    differs from the Header (row 3), orphan C004 (row 4)."""
    inbound = root / "inbound"
    deliver(inbound, Path(HEADER).name, header_csv(HEADER_C001, HEADER_C002))
    deliver(inbound, Path(EPISODES).name, episodes_csv(good=3))
    reviews = ("C001,01/01/2015,01/06/2025,PN1", "C002,03/02/2016,01/07/2025,PN1", "C004,04/04/2017,01/08/2025,PN0")
    deliver(inbound, Path(REVIEWS).name, _reviews_csv(*reviews))


def _warnings(root: Path) -> list[dict]:
    path = root / "landing" / "_warnings" / f"delivery-{LA}-2025-10.parquet"
    return pq.read_table(path).to_pylist() if path.is_file() else []


def _extract_all(root: Path, workers: int = 1) -> list:
    return extract_all(root / "inbound", root / "landing", root / "archive", AS_OF, workers=workers)


def test_orphan_children_and_dob_mismatches_are_w06_warnings_and_the_rows_are_kept(tmp_path: Path) -> None:
    _delivery(tmp_path)
    outcomes = _extract_all(tmp_path)
    # Episodes is mandatory and 1 of its 3 rows (33 %) is an orphan, over X1's 2 %: a `gated` outcome follows.
    assert [(o.table_name, o.outcome, o.rows_landed) for o in outcomes] == [
        ("episodes", "landed", 3),
        ("header", "landed", 2),
        ("reviews", "landed", 3),
        ("episodes", "gated", 3),
    ]
    found = _warnings(tmp_path)
    assert [(w["table_name"], w["source_file"], w["source_row"], w["field"], w["rule_code"]) for w in found] == [
        ("episodes", f"{LA}/2025-10/{EPISODES}", 4, "CHILD", "W06"),
        ("reviews", f"{LA}/2025-10/{REVIEWS}", 3, "DOB", "W06"),
        ("reviews", f"{LA}/2025-10/{REVIEWS}", 4, "CHILD", "W06"),
    ]
    assert [w["message"] for w in found] == [
        "CHILD is not in the delivery's Header: Episodes row kept as an orphan",
        "DOB differs from Header.DOB for this CHILD: row kept, Header's DOB wins (Reviews)",
        "CHILD is not in the delivery's Header: Reviews row kept as an orphan",
    ]
    # CHILD and DOB are personal: never stored raw, only hashed.
    assert [w["value"] for w in found] == [None, None, None]
    assert [w["value_hash"] for w in found] == [
        hashlib.sha256(b"C003").hexdigest(),
        hashlib.sha256(b"03/02/2016").hexdigest(),
        hashlib.sha256(b"C004").hexdigest(),
    ]
    episodes_load = next(o.load_id for o in outcomes if o.table_name == "episodes")
    assert found[0]["load_id"] == episodes_load and found[0]["la_code"] == LA
    assert found[0]["reporting_month"] == "2025-10"


def test_the_delivery_pass_is_idempotent_and_runs_alone_after_single_file_extracts(tmp_path: Path) -> None:
    _delivery(tmp_path)
    for path in sorted((tmp_path / "inbound").rglob("*.csv")):
        run(tmp_path, path)  # Airflow's per-file tasks
    assert _warnings(tmp_path) == []  # nothing delivery-level until the pass runs
    check = check_delivery_consistency(tmp_path / "inbound", tmp_path / "landing", LA, "2025-10")
    assert (check.warnings, check.missing) == (3, [])
    first = tree_snapshot(tmp_path / "landing")
    check_delivery_consistency(tmp_path / "inbound", tmp_path / "landing", LA, "2025-10")
    _extract_all(tmp_path)
    assert tree_snapshot(tmp_path / "landing") == first


def test_a_corrected_header_clears_the_warnings(tmp_path: Path) -> None:
    _delivery(tmp_path)
    _extract_all(tmp_path)
    rows = (HEADER_C001, HEADER_C002, "C003,M,03/03/2017,WBRI,UN1,,", "C004,F,04/04/2017,WBRI,UN1,,")
    deliver(tmp_path / "inbound", Path(HEADER).name, header_csv(*rows).replace("03/02/2016", "02/02/2016"))
    deliver(tmp_path / "inbound", Path(REVIEWS).name, _reviews_csv("C002,02/02/2016,01/07/2025,PN1"))
    _extract_all(tmp_path)
    assert not (tmp_path / "landing" / "_warnings" / f"delivery-{LA}-2025-10.parquet").exists()


def test_no_landed_header_means_no_orphan_check(tmp_path: Path) -> None:
    deliver(tmp_path / "inbound", Path(EPISODES).name, episodes_csv(good=3))
    outcomes = _extract_all(tmp_path)
    assert [o.outcome for o in outcomes] == ["landed"]
    assert _warnings(tmp_path) == []


def test_other_deliveries_and_history_returns_are_not_mixed_in(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, Path(HEADER).name, header_csv(HEADER_C001))
    deliver(inbound, Path(EPISODES).name, episodes_csv(good=1))
    # C002's header is in another month's delivery and in a history return: C002 is still an orphan in 2025-10.
    deliver(inbound, Path(HEADER).name, header_csv(HEADER_C002), month="2025-09")
    deliver(inbound, "E06000039_903_2024-25_header.csv", header_csv(HEADER_C002), month="history/2024-25")
    deliver(inbound, Path(REVIEWS).name, _reviews_csv("C002,02/02/2016,01/07/2025,PN1"))
    _extract_all(tmp_path)
    assert [(w["table_name"], w["source_row"], w["field"]) for w in _warnings(tmp_path)] == [("reviews", 2, "CHILD")]
    assert not (tmp_path / "landing" / "_warnings" / f"delivery-{LA}-2025-09.parquet").exists()


def test_a_manifest_listed_file_that_is_absent_is_an_f09_ledger_row_until_it_arrives(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    episodes = deliver(inbound, Path(EPISODES).name, episodes_csv(good=2))
    files = [
        {"path": EPISODES, "table": "episodes", "rows": 2, "sha256": sha256(episodes)},
        {"path": REVIEWS, "table": "reviews", "rows": 1, "sha256": "ab" * 32},
    ]
    (inbound / LA / "2025-10" / "_delivery.json").write_text(json.dumps(manifest(files=files)), encoding="utf-8")
    outcomes = _extract_all(tmp_path)
    message = f"{LA}/2025-10/{REVIEWS}: F09 listed in the delivery manifest but absent from the delivery"
    assert [(o.source_file, o.table_name, o.outcome, o.rows_read, o.message) for o in outcomes] == [
        (f"{LA}/2025-10/{EPISODES}", "episodes", "landed", 2, None),
        (f"{LA}/2025-10/{REVIEWS}", "reviews", "rejected", 0, message),
    ]
    missing = outcomes[1]
    assert missing.load_id.startswith("missing-")
    ledger = pq.read_table(tmp_path / "landing" / "_ledger" / f"{missing.load_id}.parquet").to_pylist()
    assert [(row["outcome"], row["sha256"], row["bytes"], row["rows_landed"], row["message"]) for row in ledger] == [
        ("rejected", "ab" * 32, 0, 0, message)
    ]
    quarantine = tmp_path / "landing" / "_quarantine" / "files" / f"{missing.load_id}.json"
    assert json.loads(quarantine.read_text(encoding="utf-8"))["rule_code"] == "F09"
    snapshot = tree_snapshot(tmp_path / "landing")
    assert [o.outcome for o in _extract_all(tmp_path)] == ["unchanged", "rejected"]
    assert tree_snapshot(tmp_path / "landing") == snapshot  # the re-run rewrites nothing

    deliver(inbound, Path(REVIEWS).name, _reviews_csv("C001,01/01/2015,01/06/2025,PN1"))
    outcomes = _extract_all(tmp_path)
    assert [o.table_name for o in outcomes] == ["episodes", "reviews"]  # no F09 any more
    assert not (tmp_path / "landing" / "_ledger" / f"{missing.load_id}.parquet").exists()
    assert not quarantine.exists()


def test_workers_land_the_same_bytes_as_one_process(tmp_path: Path) -> None:
    for root in (tmp_path / "one", tmp_path / "two"):
        _delivery(root)
    one, two = _extract_all(tmp_path / "one"), _extract_all(tmp_path / "two", workers=2)
    assert [o.load_id for o in one] == [o.load_id for o in two]
    assert tree_snapshot(tmp_path / "one" / "landing") == tree_snapshot(tmp_path / "two" / "landing")
