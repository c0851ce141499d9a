"""The PostgreSQL build, blue/green: dbt builds into a second set of schemas, swapped in with one transaction.

    landing                   replaced by extract.postgres_loader (one transaction), read only by the build
    <layer>__next             what `dbt build` writes (CSC_SCHEMA_SUFFIX, macros/generate_schema_name.sql)
    <layer>                   what analysts read: staging, intermediate, marts, publish, restricted, seeds

Only a build in which every model and test passed is swapped in: each live schema is renamed to `<layer>__old`, each
`<layer>__next` to `<layer>`, and the old ones are dropped, all in one transaction, so a reader sees the whole old
warehouse or the whole new one. Views keep pointing at the right tables through the rename (PostgreSQL binds them
by object id). Grants travel with the objects: dbt granted SELECT on the new tables (`grants` config) and USAGE on
the new analyst-facing schemas (on-run-end, only after a build with no failure). A failed build leaves its
`__next` schemas behind, unreadable by analysts, and the next build drops them first.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from datetime import date

import psycopg2
from psycopg2 import errors, sql

from pipeline.dbt_runner import NIGHTLY_BUILD, DbtResult, run_dbt
from pipeline.pg_credentials import postgres_dsn, postgres_env
from pipeline.settings import Settings

LAYER_SCHEMAS: tuple[str, ...] = ("staging", "intermediate", "marts", "publish", "restricted", "seeds")
NEXT_SUFFIX = "__next"
OLD_SUFFIX = "__old"
# How long the swap waits for analysts' running queries on the old schemas before it gives up (the build is then
# reported as failed and the old warehouse stays live).
SWAP_LOCK_TIMEOUT = "120s"


class BlueGreenSwapError(RuntimeError):
    """The build passed but its schemas could not be swapped in; the previous warehouse is still the live one."""


def build_blue_green(
    settings: Settings, as_of: date, before_swap: Callable[[DbtResult], None] | None = None
) -> tuple[DbtResult, dict[str, int]]:
    """Load landing, build into the `__next` schemas, and swap them in when the build passed.

    Returns dbt's result and the landing row counts; the caller turns a failed result into a failed step.
    The caller holds the writer lock. `before_swap(result)` runs just before the swap (the build record says
    "swap pending" from then on, as on DuckDB).
    """
    from extract.postgres_loader import load_landing_to_postgres

    dsn = postgres_dsn()
    loaded = load_landing_to_postgres(settings.landing_dir, dsn)
    ensure_analyst_role(dsn, _analyst_role())
    drop_schemas(dsn, [layer + NEXT_SUFFIX for layer in LAYER_SCHEMAS])
    result = run_dbt(
        list(NIGHTLY_BUILD),
        as_of=as_of,
        target="postgres",
        target_path=settings.work_dir / "dbt_target",
        env_overrides={
            **postgres_env(),
            "CSC_SCHEMA_SUFFIX": NEXT_SUFFIX,
            "CSC_LANDING_DIR": str(settings.landing_dir),
            "CSC_WAREHOUSE_PATH": str(settings.warehouse_path),
        },
    )
    if result.success:
        if before_swap is not None:
            before_swap(result)
        swap_in(dsn)
    return result, loaded


def swap_in(dsn: str) -> list[str]:
    """Rename every `<layer>__next` over `<layer>` and drop the previous schemas, in ONE transaction."""
    connection = psycopg2.connect(dsn)
    try:
        with connection, connection.cursor() as cursor:
            cursor.execute(sql.SQL("set local lock_timeout = {}").format(sql.Literal(SWAP_LOCK_TIMEOUT)))
            present = _schemas(cursor)
            missing = [layer for layer in LAYER_SCHEMAS if layer + NEXT_SUFFIX not in present]
            if missing:
                raise BlueGreenSwapError(f"the build did not create {', '.join(s + NEXT_SUFFIX for s in missing)}")
            for layer in LAYER_SCHEMAS:
                if layer in present:
                    _rename(cursor, layer, layer + OLD_SUFFIX)
                _rename(cursor, layer + NEXT_SUFFIX, layer)
            for layer in LAYER_SCHEMAS:
                if layer in present:
                    cursor.execute(sql.SQL("drop schema {} cascade").format(sql.Identifier(layer + OLD_SUFFIX)))
    except errors.LockNotAvailable as error:
        raise BlueGreenSwapError(f"analysts' queries held the live schemas longer than {SWAP_LOCK_TIMEOUT}") from error
    finally:
        connection.close()
    return list(LAYER_SCHEMAS)


def drop_schemas(dsn: str, schemas: list[str]) -> None:
    """Drop these schemas if they exist (the leftovers of a failed build), in one transaction."""
    connection = psycopg2.connect(dsn)
    try:
        with connection, connection.cursor() as cursor:
            for schema in schemas:
                cursor.execute(sql.SQL("drop schema if exists {} cascade").format(sql.Identifier(schema)))
    finally:
        connection.close()


def ensure_analyst_role(dsn: str, role: str) -> None:
    """Create the group role analysts are granted (NOLOGIN: people log in as themselves and are members of it).

    Roles belong to the server, not the database, so this needs CREATEROLE once; afterwards it does nothing.
    """
    connection = psycopg2.connect(dsn)
    connection.autocommit = True
    try:
        with connection.cursor() as cursor:
            cursor.execute("select 1 from pg_roles where rolname = %s", (role,))
            if cursor.fetchone() is None:
                # Another build on the same server may create it meanwhile.
                with contextlib.suppress(errors.DuplicateObject):
                    cursor.execute(sql.SQL("create role {} nologin").format(sql.Identifier(role)))
    finally:
        connection.close()


def _analyst_role() -> str:
    return os.environ.get("CSC_ANALYST_ROLE", "analyst").strip() or "analyst"


def _schemas(cursor: psycopg2.extensions.cursor) -> set[str]:
    cursor.execute("select nspname from pg_namespace")
    return {row[0] for row in cursor.fetchall()}


def _rename(cursor: psycopg2.extensions.cursor, old: str, new: str) -> None:
    cursor.execute(sql.SQL("alter schema {} rename to {}").format(sql.Identifier(old), sql.Identifier(new)))
