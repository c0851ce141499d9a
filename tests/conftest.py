"""Shared fixtures: every test gets its own folders, so nothing touches the repository's data/."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")
os.environ.setdefault("TQDM_DISABLE", "1")
os.environ.setdefault("DBT_SEND_ANONYMOUS_USAGE_STATS", "false")
# Airflow reads its configuration when first imported: point it at a throwaway home before any test imports it.
os.environ["AIRFLOW_HOME"] = tempfile.mkdtemp(prefix="csc-airflow-home-")
os.environ["AIRFLOW__CORE__LOAD_EXAMPLES"] = "False"
os.environ["AIRFLOW__CORE__DAGS_FOLDER"] = str(Path(__file__).resolve().parent.parent / "dags")


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private CSC_DATA_DIR for the test, with every derived folder under it."""
    root = tmp_path / "data"
    monkeypatch.setenv("CSC_DATA_DIR", str(root))
    for name in (
        "CSC_INBOUND_DIR",
        "CSC_LANDING_DIR",
        "CSC_ARCHIVE_DIR",
        "CSC_WAREHOUSE_PATH",
        "CSC_WORK_DIR",
        "CSC_PUBLISH_DIR",
        "CSC_DBT_TARGET",
    ):
        monkeypatch.delenv(name, raising=False)
    return root
