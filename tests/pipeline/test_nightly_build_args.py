"""What the nightly build asks dbt to do (docs/benchmarks.md, "Nightly build CPU"): every model and data test, the
first failure stopping the build, no dbt unit tests (CI runs those), and dbt's file log without its debug lines."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from pipeline import dbt_runner, steps
from pipeline.dbt_runner import DbtResult
from pipeline.settings import Settings

OCTOBER = date(2026, 10, 31)


def test_the_nightly_build_runs_every_data_test_but_no_unit_test(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    commands: list[list[str]] = []

    def fake_dbt(command: list[str], *, env_overrides: dict[str, str], **_: object) -> DbtResult:
        commands.append(command)
        Path(env_overrides["CSC_WAREHOUSE_PATH"]).write_text("built")
        return DbtResult(success=True, statuses={"success": 1}, failures=[], log_tail="")

    monkeypatch.setattr(steps, "run_dbt", fake_dbt)
    monkeypatch.setattr(steps, "_ensure_landing_tables", lambda settings: None)
    steps.build_warehouse(Settings.from_env(), OCTOBER)
    # `build` with no --select: every seed, model and data test. Only the unit_test resource type is excluded.
    assert commands == [["build", "--fail-fast", "--exclude", "resource_type:unit_test"]]


def test_dbt_is_asked_for_an_info_level_file_log(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[list[str]] = []

    def fake_run(args: list[str], **_: object) -> subprocess.CompletedProcess:
        seen.append(args)
        return subprocess.CompletedProcess(args, 0, stdout="", stderr="")

    monkeypatch.setattr(dbt_runner.subprocess, "run", fake_run)
    result = dbt_runner.run_dbt(["build"], as_of=OCTOBER, target="duckdb", target_path=tmp_path, env_overrides={})
    args = seen[0]
    assert result.success
    assert args[args.index("--log-level-file") + 1] == "info"
    assert args[args.index("--log-path") + 1] == str(tmp_path / "logs")
