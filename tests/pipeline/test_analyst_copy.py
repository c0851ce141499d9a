"""The analysts' read-only copy: only the marts and publish layers, opened read-only, swapped in atomically after a
good build and left alone by a failed one; the SQL shell and the docs site built with it."""

from __future__ import annotations

import json
import stat
from datetime import date
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from pipeline import cli, steps
from pipeline.analyst_copy import AnalystPaths, open_read_only, publish_analyst_copy
from pipeline.analyst_shell import repl
from pipeline.dbt_runner import DbtResult, run_dbt
from pipeline.settings import Settings

AS_OF = date(2025, 2, 28)

# A warehouse with every layer. Only the two mart relations (the view becomes a table) and the published dataset
# are analyst-facing; landing, staging, intermediate, seeds and the restricted child-level drill-down are not.
WAREHOUSE_SQL = """
    create schema landing; create schema staging; create schema intermediate; create schema seeds;
    create schema marts; create schema publish; create schema restricted;
    create table landing.ssda903_header as select 'E06000039' as la_code, 'A01' as child, date '2015-03-14' as dob;
    create table staging.stg_ssda903__header as select * from landing.ssda903_header;
    create view intermediate.int_children_conformed as select la_code, child from staging.stg_ssda903__header;
    create table seeds.ref_kpi_targets as select 'b08' as kpi_id, 12.0 as target;
    create table marts.fct_placement_indicators as
        select * from (values ('E06000039', 'b08', 28.6), ('E06000039', 'b24', 42.9)) as t(la_code, kpi_id, value);
    create view marts.fct_indicator_count as select count(*) as indicators from marts.fct_placement_indicators;
    create table publish.pub_tsg_dataset as select la_code, kpi_id, value from marts.fct_placement_indicators;
    create table restricted.pub_tsg_detail as select 'E06000039' as la_code, 'b08' as kpi_id, 'k1' as child_key;
"""
ANALYST_TABLES = ["marts.fct_indicator_count", "marts.fct_placement_indicators", "publish.pub_tsg_dataset"]


def _write_warehouse(path: Path, extra_sql: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(path)) as connection:
        connection.execute(WAREHOUSE_SQL + extra_sql)


@pytest.fixture
def built(data_dir: Path) -> Settings:
    """Settings whose warehouse has been built (the hand-made one above)."""
    settings = Settings.from_env()
    _write_warehouse(settings.warehouse_path)
    return settings


def _tables(path: Path) -> list[str]:
    with duckdb.connect(str(path), read_only=True) as connection:
        rows = connection.execute(
            "select table_schema || '.' || table_name, table_type from information_schema.tables order by 1"
        ).fetchall()
    assert {table_type for _, table_type in rows} <= {"BASE TABLE"}  # views were materialised
    return [name for name, _ in rows]


def test_the_copy_holds_only_the_marts_and_publish_layers(built: Settings) -> None:
    result = publish_analyst_copy(built, AS_OF, with_docs=False)
    copy = AnalystPaths.from_settings(built).copy
    assert copy == built.data_dir / "analyst" / "warehouse.duckdb"
    assert result["tables"] == ANALYST_TABLES
    assert _tables(copy) == ANALYST_TABLES
    with duckdb.connect(str(copy), read_only=True) as connection:
        assert connection.execute("select kpi_id, value from publish.pub_tsg_dataset order by 1").fetchall() == [
            ("b08", Decimal("28.6")),
            ("b24", Decimal("42.9")),
        ]
        assert connection.execute("select indicators from marts.fct_indicator_count").fetchone() == (2,)
    # No temporary file or docs folder is left next to it.
    assert sorted(p.name for p in copy.parent.iterdir()) == ["warehouse.duckdb"]


def test_a_write_through_the_copy_fails(built: Settings) -> None:
    publish_analyst_copy(built, AS_OF, with_docs=False)
    paths = AnalystPaths.from_settings(built)
    assert stat.S_IMODE(paths.copy.stat().st_mode) == 0o444
    with open_read_only(paths) as connection:
        for statement in (
            "insert into publish.pub_tsg_dataset values ('E06000039', 'b99', 1.0)",
            "create table marts.scratch (x integer)",
            "delete from marts.fct_placement_indicators",
        ):
            with pytest.raises(duckdb.Error, match="read-only"):
                connection.execute(statement)
    # The shell's one-statement mode reports the same refusal with exit status 1.
    assert cli.main(["sql", "-c", "drop table publish.pub_tsg_dataset"]) == 1
    assert _tables(paths.copy) == ANALYST_TABLES


def _fake_docs(warehouse: Path, docs_dir: Path, as_of: date, settings: Settings) -> None:
    """Stands in for `dbt docs generate` where the docs are not the point (the last test runs the real one)."""
    docs_dir.mkdir(parents=True)
    (docs_dir / "index.html").write_text("docs")


