"""Publication of a warehouse holding several organisations: each on its own gate, then the comparison.

A hand-made warehouse (the three published models only, as `publish/` reads them) holds three organisations'
good candidates (tests/publish/candidate.py: every % indicator 45 / 50 = 90.0, every count 3) and the comparison
across them. Decided in docs/publication.md: one organisation failing its gate publishes nothing for it and keeps
its previous publication, the others are still published, the command fails, and the comparison is not
published (nor its previous month's release changed) until every organisation passes.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import steps
from pipeline.cli import main
from pipeline.settings import Settings
from publish.comparison import comparison_csv, withhold_small_counts
from tests.helpers import tree_snapshot
from tests.publish.candidate import (
    AS_OF,
    DATASET_SCHEMA,
    RECONCILIATIONS_SCHEMA,
    SERIES_COLUMNS,
    SERIES_SCHEMA,
    good_reconciliations,
    good_rows,
)

LA_A, LA_B, LA_C = "E06000039", "E06000040", "E09000001"
MONTH = "2026-10"
BROKEN_KPI = "b08_cla_3plus_placements_12m"
COMPARISON_COLUMNS = (
    "la_code varchar, kpi_id varchar, kpi_name varchar, definition_version varchar, period_end date, unit varchar, "
    "direction varchar, numerator integer, denominator integer, value decimal(18, 1), low_n_flag boolean, "
    "rag_state varchar, organisations_compared integer, organisation_rank integer, organisation_quartile integer, "
    "neighbours_listed integer, neighbours_with_figure integer, neighbour_average decimal(18, 1), "
    "neighbour_smallest_count integer"
)


def _comparison_rows(dataset: list[dict]) -> list[tuple]:
    """The comparison of identical organisations: every figure ties, so every ranked indicator is rank 1 of 3
    (no quartile among fewer than 4); no statistical neighbours."""
    return [
        (
            *(row[c] for c in ("la_code", "kpi_id", "kpi_name", "definition_version", "period_end", "unit")),
            *(row[c] for c in ("direction", "numerator", "denominator", "value", "low_n_flag", "rag_state")),
            3,
            1 if row["direction"] in ("H", "L") else None,
            None,
            0,
            0,
            None,
            None,
        )
        for row in dataset
    ]


def _write_warehouse(settings: Settings, broken: set[str] = frozenset()) -> None:
    """The warehouse as the build leaves it for `AS_OF`, with `broken` organisations' b08 numerator above its
    denominator (the §5.8-1 gate fails for them)."""
    dataset, series, reconciliations = [], [], []
    for la_code in (LA_A, LA_B, LA_C):
        reconciliations += good_reconciliations(AS_OF, la_code)
        rows, points = good_rows(AS_OF, la_code)
        if la_code in broken:
            rows = [{**row, "numerator": 51} if row["kpi_id"] == BROKEN_KPI else row for row in rows]
        dataset += rows
        series += points
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    settings.warehouse_path.unlink(missing_ok=True)
    dataset_table = pa.Table.from_pylist(
        [{f.name: r.get(f.name) for f in DATASET_SCHEMA} for r in dataset], DATASET_SCHEMA
    )
    series_table = pa.Table.from_pylist([{c: r.get(c) for c in SERIES_COLUMNS} for r in series], SERIES_SCHEMA)
    reconciliations_table = pa.Table.from_pylist(reconciliations, RECONCILIATIONS_SCHEMA)
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        connection.execute("create schema publish")
        connection.register("dataset_table", dataset_table)
        connection.register("series_table", series_table)
        connection.register("reconciliations_table", reconciliations_table)
        connection.execute("create table publish.pub_tsg_dataset as select * from dataset_table")
        connection.execute("create table publish.pub_tsg_series as select * from series_table")
        connection.execute("create table publish.pub_tsg_reconciliations as select * from reconciliations_table")
        connection.execute(f"create table publish.pub_tsg_comparison ({COMPARISON_COLUMNS})")
        connection.executemany(
            f"insert into publish.pub_tsg_comparison values ({', '.join(['?'] * 19)})", _comparison_rows(dataset)
        )
    settings.work_dir.mkdir(parents=True, exist_ok=True)
    (settings.work_dir / steps.BUILD_RECORD).write_text(json.dumps({"as_of": AS_OF.isoformat(), "dbt": {}}))


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    monkeypatch.setenv("CSC_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("CSC_SUPPRESS_BELOW", raising=False)
    return Settings.from_env()


def _la_codes_in(path: Path) -> set[str]:
    return set(pq.read_table(path, columns=["la_code"]).column(0).to_pylist())


def test_every_organisation_and_the_comparison_are_published(settings: Settings) -> None:
    _write_warehouse(settings)
    assert main(["publish", "--as-of", AS_OF.isoformat()]) == 0
    for la_code in (LA_A, LA_B, LA_C):
        assert _la_codes_in(settings.publish_dir / la_code / MONTH / "tsg_dataset.parquet") == {la_code}
    comparison = settings.publish_dir / "_comparison" / MONTH
    assert comparison.is_symlink()
    assert sorted(p.name for p in comparison.iterdir()) == [
        "manifest.json",
        "tsg_comparison.csv",
        "tsg_comparison.parquet",
    ]
    assert _la_codes_in(comparison / "tsg_comparison.parquet") == {LA_A, LA_B, LA_C}
    manifest = json.loads((comparison / "manifest.json").read_text())
    assert manifest["dataset"] == "tsg_comparison"
    # The comparison names the organisations' releases it was audited against.
    assert [item["la_code"] for item in manifest["inputs"]] == [LA_A, LA_B, LA_C]
    assert manifest["inputs"][0]["release"] == (settings.publish_dir / LA_A / MONTH).resolve().name
    assert (settings.publish_dir / "_comparison" / "latest").is_symlink()


def test_one_organisation_failing_its_gate_does_not_block_the_others(
    settings: Settings, capsys: pytest.CaptureFixture[str]
) -> None:
    """October published for everyone; then a re-run where B's b08 breaks the numerator gate: A and C are
    republished, B keeps its October release byte for byte, the comparison keeps its release, the run fails."""
    _write_warehouse(settings)
    assert main(["publish", "--as-of", AS_OF.isoformat()]) == 0
    kept_b = tree_snapshot(settings.publish_dir / "releases" / LA_B)
    kept_comparison = tree_snapshot(settings.publish_dir / "releases" / "_comparison")
    b_release = (settings.publish_dir / LA_B / MONTH).resolve()
    comparison_release = (settings.publish_dir / "_comparison" / MONTH).resolve()
    for la_code in (LA_A, LA_C):
        (settings.publish_dir / la_code / MONTH).unlink()  # so this run must publish them again
    _write_warehouse(settings, broken={LA_B})
    capsys.readouterr()

    assert main(["publish", "--as-of", AS_OF.isoformat()]) == 1

    assert (settings.publish_dir / LA_A / MONTH).is_symlink()
    assert (settings.publish_dir / LA_C / MONTH).is_symlink()
    assert (settings.publish_dir / LA_B / MONTH).resolve() == b_release
    assert tree_snapshot(settings.publish_dir / "releases" / LA_B) == kept_b
    assert (settings.publish_dir / "_comparison" / MONTH).resolve() == comparison_release
    assert tree_snapshot(settings.publish_dir / "releases" / "_comparison") == kept_comparison
    error = capsys.readouterr().err
    assert f"{LA_B}: FAILED: publication gate failed for {LA_B} {MONTH}" in error
    assert "not published: E06000040. The comparison across organisations was not published." in error
    assert (settings.reports_dir / f"FAILED-{LA_B}-{MONTH}.md").exists()
    assert not (settings.reports_dir / f"FAILED-{LA_A}-{MONTH}.md").exists()


def test_a_first_month_failing_for_one_organisation_publishes_nothing_for_it(settings: Settings) -> None:
    _write_warehouse(settings, broken={LA_A})
    result = steps.publish_organisations(settings, AS_OF)
    assert sorted(item["la_code"] for item in result["published"]) == [LA_B, LA_C]
    assert list(result["failed"]) == [LA_A]
    assert result["comparison"] is None
    assert not (settings.publish_dir / LA_A).exists()
    assert not (settings.publish_dir / "_comparison").exists()


def test_one_organisation_asked_for_publishes_it_alone_and_not_the_comparison(settings: Settings) -> None:
    _write_warehouse(settings)
    assert main(["publish", "--as-of", AS_OF.isoformat(), "--la-code", LA_C]) == 0
    assert sorted(p.name for p in settings.publish_dir.iterdir()) == [LA_C, "releases"]


def test_the_comparison_gate_holds_it_to_the_published_figures(settings: Settings) -> None:
    """A comparison whose figure differs from the organisation's published one is not published."""
    _write_warehouse(settings)
    for la_code in (LA_A, LA_B, LA_C):
        steps.publish_month(settings, AS_OF, la_code)
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        connection.execute(
            "update publish.pub_tsg_comparison set value = 91.0 where la_code = ? and kpi_id = ?", [LA_C, BROKEN_KPI]
        )
    with pytest.raises(steps.StepFailedError, match=rf"{LA_C} {BROKEN_KPI}: 91.0 here, 90.0 published"):
        steps.publish_comparison(settings, AS_OF)
    assert not (settings.publish_dir / "_comparison").exists()
    assert (settings.reports_dir / f"FAILED-_comparison-{MONTH}.md").exists()


