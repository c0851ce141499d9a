"""Resource limits: DuckDB's memory and spill folder come from settings, and a full disk or an unwritable landing
area stops the run with one clear line and nothing built or published (docs/operations.md)."""

from __future__ import annotations

import errno
import os
from datetime import date
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
import yaml

from extract import landing
from extract.table_catalogue import empty_table_path, landed_tables
from pipeline import steps
from pipeline.cli import main
from pipeline.dbt_runner import run_dbt
from pipeline.settings import REPO_ROOT, Settings
from tests.extract.builders import episodes_csv

AS_OF = "2025-10-31"  # the delivery of October 2025


def _deliver_episodes(data_dir: Path) -> Path:
    folder = data_dir / "inbound" / "E06000039" / "2025-10" / "903"
    folder.mkdir(parents=True)
    path = folder / "episodes.csv"
    path.write_text(episodes_csv())
    return path


def _fail_with(number: int):
    def fail(*args: object, **kwargs: object) -> None:
        path = next((str(arg) for arg in args if isinstance(arg, (Path, str))), None)
        raise OSError(number, os.strerror(number), path)

    return fail


def test_duckdb_memory_limit_and_spill_folder_come_from_the_environment(data_dir: Path, monkeypatch) -> None:
    monkeypatch.setenv("CSC_DUCKDB_MEMORY_LIMIT", "512MB")
    monkeypatch.setenv("CSC_DUCKDB_TEMP_DIR", str(data_dir / "spill"))
    settings = Settings.from_env()
    assert settings.duckdb_config == {"memory_limit": "512MB", "temp_directory": str(data_dir / "spill")}
    env = steps._dbt_env(settings, settings.warehouse_path)
    assert (env["CSC_DUCKDB_MEMORY_LIMIT"], env["CSC_DUCKDB_TEMP_DIR"]) == ("512MB", str(data_dir / "spill"))
    assert (data_dir / "spill").is_dir()  # made before dbt starts, so DuckDB can spill at once
    with duckdb.connect(config=settings.duckdb_config) as connection:
        limit, temp = connection.execute(
            "select current_setting('memory_limit'), current_setting('temp_directory')"
        ).fetchone()
    # DuckDB reports 512MB as 488.2 MiB (512 000 000 bytes / 1 048 576 = 488.28...).
    assert (limit, temp) == ("488.2 MiB", str(data_dir / "spill"))


def test_the_defaults_bound_memory_and_spill_under_the_work_folder(data_dir: Path) -> None:
    settings = Settings.from_env()
    assert settings.duckdb_config == {"memory_limit": "4GB", "temp_directory": str(data_dir / "work" / "duckdb_tmp")}


@pytest.mark.dbt
def test_the_dbt_build_runs_under_the_settings_memory_limit_and_spill_folder(data_dir: Path, monkeypatch) -> None:
    """Through the pipeline's own wiring (`_dbt_env` -> profiles.yml `config_options`), as dbt sees it."""
    monkeypatch.setenv("CSC_DUCKDB_MEMORY_LIMIT", "300MB")
    settings = Settings.from_env()
    spill = data_dir / "work" / "duckdb_tmp"
    query = f"select current_setting('memory_limit') as m, current_setting('temp_directory') = '{spill}' as t"
    result = run_dbt(
        ["show", "--inline", query],
        as_of=date(2025, 10, 31),
        target="duckdb",
        target_path=settings.work_dir / "dbt_target",
        env_overrides=steps._dbt_env(settings, settings.work_dir / "probe.duckdb"),
    )
    assert result.success, result.log_tail
    # 300MB = 300 000 000 bytes = 286.1 MiB, as DuckDB reports it; the spill folder is the work folder's.
    assert "| 286.1 MiB | True |" in result.log_tail


