"""Backfill: rebuild and republish a range of past months, each exactly as a run on its as-of date would have.

Triggered by hand with the params `from_month` and `to_month` (YYYY-MM); never scheduled. One task runs the months
in order (each month's build reads the landing area as it stands, and a month's manifest lists the inputs up to
it), in the writer pool so no other build or publication runs meanwhile. Wiring only: `pipeline.republish.backfill`
does the work (also `python -m pipeline backfill --from YYYY-MM --to YYYY-MM`).
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Param, dag, get_current_context, task

from pipeline import republish
from pipeline.airflow_tasks import TASK_DEFAULTS, run_step
from pipeline.settings import Settings

WRITER_POOL = "csc_warehouse_writer"
MONTH = r"^\d{4}-(0[1-9]|1[0-2])$"


@dag(
    dag_id="csc_backfill",
    schedule=None,
    start_date=pendulum.datetime(2026, 1, 1, tz="Europe/London"),
    catchup=False,
    max_active_runs=1,
    default_args=TASK_DEFAULTS,
    params={
        "from_month": Param(type="string", pattern=MONTH, description="first month to republish, YYYY-MM"),
        "to_month": Param(type="string", pattern=MONTH, description="last month to republish, YYYY-MM"),
    },
    tags=["csc-warehouse"],
)
def csc_backfill() -> None:
    @task
    def plan_months() -> list[str]:
        params = get_current_context()["params"]
        first, last = republish.parse_month(params["from_month"]), republish.parse_month(params["to_month"])
        return [as_of.isoformat() for as_of in republish.months_between(first, last)]

    @task(pool=WRITER_POOL)
    def backfill_months(months: list[str]) -> list[dict]:
        first, last = pendulum.parse(months[0]).date(), pendulum.parse(months[-1]).date()
        return run_step(last, lambda: republish.backfill(Settings.from_env(), first, last), clears_failure=True)

    backfill_months(plan_months())


csc_backfill()
