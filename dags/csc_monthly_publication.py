"""Monthly publication of the TSG dataset: once the nightly load has succeeded, audit and publish each organisation.

Scheduled on the asset `csc_warehouse`, which only a successful nightly build updates, so a run starts when the
nightly load has succeeded. It publishes the month just closed from the 16th (deliveries may be dated up to 15
days after the month end, input contract §0.3), once; the nightly's warehouse is reused when it was built for
that month. Any past month can be (re)published by triggering with the `as_of` parameter: the warehouse is then
rebuilt for that month first. Re-running a month gives byte-identical files. Wiring only: `pipeline.steps` does
the work. A failed gate fails its task (that organisation only: the others publish), publishes nothing for it and
leaves its previous publication as it was, and holds back the comparison across organisations; the
gate report is under CSC_REPORTS_DIR, and `pipeline.alerts` e-mails it when CSC_ALERT_EMAIL and an SMTP
connection are configured.
"""

from __future__ import annotations

import pendulum
from airflow.sdk import Asset, Param, dag, get_current_context, task

from pipeline import steps
from pipeline.alerts import publication_failure_callback
from pipeline.periods import as_of_for_run
from pipeline.settings import Settings

WAREHOUSE = Asset("csc_warehouse")
WRITER_POOL = "csc_warehouse_writer"


@dag(
    dag_id="csc_monthly_publication",
    schedule=[WAREHOUSE],
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

    @task.short_circuit
    def publication_due(as_of: str) -> bool:
        context = get_current_context()
        run_moment = context.get("logical_date") or context["dag_run"].run_after
        requested = bool(context["params"].get("as_of"))
        return steps.publication_due(Settings.from_env(), pendulum.parse(as_of).date(), run_moment.date(), requested)

    @task(pool=WRITER_POOL)
    def build_warehouse(as_of: str) -> dict:
        return steps.ensure_warehouse(Settings.from_env(), pendulum.parse(as_of).date())

    @task
    def list_organisations(build: dict) -> list[str]:
        return steps.organisations_in_warehouse(Settings.from_env())

    @task(pool=WRITER_POOL, on_failure_callback=publication_failure_callback)
    def publish(la_code: str, as_of: str, build: dict) -> dict:
        return steps.publish_month(Settings.from_env(), pendulum.parse(as_of).date(), la_code, build["dbt"])

    @task(pool=WRITER_POOL, on_failure_callback=publication_failure_callback)
    def publish_comparison(as_of: str, build: dict, la_codes: list[str]) -> dict:
        # Default trigger rule (all_success): only after every organisation's month passed its gate.
        return steps.publish_comparison(Settings.from_env(), pendulum.parse(as_of).date(), la_codes, build["dbt"])

    as_of = resolve_as_of()
    build = build_warehouse(as_of)
    publication_due(as_of) >> build
    organisations = list_organisations(build)
    published = publish.partial(as_of=as_of, build=build).expand(la_code=organisations)
    published >> publish_comparison(as_of, build, organisations)


csc_monthly_publication()
