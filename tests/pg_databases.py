"""Throwaway PostgreSQL databases for the tests that build on the local test server (scripts/pg.sh)."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from psycopg2.extensions import make_dsn

from extract.postgres_loader import postgres_dsn_from_env


@contextmanager
def throwaway_database(prefix: str) -> Iterator[str]:
    """Create a database named `<prefix>_<random>`, yield its name, drop it afterwards (even with sessions open).

    Skips when CSC_SKIP_POSTGRES=1; fails, never skips, when the server is not reachable: a skipped engine would hide
    SQL that is not portable."""
    if os.environ.get("CSC_SKIP_POSTGRES") == "1":
        pytest.skip("CSC_SKIP_POSTGRES=1")
    import psycopg2

    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    try:
        admin = psycopg2.connect(make_dsn(postgres_dsn_from_env(), dbname="postgres"))
    except psycopg2.OperationalError as error:
        pytest.fail(f"PostgreSQL is not reachable ({error}); start it with `scripts/pg.sh start`")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'create database "{name}"')
    try:
        yield name
    finally:
        with admin.cursor() as cursor:
            cursor.execute(f'drop database if exists "{name}" with (force)')
        admin.close()
