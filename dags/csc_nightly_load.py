"""Nightly load: land every delivered file (one mapped task per file), check each delivery as a whole, then one dbt
build of the warehouse, then the analysts' read-only copy of its marts and publish layers.

Wiring only: the work is done by `pipeline.steps`. Extraction tasks never open the warehouse; the build is the
only writer and runs in a one-slot pool, so two runs never write at once.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

from pipeline import steps
from pipeline.periods import as_of_for_run
from pipeline.settings import Settings

WAREHOUSE = Asset("csc_warehouse")
WRITER_POOL = "csc_warehouse_writer"


@dag(
    dag_id="csc_nightly_load",
    schedule="0 2 * * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
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
        return steps.list_files_to_extract(Settings.from_env(), pendulum.parse(as_of).date())

    @task(max_active_tis_per_dag=2)
    def extract_file(path: str) -> dict:
        return steps.extract_delivery_file(Settings.from_env(), path)

    @task
    def check_deliveries(as_of: str) -> list[dict]:
        return steps.check_deliveries(Settings.from_env(), pendulum.parse(as_of).date())

    @task
    def check_mandatory_inputs(outcomes: list[dict], delivery_outcomes: list[dict], as_of: str) -> None:
        steps.check_mandatory_inputs([*outcomes, *delivery_outcomes], pendulum.parse(as_of).date())

    @task(pool=WRITER_POOL, outlets=[WAREHOUSE])
    def build_warehouse(as_of: str) -> dict:
        return steps.build_warehouse(Settings.from_env(), pendulum.parse(as_of).date())

    as_of = resolve_as_of()
    outcomes = extract_file.expand(path=list_files(as_of))
    delivery_outcomes = check_deliveries(as_of)
    outcomes >> delivery_outcomes  # the delivery-level rules read what every file task landed

    @task(pool=WRITER_POOL)
    def publish_analyst_copy(as_of: str, build: dict) -> dict:
        return steps.publish_analyst_copy(Settings.from_env(), pendulum.parse(as_of).date())

    build = build_warehouse(as_of)
    check_mandatory_inputs(outcomes, delivery_outcomes, as_of) >> build
    publish_analyst_copy(as_of, build)  # only after a successful build: a failed one leaves the copy as it was


csc_nightly_load()
