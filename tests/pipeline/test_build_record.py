"""The build record around the warehouse swap: a run killed between the two never leaves a record that vouches for
the wrong warehouse (docs/operations.md, "A run killed half-way")."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from pipeline import steps
from pipeline.dbt_runner import DbtResult
from pipeline.settings import Settings

OCTOBER = date(2026, 10, 31)


class _Killed(Exception):
    """Stands in for the SIGKILL a crash point sends (the test process must survive it)."""


@pytest.fixture
def settings(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A data folder whose dbt build is faked: it writes a candidate file naming the month and passes."""

    def fake_dbt(command: list[str], *, as_of: date, env_overrides: dict[str, str], **_: object) -> DbtResult:
        Path(env_overrides["CSC_WAREHOUSE_PATH"]).write_text(f"built for {as_of}")
        return DbtResult(success=True, statuses={"success": 1}, failures=[], log_tail="")

    monkeypatch.setattr(steps, "run_dbt", fake_dbt)
    monkeypatch.setattr(steps, "_ensure_landing_tables", lambda settings: None)
    return Settings.from_env()


def _record(settings: Settings) -> dict:
    return json.loads((settings.work_dir / steps.BUILD_RECORD).read_text())


def test_the_record_says_swap_pending_until_the_swap_is_done(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    def crash_after_swap(point: str) -> None:
        if point == "build.swapped":
            raise _Killed

    monkeypatch.setattr(steps, "crashpoint", crash_after_swap)
    with pytest.raises(_Killed):
        steps.build_warehouse(settings, OCTOBER)
    # Killed right after the rename: the new warehouse is in place, and its record does not vouch for it yet.
    assert settings.warehouse_path.read_text() == "built for 2026-10-31"
    assert _record(settings) == {
        "as_of": "2026-10-31",
        "dbt": {"success": True, "results_by_status": {"success": 1}},
        "swap_pending": True,
    }

    monkeypatch.setattr(steps, "crashpoint", lambda point: None)
    steps.build_warehouse(settings, OCTOBER)
    assert _record(settings) == {"as_of": "2026-10-31", "dbt": {"success": True, "results_by_status": {"success": 1}}}
    assert not list(settings.work_dir.glob(".*.tmp"))  # the record is written by rename


def test_a_pending_swap_is_rebuilt_and_never_published(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    record = settings.work_dir / steps.BUILD_RECORD
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"as_of": "2026-10-31", "dbt": {"success": True}, "swap_pending": True}))
    settings.warehouse_path.write_text("unknown")

    with pytest.raises(steps.StepFailedError) as refused:
        steps.publish_month(settings, OCTOBER, "E06000039")
    assert str(refused.value) == (
        "the build for 2026-10-31 was interrupted while its warehouse was being swapped in: run the build again. "
        "Nothing was published."
    )
    assert not settings.publish_dir.exists()

    builds = []
    monkeypatch.setattr(steps, "build_warehouse", lambda s, as_of: builds.append(as_of) or {"as_of": str(as_of)})
    steps.ensure_warehouse(settings, OCTOBER)  # the monthly DAG: same month, but the record cannot be trusted
    assert builds == [OCTOBER]


@pytest.fixture
def postgres_settings(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """The PostgreSQL target with the database steps faked: the build passes and the swap is what each test says."""
    from pipeline import pg_bluegreen

    monkeypatch.setenv("CSC_DBT_TARGET", "postgres")
    monkeypatch.setattr(steps, "_ensure_landing_tables", lambda settings: None)
    monkeypatch.setattr(pg_bluegreen, "postgres_dsn", lambda: "dbname=none")
    monkeypatch.setattr("extract.postgres_loader.load_landing_to_postgres", lambda landing, dsn: {"episodes": 1})
    monkeypatch.setattr(pg_bluegreen, "ensure_analyst_role", lambda dsn, role: None)
    monkeypatch.setattr(pg_bluegreen, "drop_schemas", lambda dsn, schemas: None)
    monkeypatch.setattr(
        pg_bluegreen,
        "run_dbt",
        lambda *a, **k: DbtResult(success=True, statuses={"success": 1}, failures=[], log_tail=""),
    )
    settings = Settings.from_env()
    assert settings.dbt_target == "postgres"
    return settings


def _september_record(settings: Settings) -> dict:
    september = {"as_of": "2026-09-30", "dbt": {"success": True, "results_by_status": {"success": 1}}}
    record = settings.work_dir / steps.BUILD_RECORD
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps(september))
    return september


def test_on_postgres_the_record_says_swap_pending_while_the_schemas_are_swapped(
    postgres_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import pg_bluegreen

    _september_record(postgres_settings)

    def killed_in_the_swap(dsn: str) -> list[str]:
        raise _Killed  # the transaction may or may not have committed: nobody can tell which schemas are live

    monkeypatch.setattr(pg_bluegreen, "swap_in", killed_in_the_swap)
    with pytest.raises(_Killed):
        steps.build_warehouse(postgres_settings, OCTOBER)
    assert _record(postgres_settings) == {
        "as_of": "2026-10-31",
        "dbt": {"success": True, "results_by_status": {"success": 1}},
        "swap_pending": True,
    }
    with pytest.raises(steps.StepFailedError, match="interrupted while its warehouse was being swapped in"):
        steps.publish_month(postgres_settings, OCTOBER, "E06000039")

    monkeypatch.setattr(pg_bluegreen, "swap_in", lambda dsn: ["marts"])
    steps.build_warehouse(postgres_settings, OCTOBER)
    assert _record(postgres_settings) == {
        "as_of": "2026-10-31",
        "dbt": {"success": True, "results_by_status": {"success": 1}},
    }


def test_on_postgres_a_swap_that_rolls_back_keeps_the_live_builds_record(
    postgres_settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from pipeline import pg_bluegreen

    september = _september_record(postgres_settings)

    def refused(dsn: str) -> list[str]:
        raise pg_bluegreen.BlueGreenSwapError("an analyst query held a lock past the timeout")

    monkeypatch.setattr(pg_bluegreen, "swap_in", refused)
    with pytest.raises(steps.StepFailedError, match="the previous warehouse is still the live one"):
        steps.build_warehouse(postgres_settings, OCTOBER)
    assert _record(postgres_settings) == september  # September's schemas are still live, and so is its record