@pytest.mark.parametrize(
    ("number", "writer", "words"),
    [
        (errno.ENOSPC, "_write_parquet", "No space left on device"),  # a full disk while landing
        (errno.EROFS, "_write_bytes", "Read-only file system"),  # a read-only archive (the first write)
        (errno.EACCES, "_write_parquet", "Permission denied"),  # a landing folder the run may not write
    ],
)
def test_an_unwritable_landing_area_fails_the_run_cleanly(
    data_dir: Path, monkeypatch, capsys, number: int, writer: str, words: str
) -> None:
    _deliver_episodes(data_dir)
    monkeypatch.setattr(landing, writer, _fail_with(number))
    assert main(["run", "--as-of", AS_OF]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("csc-warehouse run: FAILED: cannot write the landing area or archive while extracting ")
    assert "E06000039/2025-10/903/episodes.csv" in error and words in error
    assert error.endswith("Nothing was built or published; free space or fix the folder's permissions, then re-run.")
    assert "\n" not in error
    assert not (data_dir / "published").exists() and not (data_dir / "warehouse.duckdb").exists()
    # The file is not blamed: no ledger row, no rejection, so the next run (with room) lands it as usual.
    assert not list((data_dir / "landing").rglob("*.json")) and not list((data_dir / "landing").rglob("_ledger/*"))
    monkeypatch.undo()
    monkeypatch.setenv("CSC_DATA_DIR", str(data_dir))
    [outcome] = steps.extract_all_files(Settings.from_env(), date(2025, 10, 31))
    assert (outcome["outcome"], outcome["rows_landed"]) == ("landed", 49)


def test_a_full_disk_during_the_delivery_checks_fails_the_step_cleanly(data_dir: Path, monkeypatch) -> None:
    _deliver_episodes(data_dir)
    settings = Settings.from_env()
    steps.extract_delivery_file(settings, str(next((data_dir / "inbound").rglob("episodes.csv"))))
    monkeypatch.setattr(pq, "write_table", _fail_with(errno.ENOSPC))  # every Parquet writer of the delivery pass
    with pytest.raises(steps.StepFailedError, match=r"^cannot write the landing area: No space left on device \("):
        steps.check_deliveries(settings, date(2025, 10, 31))


@pytest.mark.parametrize(
    ("number", "words"),
    [
        (errno.ENOSPC, "No space left on device"),  # the disk fills while a large file is written batch by batch
        (errno.EACCES, "Permission denied"),  # the landing area's staging folder may not be written
    ],
)
def test_a_streamed_file_that_cannot_be_written_fails_the_run_and_stages_nothing(
    data_dir: Path, monkeypatch, capsys, number: int, words: str
) -> None:
    """A CSV over the streaming size is written to landing/_staging/ a batch at a time (`extract.streamed_check`):
    a storage error there stops the run like any other, with no table, ledger row or staged file left."""
    from extract import csv_stream

    _deliver_episodes(data_dir)
    monkeypatch.setattr(csv_stream, "STREAM_BYTES", -1)  # every CSV streamed
    monkeypatch.setattr(csv_stream, "BATCH_ROWS", 10)  # 49 episodes: the error comes at the first batch
    monkeypatch.setattr(pq.ParquetWriter, "write_table", _fail_with(number))
    assert main(["run", "--as-of", AS_OF]) == 1
    error = capsys.readouterr().err.strip()
    assert error.startswith("csc-warehouse run: FAILED: cannot write the landing area or archive while extracting ")
    assert "E06000039/2025-10/903/episodes.csv" in error and words in error
    assert not (data_dir / "published").exists() and not (data_dir / "warehouse.duckdb").exists()
    landing_dir = data_dir / "landing"
    assert not list(landing_dir.rglob("*.parquet*")) and not list(landing_dir.rglob("*.json"))
    monkeypatch.undo()
    monkeypatch.setenv("CSC_DATA_DIR", str(data_dir))
    monkeypatch.setattr(csv_stream, "STREAM_BYTES", -1)
    monkeypatch.setattr(csv_stream, "BATCH_ROWS", 10)
    [outcome] = steps.extract_all_files(Settings.from_env(), date(2025, 10, 31))
    assert (outcome["outcome"], outcome["rows_landed"]) == ("landed", 49)
    landed = next((landing_dir / "ssda903" / "episodes").rglob("episodes-*.parquet"))
    assert pq.ParquetFile(landed).num_row_groups == 5  # 49 rows, 10 a batch: it was streamed


def test_a_build_first_removes_the_spill_files_a_killed_build_left(data_dir: Path, monkeypatch) -> None:
    # A dbt killed with SIGKILL leaves DuckDB's spill files behind (names as DuckDB 1.5 writes them); the next build
    # removes them before dbt starts, under the writer lock, and leaves anything else in the folder alone.
    settings = Settings.from_env()
    spill = Path(settings.duckdb_config["temp_directory"])
    spill.mkdir(parents=True)
    for name in ("duckdb_temp_storage_DEFAULT-0.tmp", "duckdb_temp_storage_S128K-0.tmp", "notes.txt"):
        (spill / name).write_bytes(b"x" * 1024)
    seen_by_dbt: list[list[str]] = []

    def run_dbt_stub(*args: object, **kwargs: object) -> object:
        seen_by_dbt.append(sorted(path.name for path in spill.iterdir()))
        raise steps.StepFailedError("stop here: only the clean-up before dbt is under test")

    monkeypatch.setattr(steps, "run_dbt", run_dbt_stub)
    with pytest.raises(steps.StepFailedError, match="stop here"):
        steps.build_warehouse(settings, date(2025, 10, 31))
    assert seen_by_dbt == [["notes.txt"]]


def _plant_killed_extraction_leftovers(settings: Settings) -> tuple[list[Path], list[Path]]:
    """What an extraction killed with SIGKILL leaves (names as extract/ writes them), beside files that must stay."""
    landed = settings.landing_dir / "ssda903" / "episodes" / "la_code=E06000039" / "20251101T000000-ab12.parquet"
    leftovers = [
        landed.with_name(landed.name + ".tmp"),  # extract.landing: <name>.tmp renamed into place
        settings.landing_dir / "_staging" / "20251101T000000-cd34.ssda903_episodes.parquet.tmp",  # a streamed CSV
        settings.landing_dir / "ssda903" / "header" / ".empty.parquet.tmp",  # extract.table_catalogue
        settings.archive_dir / "ab" / ("ab" + "0" * 62 + ".tmp"),  # extract.landing.archive
    ]
    kept = [landed, settings.archive_dir / "ab" / ("ab" + "0" * 62), settings.landing_dir / "_ledger" / "x.parquet"]
    for path in leftovers + kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"x" * 1024)
    return leftovers, kept


