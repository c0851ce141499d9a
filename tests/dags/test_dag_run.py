"""One end-to-end run of both DAGs under real Airflow (metadata DB migrated, `airflow dags test`)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.settings import REPO_ROOT
from synth import generate_organisation

pytestmark = [pytest.mark.airflow, pytest.mark.dbt, pytest.mark.xdist_group("e2e_airflow")]

AIRFLOW = str(Path(sys.executable).parent / "airflow")


def _airflow(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([AIRFLOW, *args], env=env, capture_output=True, text=True, timeout=600, cwd=REPO_ROOT)


def test_nightly_then_monthly_dag_publish_the_month(tmp_path: Path) -> None:
    from datetime import date

    data_dir = tmp_path / "data"
    generate_organisation(data_dir / "inbound", "E06000039", date(2026, 10, 31), seed=11, months=1, history_years=2)
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__DAGS_FOLDER": str(REPO_ROOT / "dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "CSC_DATA_DIR": str(data_dir),
    }
    assert _airflow(["db", "migrate"], env).returncode == 0
    assert _airflow(["pools", "set", "csc_warehouse_writer", "1", "single writer"], env).returncode == 0

    for dag_id in ("csc_nightly_load", "csc_monthly_publication"):
        completed = _airflow(["dags", "test", dag_id, "2026-11-16"], env)
        assert completed.returncode == 0, completed.stdout[-3000:] + completed.stderr[-3000:]
        runs = _airflow(["dags", "list-runs", dag_id, "-o", "json"], env)
        # The JSON is the last line: Airflow may print warnings (e.g. about graphviz) before it.
        states = [run["state"] for run in json.loads(runs.stdout.strip().splitlines()[-1])]
        assert states == ["success"], (dag_id, states)

    # The nightly run left the analysts' read-only copy and its docs site (pipeline/analyst_copy.py).
    assert (data_dir / "analyst" / "warehouse.duckdb").exists()
    assert (data_dir / "analyst" / "docs" / "index.html").exists()
    public = data_dir / "published" / "E06000039" / "2026-10"
    assert (public / "tsg_dataset.csv").exists()
    assert (public / "manifest.json").exists()
