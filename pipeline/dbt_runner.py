"""Run dbt as one subprocess: the single writer of the warehouse.

dbt must never outlive the run that started it: a run killed with SIGKILL (OOM killer, a lost Airflow worker) would
otherwise leave dbt writing the candidate warehouse while the next run builds into the same path. So dbt inherits
the writer lock (`pipeline.lock.held_lock_fds`: nobody else can take it while dbt lives) and, on Linux, is killed by
the kernel when its parent dies (`PR_SET_PDEATHSIG`).
"""

from __future__ import annotations

import ctypes
import json
import os
import signal
import subprocess
import sys
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from pipeline.lock import held_lock_fds
from pipeline.settings import DBT_PROJECT_DIR

_PR_SET_PDEATHSIG = 1  # linux/prctl.h

# The nightly build (DuckDB candidate and PostgreSQL `__next` schemas): every seed, model, snapshot and data test,
# stopping at the first failure. dbt unit tests are left out: they check the SQL logic of a model against fixed
# fixture rows, never the night's data, so their result only changes with the code, and CI runs them
# (tests/dbt/test_dbt_build.py builds with them and asserts they passed). They cost about a quarter of the build's
# CPU (docs/benchmarks.md, "Nightly build CPU").
NIGHTLY_BUILD: tuple[str, ...] = ("build", "--fail-fast", "--exclude", "resource_type:unit_test")

# dbt's file log (target/logs/dbt.log) at `info`: the node start/pass/fail lines and errors, without the `debug`
# lines (every statement sent and every connection opened), which cost several CPU seconds and ~30 MB a night. A
# failing node's compiled SQL stays under target/run/ and its message in run_results.json.
FILE_LOG_LEVEL = "info"

# The per-model `columns_not_null` test (macros/tests/generic_tests.sql) replaced one `not_null` test per column, whose
# name said which column held nulls. When one fails, its rows (column_name, null_rows: column names and counts, never
# a child's data) are read back with `dbt show` and added to the failure, so the report still names the column.
NULL_COLUMNS_TEST = ".columns_not_null_"
SHOWN_FAILED_TESTS = 3


@dataclass(frozen=True)
class DbtResult:
    """What a dbt invocation did: its exit status and the count of node results by status."""

    success: bool
    statuses: dict[str, int]
    failures: list[str]
    log_tail: str

    def summary(self) -> dict:
        return {"success": self.success, "results_by_status": dict(sorted(self.statuses.items()))}


def dbt_executable() -> str:
    """The dbt of the environment running this code, so the pinned version is always the one used."""
    candidate = Path(sys.executable).parent / "dbt"
    return str(candidate) if candidate.exists() else "dbt"


def run_dbt(
    command: list[str],
    *,
    as_of: date,
    target: str,
    target_path: Path,
    env_overrides: dict[str, str],
    project_dir: Path = DBT_PROJECT_DIR,
) -> DbtResult:
    """Run `dbt <command>` with the reporting date as a var; results are read back from run_results.json."""
    target_path.mkdir(parents=True, exist_ok=True)
    (target_path / "run_results.json").unlink(missing_ok=True)  # never report a previous run's results
    options = [
        "--project-dir",
        str(project_dir),
        "--profiles-dir",
        str(project_dir),
        "--target",
        target,
        "--target-path",
        str(target_path),
        "--log-path",
        str(target_path / "logs"),
        "--log-level-file",
        FILE_LOG_LEVEL,
        "--vars",
        json.dumps({"as_of": as_of.isoformat()}),
    ]
    env = {**os.environ, "DBT_SEND_ANONYMOUS_USAGE_STATS": "false", **env_overrides}
    completed = subprocess.run(
        [dbt_executable(), *command, *options],
        cwd=project_dir,
        env=env,
        capture_output=True,
        text=True,
        pass_fds=held_lock_fds(),
        preexec_fn=_dies_with_parent(),
    )
    statuses, failures = _read_run_results(target_path / "run_results.json")
    if completed.returncode != 0:
        failures = _with_null_columns(failures, target_path, options, env, project_dir)
    output = (completed.stdout + completed.stderr).strip().splitlines()
    return DbtResult(
        success=completed.returncode == 0,
        statuses=statuses,
        failures=failures,
        log_tail="\n".join(output[-40:]),
    )


def _dies_with_parent() -> Callable[[], None] | None:
    """A `preexec_fn` that asks the kernel to SIGKILL the child when this process dies (Linux; elsewhere None)."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork: the child only calls it
    parent = os.getpid()

    def preexec() -> None:
        prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # the parent died before prctl: nobody would ever kill this child
            os._exit(1)

    return preexec


def _read_run_results(path: Path) -> tuple[dict[str, int], list[str]]:
    if not path.exists():
        return {}, []
    results = json.loads(path.read_text(encoding="utf-8")).get("results", [])
    statuses = Counter(str(result.get("status")) for result in results)
    failures = [
        f"{result.get('unique_id')}: {result.get('message')}"
        for result in results
        if result.get("status") in {"error", "fail"}
    ]
    return dict(statuses), failures


def _with_null_columns(
    failures: list[str], target_path: Path, options: list[str], env: dict[str, str], project_dir: Path
) -> list[str]:
    """Each failed `columns_not_null` test's failure, followed by the columns holding nulls and their null rows.

    Only on a failed run, for at most SHOWN_FAILED_TESTS tests: each costs a `dbt show` (a few seconds). The build's
    run_results.json and manifest.json are put back afterwards, so the target folder still describes the build.
    Any problem reading the rows leaves the failure as dbt reported it."""
    results_path = target_path / "run_results.json"
    failed = [f.split(": ", 1)[0] for f in failures if NULL_COLUMNS_TEST in f.split(": ", 1)[0]]
    if not failed or not results_path.exists():
        return failures
    compiled = {
        result["unique_id"]: result.get("compiled_code")
        for result in json.loads(results_path.read_text(encoding="utf-8")).get("results", [])
        if result.get("unique_id") in failed[:SHOWN_FAILED_TESTS] and result.get("compiled_code")
    }
    kept = {
        name: (target_path / name).read_bytes()
        for name in ("run_results.json", "manifest.json")
        if (target_path / name).exists()
    }
    detail: dict[str, str] = {}
    try:
        for unique_id, sql in compiled.items():
            rows = _show_rows(sql, options, env, project_dir)
            if rows:
                detail[unique_id] = "null rows by column: " + ", ".join(
                    f"{row['column_name']} {row['null_rows']}" for row in sorted(rows, key=lambda r: r["column_name"])
                )
    finally:
        for name, data in kept.items():
            (target_path / name).write_bytes(data)
    return [
        f"{failure} ({detail[failure.split(': ', 1)[0]]})" if failure.split(": ", 1)[0] in detail else failure
        for failure in failures
    ]


def _show_rows(sql: str, options: list[str], env: dict[str, str], project_dir: Path) -> list[dict]:
    """The rows of `sql` as `dbt show --inline` returns them (at most 100); [] when dbt could not run it."""
    args = [dbt_executable(), "show", "--inline", sql, "--limit", "100", "--output", "json", "--log-format", "json"]
    try:
        completed = subprocess.run(
            [*args, *options],
            cwd=project_dir,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            pass_fds=held_lock_fds(),
            preexec_fn=_dies_with_parent(),
        )
    except subprocess.TimeoutExpired:
        return []
    for line in completed.stdout.splitlines():
        try:
            event = json.loads(line)
        except ValueError:
            continue
        if event.get("info", {}).get("name") == "ShowNode":
            return list(json.loads(event["data"]["preview"]))
    return []
