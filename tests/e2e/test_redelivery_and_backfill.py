"""Re-runs, corrected re-deliveries, late files and backfills, caused on purpose on a generated organisation.

The world: two monthly deliveries (September and October 2026), each published by a run on its date; September's
local_staff_supervision file is held back (it arrives late). Then, in a copy:

* September's hr_absence is re-delivered corrected (three sickness absences removed) and the late file arrives; the
  next nightly run (as of October) supersedes the old load, lands the late file, and republishes September and
  October (whose inputs changed), each manifest naming the correction; the earlier releases stay for audit;
* the same night run again changes nothing: same published bytes, same warehouse figures, no new ledger rows;
* a backfill of September is byte-identical to the run on its date.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.cli import main
from pipeline.settings import Settings
from synth import generate_organisation
from tests.helpers import tree_snapshot

pytestmark = [pytest.mark.dbt, pytest.mark.slow, pytest.mark.xdist_group("e2e_redelivery")]

LA = "E06000039"
SEPTEMBER, OCTOBER = date(2026, 9, 30), date(2026, 10, 31)
LATE = "local/local_staff_supervision.csv"  # p_staff_9_supervisions_12m reads it
CORRECTED = "hr/hr_absence.csv"  # t_sickness_absence and p_short_term_absence_ytd read it
REMOVED_ABSENCES = 3


def _delivery(settings: Settings, month: str) -> Path:
    return settings.inbound_dir / LA / month


@pytest.fixture(scope="module")
def runs_on_their_dates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Settings, Path]]:
    """September published by a run as of September (its late file still missing), then October."""
    root = tmp_path_factory.mktemp("redelivery") / "data"
    held = root.parent / "held_back"
    previous = os.environ.get("CSC_DATA_DIR")
    os.environ["CSC_DATA_DIR"] = str(root)
    try:
        settings = Settings.from_env()
        generate_organisation(settings.inbound_dir, LA, OCTOBER, seed=7, months=2, history_years=2)
        (held / "local").mkdir(parents=True)
        shutil.move(_delivery(settings, "2026-09") / LATE, held / LATE)
        assert main(["run", "--as-of", SEPTEMBER.isoformat()]) == 0
        assert main(["run", "--as-of", OCTOBER.isoformat()]) == 0
        yield settings, held
    finally:
        if previous is None:
            os.environ.pop("CSC_DATA_DIR", None)
        else:
            os.environ["CSC_DATA_DIR"] = previous


@pytest.fixture
def world(runs_on_their_dates: tuple[Settings, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    settings, held = runs_on_their_dates
    copy = tmp_path / "data"
    shutil.copytree(settings.data_dir, copy, symlinks=True)
    shutil.copytree(held, tmp_path / "held_back")
    monkeypatch.setenv("CSC_DATA_DIR", str(copy))
    return Settings.from_env()


def _rows(public: Path) -> dict[str, dict]:
    return {row["kpi_id"]: row for row in pq.read_table(public / "tsg_dataset.parquet").to_pylist()}


def _manifest(public: Path) -> dict:
    return json.loads((public / "manifest.json").read_text())


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _correct_absences(settings: Settings) -> tuple[str, str]:
    """Re-deliver September's hr_absence without its latest three sickness absences; the delivery manifest is
    re-issued with the new checksum and row count, as the contract asks of a corrected file. Returns the old and
    new sha256."""
    delivery = _delivery(settings, "2026-09")
    path = delivery / CORRECTED
    old = _sha(path)
    header, *lines = path.read_text().splitlines()
    # The three latest sickness absences (column 3 is start_date): inside September's 12-month window.
    sickness = sorted(
        (line.split(",")[2], index) for index, line in enumerate(lines) if line.split(",")[4] == "SICKNESS"
    )
    sickness = {index for _start, index in sickness[-REMOVED_ABSENCES:]}
    kept = [line for index, line in enumerate(lines) if index not in sickness]
    path.write_text("\n".join([header, *kept]) + "\n")
    manifest = json.loads((delivery / "_delivery.json").read_text())
    for entry in manifest["files"]:
        if entry["path"] == CORRECTED:
            entry["sha256"], entry["rows"] = _sha(path), len(kept)
    (delivery / "_delivery.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return old, _sha(path)


def _warehouse_figures(settings: Settings) -> list[tuple]:
    with duckdb.connect(str(settings.warehouse_path), read_only=True) as connection:
        return connection.execute(
            "select kpi_id, grain, grain_key, numerator, denominator, value, rag_state "
            "from publish.pub_tsg_dataset order by all"
        ).fetchall()


def test_a_corrected_redelivery_and_a_late_file_republish_the_months_they_change(world: Settings) -> None:
    public = {month: world.publish_dir / LA / month for month in ("2026-09", "2026-10")}
    releases_before = {month: link.resolve() for month, link in public.items()}
    september_before, october_before = _rows(public["2026-09"]), _rows(public["2026-10"])
    # The late file was missing from September's run: its indicator is NO_DATA there.
    assert september_before["p_staff_9_supervisions_12m"]["value"] is None
    assert september_before["p_staff_9_supervisions_12m"]["rag_state"] == "NO_DATA"

    old_sha, new_sha = _correct_absences(world)
    shutil.move(world.data_dir.parent / "held_back" / LATE, _delivery(world, "2026-09") / LATE)
    assert main(["run", "--as-of", OCTOBER.isoformat()]) == 0

    # Both months have a new release; the earlier ones are kept, byte for byte, for audit.
    for month, link in public.items():
        assert link.resolve() != releases_before[month]
        assert releases_before[month].is_dir() and (releases_before[month] / "manifest.json").is_file()
    september, october = _rows(public["2026-09"]), _rows(public["2026-10"])
    # The late file is published: September's supervision indicator now has a figure.
    assert september["p_staff_9_supervisions_12m"]["value"] is not None
    # Three fewer sickness absences in September's delivery: fewer working days lost in September's figure.
    figure = ("numerator", "denominator", "value")
    before = tuple(september_before["t_sickness_absence"][key] for key in figure)
    assert tuple(september["t_sickness_absence"][key] for key in figure) != before
    # October's delivery holds its own absences and supervisions: October's figures do not move, only its manifest
    # records the change. Its supervision row compares with September's, which now has a figure: that previous value
    # (and what is rated from it) is the one thing that changes in October.
    late_kpi = "p_staff_9_supervisions_12m"
    assert {kpi: row for kpi, row in october.items() if kpi != late_kpi} == {
        kpi: row for kpi, row in october_before.items() if kpi != late_kpi
    }
    assert tuple(october[late_kpi][key] for key in figure) == tuple(october_before[late_kpi][key] for key in figure)
    assert october_before[late_kpi]["prev_value"] is None
    assert october[late_kpi]["prev_value"] == september[late_kpi]["value"]
    for month in ("2026-09", "2026-10"):
        [correction] = _manifest(public[month])["corrections"]
        assert correction["source_file"] == f"{LA}/2026-09/{CORRECTED}"
        assert (correction["old_sha256"], correction["new_sha256"]) == (old_sha, new_sha)
        assert correction["old_load_id"] != correction["new_load_id"]
        assert correction["new_outcome"] == "landed"
        # The run log of the run that made the release sits beside its manifest, outside the manifest's files.
        assert (public[month] / "run_log.jsonl").is_file()
        assert "run_log.jsonl" not in _manifest(public[month])["files"]
    superseded = world.landing_dir / "_superseded" / "hr" / "absence" / f"la_code={LA}"
    assert [p.stem for p in superseded.glob("*.parquet")] == [correction["old_load_id"]]

    # The same night again: nothing changes, nothing new is landed.
    published, figures = tree_snapshot(world.publish_dir), _warehouse_figures(world)
    ledger = tree_snapshot(world.landing_dir / "_ledger")
    assert main(["run", "--as-of", OCTOBER.isoformat()]) == 0
    assert tree_snapshot(world.publish_dir) == published
    assert _warehouse_figures(world) == figures
    assert tree_snapshot(world.landing_dir / "_ledger") == ledger


def test_a_backfilled_month_is_byte_identical_to_the_run_on_its_date(world: Settings) -> None:
    september = world.publish_dir / LA / "2026-09"
    published = tree_snapshot(world.publish_dir)
    release = september.resolve()
    assert main(["backfill", "--from", "2026-09", "--to", "2026-09"]) == 0
    # Same content, same release folder: the backfill found it already there and moved nothing.
    assert september.resolve() == release
    assert tree_snapshot(world.publish_dir) == published
    # The warehouse is left built for the last backfilled month.
    assert json.loads((world.work_dir / "last_build.json").read_text())["as_of"] == SEPTEMBER.isoformat()