def test_a_failed_build_leaves_the_copy_untouched(built: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("pipeline.analyst_copy.generate_docs", _fake_docs)
    steps.publish_analyst_copy(built, AS_OF)
    paths = AnalystPaths.from_settings(built)
    before = paths.copy.read_bytes()
    failed = DbtResult(success=False, statuses={"error": 1}, failures=["model.x: boom"], log_tail="")
    monkeypatch.setattr(steps, "run_dbt", lambda *args, **kwargs: failed)
    with pytest.raises(steps.StepFailedError, match="boom"):
        cli._build(None, built, AS_OF)  # build then copy, as the CLI and the DAG chain them
    assert paths.copy.read_bytes() == before
    # A warehouse without the published dataset is refused too, and the copy stays as it was.
    built.warehouse_path.unlink()
    _write_warehouse(built.warehouse_path, "drop table publish.pub_tsg_dataset;")
    with pytest.raises(steps.StepFailedError, match=r"no publish\.pub_tsg_dataset.*previous analyst copy is unchanged"):
        steps.publish_analyst_copy(built, AS_OF)
    assert paths.copy.read_bytes() == before
    assert sorted(p.name for p in paths.copy.parent.iterdir() if not p.name.startswith("docs")) == ["warehouse.duckdb"]
    assert (paths.docs_link / "index.html").read_text() == "docs"


def test_a_session_on_the_old_copy_keeps_reading_it_while_the_new_one_is_swapped_in(built: Settings) -> None:
    publish_analyst_copy(built, AS_OF, with_docs=False)
    paths = AnalystPaths.from_settings(built)
    with open_read_only(paths) as analyst:
        # The next build changes a figure (b08 28.6 -> 30.0) and the new copy is swapped in under the open session.
        with duckdb.connect(str(built.warehouse_path)) as writer:
            writer.execute("update publish.pub_tsg_dataset set value = 30.0 where kpi_id = 'b08'")
        publish_analyst_copy(built, AS_OF, with_docs=False)
        query = "select value from publish.pub_tsg_dataset where kpi_id = 'b08'"
        assert analyst.execute(query).fetchone()[0] == Decimal("28.6")
    with open_read_only(paths) as fresh:
        assert fresh.execute(query).fetchone()[0] == Decimal("30.0")


def test_the_sql_shell_runs_statements_on_the_copy(built: Settings, capsys: pytest.CaptureFixture[str]) -> None:
    publish_analyst_copy(built, AS_OF, with_docs=False)
    assert cli.main(["sql", "-c", "select count(*) as n from publish.pub_tsg_dataset"]) == 0
    out = capsys.readouterr().out
    assert out.split() == ["┌───────┐", "│", "n", "│", "│", "int64", "│", "├───────┤", "│", "2", "│", "└───────┘"]
    # A staging table is not in the copy, whatever the analyst tries.
    assert cli.main(["sql", "-c", "select * from staging.stg_ssda903__header"]) == 1
    assert "does not exist" in capsys.readouterr().out
    # The interactive loop: statements may span lines; an error does not end the session.
    import io

    output = io.StringIO()
    script = "select kpi_id\nfrom publish.pub_tsg_dataset\norder by 1;\nselect nope;\n.tables\n.quit\nselect 1;\n"
    with open_read_only(AnalystPaths.from_settings(built)) as connection:
        assert repl(connection, io.StringIO(script), output, interactive=False) == 0
    text = output.getvalue()
    assert "b08" in text and "b24" in text and "Error:" in text and "fct_placement_indicators" in text


def test_no_copy_yet_is_a_clear_message(data_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["sql", "-c", "select 1"]) == 1
    assert "no analyst copy" in capsys.readouterr().err


@pytest.mark.dbt
def test_the_docs_site_is_generated_with_the_copy_and_describes_what_it_holds(
    built: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The nightly build leaves its manifest in work/dbt_target, compiled SQL included; `dbt compile` of one mart
    # writes the same kind of file here. Its compiled SQL holds the pseudonymisation key: the docs must not.
    canary = "key-canary-7f3a9c"
    monkeypatch.setenv("CSC_PSEUDONYM_KEY", canary)
    compiled = run_dbt(
        ["compile", "--select", "fct_contact_decisions"],
        as_of=AS_OF,
        target="duckdb",
        target_path=built.work_dir / "dbt_target",
        env_overrides={"CSC_WAREHOUSE_PATH": str(built.work_dir / "compile.duckdb")},
    )
    assert compiled.success, compiled.log_tail
    assert canary in (built.work_dir / "dbt_target" / "manifest.json").read_text()
    result = publish_analyst_copy(built, AS_OF)
    site = Path(result["docs"])
    assert site.is_symlink() and (site / "index.html").exists() and (site / "static_index.html").exists()
    catalog = json.loads((site / "catalog.json").read_text())
    # The catalog is read from the copy: exactly its tables that are dbt models (the hand-made view is not one).
    assert sorted(catalog["nodes"]) == [
        "model.csc_warehouse.fct_placement_indicators",
        "model.csc_warehouse.pub_tsg_dataset",
    ]
    manifest = json.loads((site / "manifest.json").read_text())
    assert "tsg dashboard dataset" in manifest["nodes"]["model.csc_warehouse.pub_tsg_dataset"]["description"].lower()
    assert not (site / "logs").exists() and not (site / "run_results.json").exists()
    assert [p.name for p in site.resolve().rglob("*") if p.is_file() and canary in p.read_text()] == []

    # The next night, same project and same tables: the site is kept, not generated again.
    first = site.resolve()

    def must_not_run(*args: object) -> None:
        raise AssertionError("the docs were generated again although nothing they show changed")

    monkeypatch.setattr("pipeline.analyst_copy.generate_docs", must_not_run)
    publish_analyst_copy(built, AS_OF)
    assert site.resolve() == first and (site / "index.html").exists()
    # A new column in a mart changes what the docs show: a new site replaces the old one, which is removed.
    with duckdb.connect(str(built.warehouse_path)) as writer:
        writer.execute("alter table marts.fct_placement_indicators add column unit varchar")
    monkeypatch.setattr("pipeline.analyst_copy.generate_docs", _fake_docs)
    publish_analyst_copy(built, AS_OF)
    folders = sorted(p.name for p in site.parent.glob("docs.*"))
    assert len(folders) == 1 and site.resolve().name == folders[0] and not first.exists()
    assert (site / "index.html").read_text() == "docs"
    assert cli.main(["docs"]) == 0
