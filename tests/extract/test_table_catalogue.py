"""The zero-row schema files that let dbt read a table nobody delivered (extract/table_catalogue.py)."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pyarrow.parquet as pq

from extract.table_catalogue import empty_table_path, landed_tables, write_empty_tables
from tests.helpers import tree_snapshot


def test_every_family_has_tables_and_names_are_unique() -> None:
    tables = list(landed_tables())
    families = {table.family for table in tables}
    assert {"ssda903", "cin", "ssd", "local", "hr", "fin", "ref"} <= families
    names = [table.postgres_name for table in tables]
    assert len(names) == len(set(names))
    # Spot checks against the landing contract (docs/architecture.md "Landing").
    by_name = {table.postgres_name: table for table in tables}
    assert by_name["ssda903_episodes"].schema.field("decom").type == "date32[day]"
    assert "cin_details_key" in by_name["cin_episode"].schema.names
    assert {"cont_contact_id", "la_code", "load_id", "source_row"} <= set(by_name["ssd_contacts"].schema.names)


def test_an_undelivered_table_reads_as_zero_rows_with_its_columns(tmp_path: Path) -> None:
    written = write_empty_tables(tmp_path)
    assert written == len(list(landed_tables()))
    glob = f"{tmp_path}/ssd/contacts/*/*.parquet"
    relation = duckdb.sql(f"select * from read_parquet('{glob}', union_by_name = true)")
    assert relation.fetchall() == []
    assert "local_decision_datetime" in relation.columns


def test_rewriting_is_idempotent_and_repairs_a_stale_schema(tmp_path: Path) -> None:
    write_empty_tables(tmp_path)
    before = tree_snapshot(tmp_path)
    assert write_empty_tables(tmp_path) == 0
    assert tree_snapshot(tmp_path) == before
    # A schema file from an older version of a table (one column only) is replaced by the current schema.
    table = next(table for table in landed_tables() if table.postgres_name == "hr_post")
    stale = empty_table_path(tmp_path, table)
    pq.write_table(table.schema.empty_table().select([0]), stale)
    assert write_empty_tables(tmp_path) == 1
    assert pq.read_schema(stale).equals(table.schema, check_metadata=False)
