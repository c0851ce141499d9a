"""`extract.postgres_loader` loads every landed family and table into schema `landing` as `<family>_<table>`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from psycopg2.extensions import make_dsn

from extract import extract_all
from extract.postgres_loader import load_landing_to_postgres, postgres_dsn_from_env
from tests.extract.builders import deliver, episodes_csv
from tests.extract.family_builders import cin_child, cin_xml, deliver_to
from tests.pg_databases import throwaway_database


@pytest.fixture
def database() -> Iterator[str]:
    """The DSN of a throwaway database on the test PostgreSQL server (tests/pg_databases.py)."""
    with throwaway_database("csc_extract") as name:
        yield make_dsn(postgres_dsn_from_env(), dbname=name)


@pytest.mark.postgres
def test_every_family_loads_as_family_table_with_its_types(tmp_path: Path, database: str) -> None:
    import psycopg2

    inbound = tmp_path / "inbound"
    deliver(inbound, "episodes.csv", episodes_csv(good=3))
    deliver_to(inbound, "cin", "cin.xml", cin_xml(cin_child("C001"), cin_child("C002")))
    deliver_to(
        inbound, "ssd", "ssd_contacts.csv", "cont_contact_id,cont_person_id,cont_contact_date\nK1,C1,2025-10-01\n"
    )
    post = (
        "post_id,funded_from,cost_centre,job_family,frontline_case_holding,budgeted_fte\nP1,2024-04-01,M32B,QSW,Y,0.5\n"
    )
    deliver_to(inbound, "hr", "hr_post.csv", post)
    outcomes = extract_all(inbound, tmp_path / "landing", tmp_path / "archive", date(2025, 10, 31))
    assert [outcome.outcome for outcome in outcomes] == ["landed"] * 4

    counts = load_landing_to_postgres(tmp_path / "landing", database)
    assert {name: count for name, count in counts.items() if count} == {
        "ssda903_episodes": 3,
        "load_ledger": 4,
        "cin_child": 2,
        "cin_episode": 2,
        "hr_post": 1,
        "ssd_contacts": 1,
    }
    assert counts["ssda903_header"] == 0 and counts["cin_cp_plan"] == 0  # landed empty tables exist too
    with psycopg2.connect(database) as connection, connection.cursor() as cursor:
        cursor.execute("set time zone 'UTC'")
        cursor.execute("select cont_contact_date from landing.ssd_contacts")
        assert cursor.fetchall() == [(datetime(2025, 9, 30, 23, 0, tzinfo=UTC),)]  # midnight London, in UTC
        cursor.execute("select budgeted_fte, frontline_case_holding from landing.hr_post")
        assert cursor.fetchall() == [(Decimal("0.50"), True)]
        cursor.execute("select cin_details_key, referralnfa from landing.cin_episode order by 1")
        assert cursor.fetchall() == [("E06000039|C001|2025-05-01|1", False), ("E06000039|C002|2025-05-01|1", False)]
        cursor.execute(
            "select data_type from information_schema.columns "
            "where table_schema = 'landing' and table_name = 'hr_post' and column_name = 'budgeted_fte'"
        )
        assert cursor.fetchall() == [("numeric",)]
