"""PostgreSQL credentials: from the environment, or from an Airflow connection; never from the repository.

dbt's profile (dbt_project/profiles.yml) and the landing loader both read CSC_PG_HOST, CSC_PG_PORT, CSC_PG_USER,
CSC_PG_PASSWORD and CSC_PG_DATABASE. When CSC_PG_CONN_ID names an Airflow connection (defined in Airflow's
metadata database, a secrets backend, or an `AIRFLOW_CONN_<ID>` variable), its host, port, login, password and
schema (the database) are used instead and handed to dbt's process as those variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from psycopg2.extensions import make_dsn

_DEFAULTS = {
    "CSC_PG_HOST": "127.0.0.1",
    "CSC_PG_PORT": "55432",
    "CSC_PG_USER": "postgres",
    "CSC_PG_PASSWORD": "",
    "CSC_PG_DATABASE": "csc",
}


def postgres_env(environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The CSC_PG_* variables for dbt and the loader: the Airflow connection CSC_PG_CONN_ID if set, else the
    environment (defaults for the local throwaway server)."""
    environ = os.environ if environ is None else environ
    conn_id = environ.get("CSC_PG_CONN_ID", "").strip()
    if conn_id:
        return _from_airflow_connection(conn_id)
    return {name: environ.get(name, default) for name, default in _DEFAULTS.items()}


def postgres_dsn(environ: Mapping[str, str] | None = None) -> str:
    """A libpq connection string for the same credentials (an empty password is left out, not written empty)."""
    settings = postgres_env(environ)
    parts = {
        "host": settings["CSC_PG_HOST"],
        "port": settings["CSC_PG_PORT"],
        "user": settings["CSC_PG_USER"],
        "password": settings["CSC_PG_PASSWORD"],
        "dbname": settings["CSC_PG_DATABASE"],
    }
    return make_dsn(**{key: value for key, value in parts.items() if value})


def _from_airflow_connection(conn_id: str) -> dict[str, str]:
    from airflow.sdk import BaseHook  # only where Airflow runs the pipeline

    connection = BaseHook.get_connection(conn_id)
    return {
        "CSC_PG_HOST": connection.host or _DEFAULTS["CSC_PG_HOST"],
        "CSC_PG_PORT": str(connection.port or 5432),
        "CSC_PG_USER": connection.login or "",
        "CSC_PG_PASSWORD": connection.password or "",
        "CSC_PG_DATABASE": connection.schema or _DEFAULTS["CSC_PG_DATABASE"],
    }
