"""Monthly publication of the TSG dataset: build for the month end, then audit and publish each organisation.

Runs on the 16th (deliveries may be dated up to 15 days after the month end, input contract §0.3) for the
previous month, or for any `as_of` given as a parameter (backfill). Wiring only: `pipeline.steps` does the work.
A failed gate fails its task and publishes nothing; the previous publication stays as it was.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from pipeline import steps
from pipeline.periods import as_of_for_run
from pipeline.settings import Settings

WRITER_POOL = "csc_warehouse_writer"


@dag(
    dag_id="csc_monthly_publication",
    schedule="0 6 16 * *",
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    params={"as_of": Param(None, type=["null", "string"], description="reporting month end, YYYY-MM-DD")},
    tags=["csc-warehouse"],
)
def csc_monthly_publication() -> None:
    @task
    def resolve_as_of() -> str:
        context = get_current_context()
        run_moment = context.get("logical_date") or context["dag_run"].run_after
        return as_of_for_run(context["params"].get("as_of"), run_moment).isoformat()

    @task(pool=WRITER_POOL)
    def build_warehouse(as_of: str) -> dict:
        return steps.build_warehouse(Settings.from_env(), pendulum.parse(as_of).date())

    @task
    def list_organisations(build: dict) -> list[str]:
        return steps.organisations_in_warehouse(Settings.from_env())

    @task(pool=WRITER_POOL)
    def publish(la_code: str, as_of: str, build: dict) -> dict:
        return steps.publish_month(Settings.from_env(), pendulum.parse(as_of).date(), la_code, build["dbt"])

    as_of = resolve_as_of()
    build = build_warehouse(as_of)
    publish.partial(as_of=as_of, build=build).expand(la_code=list_organisations(build))


csc_monthly_publication()
