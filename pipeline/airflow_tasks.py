"""How every Airflow task runs a step: with the DAG run's step log open, retried with backoff only when the failure
is transient (`pipeline.transient`), failed at once otherwise (a failed gate, a rejected mandatory file, a failing
dbt test give the same answer on every retry) with the failure report written (`pipeline.failure_report`).

The DAG files only wire tasks; they take their retry policy and failure callback from `TASK_DEFAULTS` here.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from pipeline import failure_report, run_log
from pipeline.alerts import task_failure_callback
from pipeline.settings import Settings
from pipeline.transient import is_transient

T = TypeVar("T")

# Exponential backoff: 1, 2, 4 minutes (capped at 30) between the three retries of a transient failure. Only
# TransientError and its kin reach a retry: `run_step` turns every other failure into AirflowFailException.
TASK_DEFAULTS = {
    "retries": 3,
    "retry_delay": timedelta(minutes=1),
    "retry_exponential_backoff": 2.0,
    "max_retry_delay": timedelta(minutes=30),
    "on_failure_callback": task_failure_callback,
}


def run_step(as_of: date | None, call: Callable[[], T], *, clears_failure: bool = False) -> T:
    """Run `call` (one step) inside the current task, logging to the DAG run's step log.

    A transient error is raised as it is, so Airflow retries it with backoff; any other error writes the month's
    failure report and becomes `AirflowFailException`, which Airflow never retries. `clears_failure`: the task
    that ends a DAG run successfully removes an earlier failure report of the month.
    """
    from airflow.sdk import get_current_context
    from airflow.sdk.exceptions import AirflowFailException

    settings = Settings.from_env()
    context = get_current_context()
    path = run_log.run_log_path(settings.work_dir, context["dag"].dag_id, context["run_id"])
    with run_log.logging_to(path):
        try:
            result = call()
        except Exception as error:
            if is_transient(error):
                run_log.record("retry", "transient", error=_line(error))
                raise
            run_log.record(context["task"].task_id if "task" in context else "task", "failed", error=_line(error))
            if as_of is None:
                raise AirflowFailException(str(error)) from error
            report = failure_report.write_failure_report(settings, as_of, error)
            where = f" Failure report: {report}" if report is not None else ""
            raise AirflowFailException(f"{error}{where}") from error
    if clears_failure and as_of is not None:
        failure_report.clear_failure_report(settings, as_of)
    return result


def _line(error: BaseException) -> str:
    return " ".join(str(error).split())[:2000]
