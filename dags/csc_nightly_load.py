"""Nightly load: land every delivered file (one mapped task per file), check each delivery as a whole, then one dbt
build of the warehouse, then the analysts' read-only copy of its marts and publish layers.

Wiring only: the work is done by `pipeline.steps`, each call through `pipeline.airflow_tasks.run_step` (the run's
step log, the failure report, retries with backoff for transient failures only). Extraction tasks never open the
warehouse; the build is the only writer and runs in a one-slot pool, so two runs never write at once.
"""

from __future__ import annotations

from datetime import date

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

from pipeline import steps
from pipeline.airflow_tasks import TASK_DEFAULTS, run_step
from pipeline.periods import as_of_for_run
from pipeline.settings import Settings

WAREHOUSE = Asset("csc_warehouse")
WRITER_POOL = "csc_warehouse_writer"


def _date(as_of: str) -> date:
    return pendulum.parse(as_of).date()


@dag(
    dag_id="csc_nightly_load",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    default_args=TASK_DEFAULTS,
    params={"as_of": Param(None, type=["null", "string"], description="reporting month end, YYYY-MM-DD")},
    tags=["csc-warehouse"],
)
def csc_nightly_load() -> None:
    @task
    def resolve_as_of() -> str:
        context = get_current_context()
        run_moment = context.get("logical_date") or context["dag_run"].run_after
        return as_of_for_run(context["params"].get("as_of"), run_moment).isoformat()

    @task
    def list_files(as_of: str) -> list[str]:
        return run_step(_date(as_of), lambda: steps.list_files_to_extract(Settings.from_env(), _date(as_of)))

    @task(max_active_tis_per_dag=2)
    def extract_file(path: str, as_of: str) -> dict:
        return run_step(_date(as_of), lambda: steps.extract_delivery_file(Settings.from_env(), path))

    @task
    def check_deliveries(as_of: str) -> list[dict]:
        return run_step(_date(as_of), lambda: steps.check_deliveries(Settings.from_env(), _date(as_of)))

    @task
    def check_mandatory_inputs(outcomes: list[dict], delivery_outcomes: list[dict], as_of: str) -> None:
        run_step(_date(as_of), lambda: steps.check_mandatory_inputs([*outcomes, *delivery_outcomes], _date(as_of)))

    @task(pool=WRITER_POOL, outlets=[WAREHOUSE])
    def build_warehouse(as_of: str) -> dict:
        return run_step(_date(as_of), lambda: steps.build_warehouse(Settings.from_env(), _date(as_of)))

    as_of = resolve_as_of()
    outcomes = extract_file.partial(as_of=as_of).expand(path=list_files(as_of))
    delivery_outcomes = check_deliveries(as_of)
    outcomes >> delivery_outcomes  # the delivery-level rules read what every file task landed

    @task(pool=WRITER_POOL)
    def publish_analyst_copy(as_of: str, build: dict) -> dict:
        call = lambda: steps.publish_analyst_copy(Settings.from_env(), _date(as_of))  # noqa: E731
        return run_step(_date(as_of), call, clears_failure=True)

    build = build_warehouse(as_of)
    check_mandatory_inputs(outcomes, delivery_outcomes, as_of) >> build
    publish_analyst_copy(as_of, build)  # only after a successful build: a failed one leaves the copy as it was


csc_nightly_load()
