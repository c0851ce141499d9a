"""Re-delivering a past month replaces that month's delivery (input contract §0.7, docs/architecture.md "Landing").

A corrected file at the same inbound path supersedes the earlier load: its Parquet leaves the folder dbt reads for
`landing/_superseded/`, and its ledger row says so. Nothing is deleted.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import MandatoryInputError, check_mandatory_inputs, extract_all, landing
from extract.extractor import _Extraction
from tests.extract.builders import LA, deliver, episodes_csv, good_episode, header_csv
from tests.helpers import tree_snapshot

AS_OF = date(2025, 10, 31)
NAME = "E06000039_903_2025-26_episodes.csv"
SOURCE = f"{LA}/2025-10/903/{NAME}"
ORIGINAL = episodes_csv(good=3)  # C001..C003
CORRECTED = episodes_csv(good=4)  # C001..C004: the LA added a missed child


def _run(root: Path) -> list:
    return extract_all(root / "inbound", root / "landing", root / "archive", AS_OF)


def _live(root: Path, table: str = "episodes") -> Path:
    return root / "landing" / "ssda903" / table / f"la_code={LA}"


def _superseded(root: Path, table: str = "episodes") -> Path:
    return root / "landing" / "_superseded" / "ssda903" / table / f"la_code={LA}"


def _ledger(root: Path, load_id: str) -> dict:
    [entry] = pq.read_table(root / "landing" / "_ledger" / f"{load_id}.parquet").to_pylist()
    return entry


def _files(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.glob("*")) if folder.is_dir() else []


def _live_rows(root: Path) -> list[tuple[str, str, str]]:
    """(child, reporting_month, load_id) of every live episodes row: what dbt reads."""
    rows = [row for path in sorted(_live(root).glob("*.parquet")) for row in pq.read_table(path).to_pylist()]
    return sorted((row["child"], row["reporting_month"], row["load_id"]) for row in rows)


def _by_source(outcomes: list) -> dict:
    return {outcome.source_file: outcome for outcome in outcomes}


def test_a_corrected_redelivery_supersedes_the_earlier_load_of_that_file(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, NAME, ORIGINAL)
    deliver(inbound, NAME, episodes_csv(good=2), month="2025-09")  # another month's delivery: never superseded
    first = _by_source(_run(tmp_path))
    old, september = first[SOURCE], first[f"{LA}/2025-09/903/{NAME}"]
    old_bytes = (_live(tmp_path) / f"{old.load_id}.parquet").read_bytes()
    old_entry = _ledger(tmp_path, old.load_id)

    deliver(inbound, NAME, CORRECTED)
    second = _by_source(_run(tmp_path))
    new = second[SOURCE]
    assert (new.outcome, second[september.source_file].outcome) == ("landed", "unchanged")
    assert new.load_id != old.load_id and new.rows_landed == 4

    # The old Parquet moved, byte for byte, out of the folder dbt reads.
    assert _files(_live(tmp_path)) == sorted([f"{new.load_id}.parquet", f"{september.load_id}.parquet"])
    assert _files(_superseded(tmp_path)) == [f"{old.load_id}.parquet"]
    assert (_superseded(tmp_path) / f"{old.load_id}.parquet").read_bytes() == old_bytes
    assert _ledger(tmp_path, old.load_id) == {
        **old_entry,
        "outcome": "superseded",
        "message": f"superseded by {new.load_id}",
    }
    assert old_entry["outcome"] == "landed" and old_entry["rows_landed"] == 3
    assert _ledger(tmp_path, new.load_id)["outcome"] == "landed"
    # Each October child once, from the corrected load; September untouched.
    october = [(f"C{index:03d}", "2025-10", new.load_id) for index in range(1, 5)]
    september_rows = [("C001", "2025-09", september.load_id), ("C002", "2025-09", september.load_id)]
    assert _live_rows(tmp_path) == sorted(october + september_rows)

    # A third run changes nothing.
    before = tree_snapshot(tmp_path / "landing") | tree_snapshot(tmp_path / "archive")
    third = _by_source(_run(tmp_path))
    assert {outcome.outcome for outcome in third.values()} == {"unchanged"}
    assert tree_snapshot(tmp_path / "landing") | tree_snapshot(tmp_path / "archive") == before
    assert not list((tmp_path / "landing").rglob("*.tmp"))


def test_reverting_to_the_old_bytes_lands_the_old_load_again_and_supersedes_the_newer(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, NAME, ORIGINAL)
    [old] = _run(tmp_path)
    old_bytes = (_live(tmp_path) / f"{old.load_id}.parquet").read_bytes()
    deliver(inbound, NAME, CORRECTED)
    [new] = _run(tmp_path)

    deliver(inbound, NAME, ORIGINAL)  # the LA withdraws the correction
    [reverted] = _run(tmp_path)
    assert (reverted.outcome, reverted.load_id, reverted.rows_landed) == ("landed", old.load_id, 3)
    assert _files(_live(tmp_path)) == [f"{old.load_id}.parquet"]
    assert (_live(tmp_path) / f"{old.load_id}.parquet").read_bytes() == old_bytes
    # The newer load is now the superseded one; the earlier superseded copy of the old load is kept (never deleted).
    assert _files(_superseded(tmp_path)) == sorted([f"{old.load_id}.parquet", f"{new.load_id}.parquet"])
    assert (_ledger(tmp_path, old.load_id)["outcome"], _ledger(tmp_path, old.load_id)["message"]) == ("landed", None)
    assert _ledger(tmp_path, new.load_id)["outcome"] == "superseded"
    assert _ledger(tmp_path, new.load_id)["message"] == f"superseded by {old.load_id}"
    assert _live_rows(tmp_path) == [(f"C{index:03d}", "2025-10", old.load_id) for index in range(1, 4)]

    before = tree_snapshot(tmp_path / "landing")
    [again] = _run(tmp_path)
    assert again.outcome == "unchanged"
    assert tree_snapshot(tmp_path / "landing") == before


def test_two_differently_named_files_of_one_table_both_stay_landed(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, "episodes_part1.csv", episodes_csv(good=2))  # C001, C002
    deliver(inbound, "episodes_part2.csv", episodes_csv(good_episode(7), good_episode(8), good=0))
    part1, part2 = _run(tmp_path)
    assert (part1.outcome, part2.outcome) == ("landed", "landed")
    assert _files(_live(tmp_path)) == sorted([f"{part1.load_id}.parquet", f"{part2.load_id}.parquet"])
    assert not _superseded(tmp_path).exists()
    assert [_ledger(tmp_path, o.load_id)["outcome"] for o in (part1, part2)] == ["landed", "landed"]

    # Correcting one part supersedes only that part's earlier load.
    deliver(inbound, "episodes_part2.csv", episodes_csv(good_episode(7), good_episode(9), good=0))
    unchanged, corrected = _run(tmp_path)
    assert (unchanged.outcome, corrected.outcome) == ("unchanged", "landed")
    assert _files(_live(tmp_path)) == sorted([f"{part1.load_id}.parquet", f"{corrected.load_id}.parquet"])
    assert _files(_superseded(tmp_path)) == [f"{part2.load_id}.parquet"]
    children = [child for child, _, _ in _live_rows(tmp_path)]
    assert children == ["C001", "C002", "C007", "C009"]


def test_a_rerun_completes_a_supersede_interrupted_after_the_new_load_was_written(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, NAME, ORIGINAL)
    [old] = _run(tmp_path)
    deliver(inbound, NAME, CORRECTED)

    def crash(*args: object) -> None:
        raise RuntimeError("killed")

    with monkeypatch.context() as patch:
        patch.setattr(_Extraction, "_supersede_earlier_loads", crash)
        with pytest.raises(RuntimeError):
            _run(tmp_path)
    # At worst both loads, never none.
    assert len(_files(_live(tmp_path))) == 2

    [new] = _run(tmp_path)
    assert new.outcome == "unchanged"
    assert _files(_live(tmp_path)) == [f"{new.load_id}.parquet"]
    assert _files(_superseded(tmp_path)) == [f"{old.load_id}.parquet"]
    assert _ledger(tmp_path, old.load_id)["outcome"] == "superseded"


def test_a_rerun_moves_a_load_whose_ledger_row_was_superseded_before_a_crash(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, NAME, ORIGINAL)
    [old] = _run(tmp_path)
    deliver(inbound, NAME, CORRECTED)

    def crash(*args: object) -> None:
        raise RuntimeError("killed")

    with monkeypatch.context() as patch:
        patch.setattr(landing, "move", crash)
        with pytest.raises(RuntimeError):
            _run(tmp_path)
    assert _ledger(tmp_path, old.load_id)["outcome"] == "superseded"
    assert (_live(tmp_path) / f"{old.load_id}.parquet").is_file()

    [new] = _run(tmp_path)
    assert new.outcome == "unchanged"
    assert _files(_live(tmp_path)) == [f"{new.load_id}.parquet"]
    assert _files(_superseded(tmp_path)) == [f"{old.load_id}.parquet"]
    assert _ledger(tmp_path, old.load_id)["message"] == f"superseded by {new.load_id}"


def test_a_rejected_correction_supersedes_nothing_and_blocks_the_month(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, "header.csv", header_csv("C001,M,15/05/2012,WBRI,UN1,,"))
    deliver(inbound, NAME, ORIGINAL)
    old = _by_source(_run(tmp_path))[SOURCE]
    deliver(inbound, NAME, episodes_csv("C900,31/02/2025,S,C2,N1,U4,PR1,,,,,,", good=1))  # 1 of 2 rows bad: F07
    outcomes = [outcome.to_dict() for outcome in _run(tmp_path)]
    assert _files(_live(tmp_path)) == [f"{old.load_id}.parquet"]
    assert _ledger(tmp_path, old.load_id)["outcome"] == "landed"
    with pytest.raises(MandatoryInputError, match=rf"^{LA} 2025-10 903 episodes: rejected: .*F07"):
        check_mandatory_inputs(outcomes, AS_OF)


def test_mandatory_check_after_a_supersede(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    children = (f"C00{index},M,15/05/2012,WBRI,UN1,," for index in (1, 2, 3, 4))  # every child of CORRECTED
    deliver(inbound, "header.csv", header_csv(*children))
    deliver(inbound, NAME, ORIGINAL)
    old = _by_source(_run(tmp_path))[SOURCE]
    deliver(inbound, NAME, CORRECTED)
    outcomes = [outcome.to_dict() for outcome in _run(tmp_path)]
    assert [(o["table_name"], o["outcome"]) for o in outcomes] == [("episodes", "landed"), ("header", "unchanged")]
    check_mandatory_inputs(outcomes, AS_OF)

    # The superseded load, as the ledger records it, counts as absent on its own...
    header = [o for o in outcomes if o["table_name"] == "header"]
    superseded = {**old.to_dict(), "outcome": "superseded"}
    with pytest.raises(MandatoryInputError) as raised:
        check_mandatory_inputs([*header, superseded], AS_OF)
    assert str(raised.value) == f"{LA} 2025-10 903 episodes: absent"
    # ... and is ignored next to the newer landed one.
    check_mandatory_inputs([*outcomes, superseded], AS_OF)