@pytest.mark.parametrize(
    ("target", "first_step_after_clean_up"),
    [("duckdb", "pipeline.steps.run_dbt"), ("postgres", "pipeline.pg_bluegreen.build_blue_green")],
)
def test_a_build_first_removes_what_a_killed_extraction_left(
    data_dir: Path, monkeypatch, target: str, first_step_after_clean_up: str
) -> None:
    # Nothing reads these files, but a killed national extraction can leave hundreds of MB of them; the build removes
    # them under the exclusive writer lock (no extraction can be writing: it holds the lock shared), on either engine
    # before its first step (DuckDB: dbt into the candidate; PostgreSQL: the landing load of the blue/green build).
    monkeypatch.setenv("CSC_DBT_TARGET", target)
    settings = Settings.from_env()
    leftovers, kept = _plant_killed_extraction_leftovers(settings)
    seen: list[tuple[list[bool], list[bool], int]] = []

    def first_step_stub(*args: object, **kwargs: object) -> object:
        schema_files = sum(empty_table_path(settings.landing_dir, table).is_file() for table in landed_tables())
        seen.append(([path.exists() for path in leftovers], [path.exists() for path in kept], schema_files))
        raise steps.StepFailedError("stop here: only the clean-up before the build is under test")

    monkeypatch.setattr(first_step_after_clean_up, first_step_stub)
    with pytest.raises(steps.StepFailedError, match="stop here"):
        steps.build_warehouse(settings, date(2025, 10, 31))
    # Every leftover gone, every kept file there, and the zero-row schema file of every known table written after
    # the clean-up (so dbt reads an undelivered table as empty).
    assert seen == [([False] * 4, [True] * 3, len(list(landed_tables())))]


def _spill(connection: duckdb.DuckDBPyConnection) -> None:
    """A sort of ~100 MB under a 64 MB limit: DuckDB writes to its temp directory."""
    connection.execute("create table unsorted as select md5(range::varchar) as text from range(1500000)")
    connection.execute("create table sorted as select * from unsorted order by text")


def test_duckdb_refuses_to_set_the_temp_directory_again_once_a_query_spilled(tmp_path: Path) -> None:
    # Why the profile gives the limits at connect (config_options), not as dbt-duckdb `settings` (a SET on every new
    # cursor): after a spill, the next cursor's SET fails, and with it the model that opened it.
    connection = duckdb.connect(str(tmp_path / "w.duckdb"))
    connection.execute(f"set memory_limit = '64MB'; set temp_directory = '{tmp_path / 'spill'}'")
    _spill(connection)
    with pytest.raises(duckdb.NotImplementedException, match="Cannot switch temporary directory"):
        connection.cursor().execute(f"set temp_directory = '{tmp_path / 'spill'}'")
    opened = duckdb.connect(
        str(tmp_path / "c.duckdb"), config={"memory_limit": "64MB", "temp_directory": str(tmp_path / "spill2")}
    )
    _spill(opened)
    assert opened.cursor().execute("select current_setting('temp_directory')").fetchone() == (str(tmp_path / "spill2"),)


def test_the_duckdb_profile_gives_the_limits_when_the_database_is_opened() -> None:
    profile = yaml.safe_load((REPO_ROOT / "dbt_project" / "profiles.yml").read_text())
    duckdb_output = profile["csc_warehouse"]["outputs"]["duckdb"]
    assert set(duckdb_output["config_options"]) == {"memory_limit", "temp_directory"}
    assert not {"memory_limit", "temp_directory"} & set(duckdb_output.get("settings") or {})
