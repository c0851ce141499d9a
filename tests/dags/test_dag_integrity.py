"""Every DAG file imports cleanly under Airflow 3 and is wired as the pipeline needs."""

from __future__ import annotations

from pathlib import Path

import pytest

from pipeline.settings import REPO_ROOT

DAGS_FOLDER = REPO_ROOT / "dags"
pytestmark = pytest.mark.airflow


@pytest.fixture(scope="module")
def dagbag():
    from airflow.dag_processing.dagbag import DagBag  # AIRFLOW_HOME is set to a temporary folder in conftest

    return DagBag(dag_folder=str(DAGS_FOLDER))


def test_every_dag_file_imports_without_errors(dagbag) -> None:
    assert dagbag.import_errors == {}
    dag_files = sorted(Path(dag.fileloc).name for dag in dagbag.dags.values())
    assert dag_files == sorted(p.name for p in DAGS_FOLDER.glob("*.py"))


def test_nightly_load_maps_one_extraction_per_file_then_one_build(dagbag) -> None:
    dag = dagbag.dags.get("csc_nightly_load")
    assert dag.max_active_runs == 1
    assert dag.schedule == "0 2 * * *" or str(dag.timetable.summary) == "0 2 * * *"
    assert set(dag.task_dict) == {
        "resolve_as_of",
        "list_files",
        "extract_file",
        "check_deliveries",
        "check_mandatory_inputs",
        "build_warehouse",
        "publish_analyst_copy",
    }
    assert dag.task_dict["build_warehouse"].pool == "csc_warehouse_writer"
    # The analysts' read-only copy is taken only after the build succeeded, in the writer pool.
    assert dag.task_dict["publish_analyst_copy"].upstream_task_ids == {"build_warehouse", "resolve_as_of"}
    assert dag.task_dict["publish_analyst_copy"].pool == "csc_warehouse_writer"
    assert dag.task_dict["extract_file"].pool != "csc_warehouse_writer"
    assert dag.task_dict["build_warehouse"].upstream_task_ids == {"check_mandatory_inputs", "resolve_as_of"}
    # The delivery-level rules run after every file task, and the mandatory check sees their outcomes too.
    assert dag.task_dict["check_deliveries"].upstream_task_ids == {"extract_file", "resolve_as_of"}
    assert "check_deliveries" in dag.task_dict["check_mandatory_inputs"].upstream_task_ids
    assert [outlet.name for outlet in dag.task_dict["build_warehouse"].outlets] == ["csc_warehouse"]


def test_monthly_publication_builds_before_it_publishes(dagbag) -> None:
    dag = dagbag.dags.get("csc_monthly_publication")
    assert dag.max_active_runs == 1
    assert "build_warehouse" in dag.task_dict["publish"].upstream_task_ids
    assert dag.task_dict["publish"].pool == "csc_warehouse_writer"
    assert dag.task_dict["build_warehouse"].pool == "csc_warehouse_writer"


def test_monthly_publication_runs_after_the_nightly_load_and_reports_failures(dagbag) -> None:
    dag = dagbag.dags.get("csc_monthly_publication")
    # Triggered by the asset only a successful nightly build updates; due-ness is checked before any build.
    assert [asset.name for asset in dag.timetable.asset_condition.objects] == ["csc_warehouse"]
    assert "publication_due" in dag.task_dict["build_warehouse"].upstream_task_ids
    from pipeline.alerts import publication_failure_callback

    callbacks = dag.task_dict["publish"].on_failure_callback
    assert publication_failure_callback in (callbacks if isinstance(callbacks, list) else [callbacks])


def test_dag_files_only_wire_tasks() -> None:
    """Logic lives in packages: a DAG file imports no database, dbt or pandas code of its own."""
    forbidden = ("import duckdb", "import pandas", "from dbt", "import great_expectations", "subprocess")
    for path in DAGS_FOLDER.glob("*.py"):
        text = path.read_text()
        assert not [word for word in forbidden if word in text], path.name


def test_monthly_publication_compares_organisations_after_every_one_is_published(dagbag) -> None:
    """The comparison waits for every organisation's mapped publish task (default trigger rule: all succeeded)."""
    dag = dagbag.dags.get("csc_monthly_publication")
    comparison = dag.task_dict["publish_comparison"]
    assert "publish" in comparison.upstream_task_ids
    assert comparison.trigger_rule == "all_success"
    assert comparison.pool == "csc_warehouse_writer"


def test_every_task_retries_with_backoff_and_alerts_on_failure(dagbag) -> None:
    """TASK_DEFAULTS on every DAG: retries with exponential backoff, which `run_step` keeps for transient failures
    (a data or gate failure raises AirflowFailException, never retried), and the failure e-mail callback."""
    from pipeline.alerts import task_failure_callback

    for dag_id in ("csc_nightly_load", "csc_monthly_publication", "csc_backfill"):
        for task in dagbag.dags[dag_id].tasks:
            assert (task.retries, task.retry_exponential_backoff) == (3, 2.0), (dag_id, task.task_id)
            callbacks = (
                task.on_failure_callback if isinstance(task.on_failure_callback, list) else [task.on_failure_callback]
            )
            assert callbacks and all(callable(callback) for callback in callbacks), (dag_id, task.task_id)
    build = dagbag.dags["csc_nightly_load"].task_dict["build_warehouse"]
    assert task_failure_callback in (
        build.on_failure_callback if isinstance(build.on_failure_callback, list) else [build.on_failure_callback]
    )


def test_monthly_publication_republishes_corrected_months_before_its_build(dagbag) -> None:
    dag = dagbag.dags["csc_monthly_publication"]
    # Not behind publication_due: a correction is republished whether or not the month is due.
    assert dag.task_dict["republish_corrections"].upstream_task_ids == {"resolve_as_of"}
    assert "republish_corrections" in dag.task_dict["build_warehouse"].upstream_task_ids
    assert dag.task_dict["republish_corrections"].pool == "csc_warehouse_writer"


def test_backfill_dag_takes_a_month_range_and_runs_it_in_the_writer_pool(dagbag) -> None:
    dag = dagbag.dags["csc_backfill"]
    assert dag.max_active_runs == 1
    assert set(dag.params) == {"from_month", "to_month"}
    assert set(dag.task_dict) == {"plan_months", "backfill_months"}
    assert dag.task_dict["backfill_months"].pool == "csc_warehouse_writer"
    assert dag.task_dict["backfill_months"].upstream_task_ids == {"plan_months"}
