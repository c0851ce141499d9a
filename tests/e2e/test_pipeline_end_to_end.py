"""The whole pipeline from the command line on a synthetic organisation: publish, re-run, and fail safe.

These are the issue's acceptance checks: the same inputs publish byte-identical files; a failing data test (dbt)
or a failing publication gate (Great Expectations) publishes nothing and leaves the previous publication and the
warehouse byte-for-byte as they were.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from pipeline import steps
from pipeline.cli import main
from pipeline.settings import Settings
from synth import generate_organisation
from tests.helpers import tree_snapshot

pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("e2e_cli")]

AS_OF = date(2026, 10, 31)
LA_CODE = "E06000039"
# The published caseload (b21 and its variants, the three services) and workforce (b22, b23, mix, sickness,
# supervision) indicators of issue 6 that every month of a generated organisation has data for.
CASELOAD_AND_WORKFORCE = (
    "b21_avg_caseload_frontline_sw",
    "b21f_avg_caseload_frontline_fte",
    "b21x_avg_caseload_excl_asye",
    "t_avg_caseload_ra",
    "t_avg_caseload_sfs",
    "t_avg_caseload_cla",
    "b22_perm_staff_turnover_12m",
    "b22v_voluntary_turnover",
    "b23_frontline_agency_pct",
    "t_qualified_workforce_mix_perm",
    "t_qualified_workforce_mix_agency",
    "t_qualified_workforce_mix_vacancy",
    "t_sickness_absence",
    "p_short_term_absence_ytd",
    "p_staff_9_supervisions_12m",
)


@pytest.fixture(scope="module")
def published_world(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Settings]:
    """One good run of the CLI over a generated organisation; each test gets its own copy of the result."""
    root = tmp_path_factory.mktemp("e2e") / "data"
    previous = os.environ.get("CSC_DATA_DIR")
    os.environ["CSC_DATA_DIR"] = str(root)
    try:
        settings = Settings.from_env()
        generate_organisation(settings.inbound_dir, LA_CODE, AS_OF, seed=7, months=2, history_years=2)
        assert main(["run", "--as-of", AS_OF.isoformat()]) == 0
        yield settings
    finally:
        if previous is None:
            os.environ.pop("CSC_DATA_DIR", None)
        else:
            os.environ["CSC_DATA_DIR"] = previous


@pytest.fixture
def world(published_world: Settings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Settings:
    """A private copy of the published world (symlinks kept), with CSC_DATA_DIR pointing at it."""
    copy = tmp_path / "data"
    shutil.copytree(published_world.data_dir, copy, symlinks=True)
    monkeypatch.setenv("CSC_DATA_DIR", str(copy))
    return Settings.from_env()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_run_publishes_the_dataset_dashboard_and_manifest(world: Settings) -> None:
    public = world.publish_dir / LA_CODE / "2026-10"
    assert public.is_symlink()
    assert sorted(p.name for p in public.iterdir()) == [
        "dashboard.html",
        "manifest.json",
        "run_log.jsonl",
        "tsg_dataset.csv",
        "tsg_dataset.parquet",
        "tsg_dataset.xlsx",
        "tsg_reconciliations.parquet",
        "tsg_series.parquet",
    ]
    rows = pq.read_table(public / "tsg_dataset.parquet").to_pylist()
    assert {row["kpi_id"] for row in rows} >= {
        "s_cla_count",
        "b08_cla_3plus_placements_12m",
        "b24_inhouse_foster_pct",
    }
    assert all(row["period_end"] == AS_OF for row in rows)
    # Issue 6's "done when": the generated organisation's dataset carries the caseload and workforce indicators,
    # each with a figure (the generator delivers the case system's allocations and every HR export it reads).
    figures = {row["kpi_id"]: row["value"] for row in rows if row["grain"] == "company"}
    assert {kpi_id: figures.get(kpi_id) is not None for kpi_id in CASELOAD_AND_WORKFORCE} == dict.fromkeys(
        CASELOAD_AND_WORKFORCE, True
    )
    # Issue 7's "done when": the generated organisation's dataset carries the placement and finance indicators with
    # a figure (the synthetic organisation delivers every table they need, so none is NO_DATA).
    placement_and_finance = {
        "b08_cla_3plus_placements_12m", "b10_cl_eet_19_21", "b11_cla_over_20_miles", "b11v_office_base",
        "b16_cla_stable_2y", "b24_inhouse_foster_pct", "s_out_of_borough_within_20mi", "s_uasc_count",
        "s_staying_put_count", "b25_forecast_within_budget", "f_net_position_forecast", "f_legal_fees_ytd",
        "f_plc_fte_forecast", "f_plc_avg_weekly_rate", "f_plc_cost_forecast", "f_plc_variance_pct",
        "f_care_leaver_cost_forecast", "s_unit_cost_per_child_ytd",
    }  # fmt: skip
    assert {kpi: figures.get(kpi) is not None for kpi in placement_and_finance} == dict.fromkeys(
        placement_and_finance, True
    )


def test_rerun_with_the_same_inputs_is_byte_identical(world: Settings) -> None:
    before = tree_snapshot(world.publish_dir)
    assert main(["run", "--as-of", AS_OF.isoformat()]) == 0
    assert tree_snapshot(world.publish_dir) == before


def test_a_failing_dbt_test_publishes_nothing_and_keeps_the_warehouse(world: Settings) -> None:
    published_before = tree_snapshot(world.publish_dir)
    warehouse_before = _sha256(world.warehouse_path)

    # A landed episode with a legal status that is not in the code list: the staging accepted_values test fails.
    episodes_dir = world.landing_dir / "ssda903" / "episodes" / f"la_code={LA_CODE}"
    # Tamper with the October delivery: only the latest delivery of a collection year reaches the warehouse.
    good_file = next(
        path
        for path in sorted(episodes_dir.glob("*.parquet"))
        if pq.read_table(path, columns=["reporting_month"]).column(0)[0].as_py() == "2026-10"
    )
    table = pq.read_table(good_file).slice(0, 1)
    table = table.set_column(table.schema.get_field_index("ls"), "ls", pa.array(["ZZ"]))
    pq.write_table(table, episodes_dir / "episodes-tampered0000000.parquet")

    assert main(["run", "--as-of", AS_OF.isoformat()]) == 1
    assert tree_snapshot(world.publish_dir) == published_before
    assert _sha256(world.warehouse_path) == warehouse_before


def test_a_failing_publication_gate_publishes_nothing(world: Settings) -> None:
    published_before = tree_snapshot(world.publish_dir)
    with duckdb.connect(str(world.warehouse_path)) as connection:
        schema = connection.execute(
            "select table_schema from information_schema.tables where table_name = 'pub_tsg_dataset'"
        ).fetchone()[0]
        connection.execute(
            f'update "{schema}".pub_tsg_dataset set numerator = denominator + 1 '
            "where kpi_id = 'b08_cla_3plus_placements_12m'"
        )

    with pytest.raises(steps.StepFailedError, match="publication gate failed for E06000039 2026-10"):
        steps.publish_month(world, AS_OF, LA_CODE)

    assert tree_snapshot(world.publish_dir) == published_before
    report = world.reports_dir / LA_CODE / "2026-10" / "checkpoint.json"
    assert '"success": false' in report.read_text()
    assert "5.8-1 numerator <= denominator" in (world.reports_dir / f"FAILED-{LA_CODE}-2026-10.md").read_text()


def test_a_past_month_is_republished_by_as_of_byte_identically(world: Settings) -> None:
    """Backfill September after October was published: September appears, October and `latest` stay as they were,
    and publishing September again gives the same bytes (the manifest holds no wall-clock time)."""
    october = tree_snapshot(world.publish_dir / "releases" / LA_CODE / "2026-10")
    assert main(["run", "--as-of", "2026-09-30"]) == 0
    september = world.publish_dir / LA_CODE / "2026-09"
    assert september.is_symlink()
    assert {row["period_end"] for row in pq.read_table(september / "tsg_dataset.parquet").to_pylist()} == {
        date(2026, 9, 30)
    }
    assert (world.publish_dir / LA_CODE / "latest").resolve() == (world.publish_dir / LA_CODE / "2026-10").resolve()
    assert tree_snapshot(world.publish_dir / "releases" / LA_CODE / "2026-10") == october
    before = tree_snapshot(world.publish_dir)
    assert main(["publish", "--as-of", "2026-09-30"]) == 0  # the warehouse is still built for September
    assert tree_snapshot(world.publish_dir) == before
