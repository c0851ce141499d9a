"""E-mail the data team when a monthly publication fails, through Airflow's SMTP provider, when configured.

Configured = the environment variable CSC_ALERT_EMAIL holds the recipients (comma-separated) and the Airflow
connection CSC_SMTP_CONN_ID (default `smtp_default`) exists. Otherwise the failure is only in the task log and
the gate report under CSC_REPORTS_DIR, which is always written. The message carries the failure (which gate
failed and why) and the report's text.
"""

from __future__ import annotations

import html
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger(__name__)
REPORT_PATH = re.compile(r"report: (\S+\.md)")


def failure_message(context: dict) -> tuple[str, str]:
    """(subject, HTML body) for a failed publish task instance."""
    error = str(context.get("exception") or "unknown error")
    subject = "TSG dataset not published: " + error.split(":")[0][:150]
    body = [
        "<p>The monthly TSG publication failed. Nothing was published; the previous month is unchanged.</p>",
        f"<pre>{html.escape(error)}</pre>",
    ]
    found = REPORT_PATH.search(error)
    if found and Path(found.group(1)).exists():
        body.append(f"<h3>{html.escape(found.group(1))}</h3><pre>{html.escape(Path(found.group(1)).read_text())}</pre>")
    return subject, "\n".join(body)


def smtp_configured(conn_id: str) -> bool:
    """Whether Airflow knows the SMTP connection (a missing one means e-mail is not set up here)."""
    try:
        from airflow.sdk import BaseHook

        BaseHook.get_connection(conn_id)
    except Exception:
        return False
    return True


def publication_failure_callback(context: dict) -> None:
    """Airflow on_failure_callback of the publish task."""
    _mail_failure(context, failure_message)


def task_failure_callback(context: dict) -> None:
    """Airflow on_failure_callback of every other task (TASK_DEFAULTS of pipeline.airflow_tasks)."""
    _mail_failure(context, task_failure_message)


def task_failure_message(context: dict) -> tuple[str, str]:
    """(subject, HTML body) for any failed task: the DAG and task, the failure, the failure report's text."""
    _subject, body = failure_message(context)
    task = context.get("task_instance") or context.get("ti")
    where = f"{getattr(task, 'dag_id', 'csc-warehouse')}.{getattr(task, 'task_id', 'task')}"
    error = str(context.get("exception") or "unknown error")
    body = body.replace(
        "<p>The monthly TSG publication failed. Nothing was published; the previous month is unchanged.</p>",
        f"<p>Task {html.escape(where)} failed; the steps after it did not run. The warehouse and the "
        "publication are as they were before the run.</p>",
    )
    return f"csc-warehouse {where} failed: " + error.split(":")[0][:150], body


def _mail_failure(context: dict, message: Callable[[dict], tuple[str, str]]) -> None:
    recipients = [address.strip() for address in os.environ.get("CSC_ALERT_EMAIL", "").split(",") if address.strip()]
    conn_id = os.environ.get("CSC_SMTP_CONN_ID", "smtp_default")
    if not recipients or not smtp_configured(conn_id):
        log.info("failure not e-mailed: set CSC_ALERT_EMAIL and the Airflow connection %s", conn_id)
        return
    from airflow.providers.smtp.notifications.smtp import SmtpNotifier

    subject, body = message(context)
    SmtpNotifier(to=recipients, subject=subject, html_content=body, smtp_conn_id=conn_id).notify(context)