def test_the_comparison_waits_for_every_organisation(settings: Settings) -> None:
    _write_warehouse(settings)
    steps.publish_month(settings, AS_OF, LA_A)
    with pytest.raises(steps.StepFailedError, match=r"not published for \['E06000040', 'E09000001'\]"):
        steps.publish_comparison(settings, AS_OF)


def _row(**changes: object) -> dict:
    base = {
        "la_code": LA_A,
        "kpi_id": BROKEN_KPI,
        "numerator": 3,
        "denominator": 40,
        "value": Decimal("7.5"),
        "organisation_rank": 2,
        "organisation_quartile": 1,
        "neighbour_average": Decimal("9.0"),
        "neighbour_smallest_count": None,
        "data_quality_flag": None,
    }
    return {**base, **changes}


def test_small_counts_withhold_the_figure_its_rank_and_a_neighbour_average_built_on_one() -> None:
    """With suppression below 5: 3 / 40 withholds the count, the value 7.5, its rank and quartile (they come
    from the value) but not the neighbours' average; 10 / 40 keeps everything but an average built on a
    neighbour's count of 2; a neighbour's true zero or count of 5 withholds nothing."""
    rows = [
        _row(),
        _row(la_code=LA_B, numerator=10, value=Decimal("25.0"), neighbour_smallest_count=2),
        _row(la_code=LA_C, numerator=10, value=Decimal("25.0"), neighbour_smallest_count=5),
    ]
    withheld = withhold_small_counts(rows, 5)
    assert [(r["numerator"], r["denominator"], r["value"], r["organisation_rank"]) for r in withheld] == [
        (None, None, None, None),
        (10, 40, Decimal("25.0"), 2),
        (10, 40, Decimal("25.0"), 2),
    ]
    assert [r["organisation_quartile"] for r in withheld] == [None, 1, 1]
    assert [r["neighbour_average"] for r in withheld] == [Decimal("9.0"), None, Decimal("9.0")]
    assert withhold_small_counts(rows, 0) == rows
    columns = ["la_code", "numerator", "value", "organisation_rank", "neighbour_average"]
    assert comparison_csv(rows, withheld, columns).splitlines() == [
        "la_code,numerator,value,organisation_rank,neighbour_average",
        f"{LA_A},c,c,c,9.0",
        f"{LA_B},10,25.0,2,c",
        f"{LA_C},10,25.0,2,9.0",
    ]
