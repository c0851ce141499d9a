"""PostgreSQL credentials come from the environment or an Airflow connection, never from the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.pg_credentials import postgres_dsn, postgres_env


def test_credentials_come_from_an_airflow_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_CSC_WAREHOUSE_PG", "postgresql://wh_user:s%40cret@db.example:6543/warehouse")
    monkeypatch.setenv("CSC_PG_CONN_ID", "csc_warehouse_pg")
    monkeypatch.setenv("CSC_PG_HOST", "ignored.example")
    assert postgres_env() == {
        "CSC_PG_HOST": "db.example",
        "CSC_PG_PORT": "6543",
        "CSC_PG_USER": "wh_user",
        "CSC_PG_PASSWORD": "s@cret",
        "CSC_PG_DATABASE": "warehouse",
    }
    assert postgres_dsn() == "host=db.example port=6543 user=wh_user password=s@cret dbname=warehouse"
    monkeypatch.delenv("CSC_PG_CONN_ID")
    assert postgres_env()["CSC_PG_HOST"] == "ignored.example"


def test_the_profile_holds_no_secret() -> None:
    profile = (Path(__file__).resolve().parents[2] / "dbt_project" / "profiles.yml").read_text()
    assert "password: \"{{ env_var('CSC_PG_PASSWORD', '') }}\"" in profile
