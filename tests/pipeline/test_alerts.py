"""Failure e-mail of the monthly publication: sent through Airflow's SMTP notifier only when configured."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

import pytest

from pipeline import alerts


def _context(tmp_path: Path) -> dict:
    report = tmp_path / "FAILED-E06000039-2026-10.md"
    report.write_text("# TSG dataset E06000039 2026-10: publication gate FAILED\n### 5.8-1 completeness\n")
    error = f"publication gate failed for E06000039 2026-10: [5.8-1 completeness] missing ['b08']. report: {report}"
    return {"exception": RuntimeError(error)}


def test_the_message_names_the_failure_and_carries_the_report(tmp_path: Path) -> None:
    subject, body = alerts.failure_message(_context(tmp_path))
    assert subject == "TSG dataset not published: publication gate failed for E06000039 2026-10"
    assert "missing [&#x27;b08&#x27;]" in body
    assert "### 5.8-1 completeness" in body  # the report's own text


class _FakeNotifier:
    sent: ClassVar[list[dict]] = []

    def __init__(self, **kwargs: object) -> None:
        self.kwargs = kwargs

    def notify(self, context: dict) -> None:
        _FakeNotifier.sent.append(self.kwargs)


@pytest.fixture
def fake_smtp(monkeypatch: pytest.MonkeyPatch) -> list[dict]:
    import airflow.providers.smtp.notifications.smtp as smtp

    _FakeNotifier.sent = []
    monkeypatch.setattr(smtp, "SmtpNotifier", _FakeNotifier)
    return _FakeNotifier.sent


def test_no_mail_without_recipients(tmp_path: Path, fake_smtp: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CSC_ALERT_EMAIL", raising=False)
    monkeypatch.setattr(alerts, "smtp_configured", lambda conn_id: True)
    alerts.publication_failure_callback(_context(tmp_path))
    assert fake_smtp == []


def test_no_mail_without_an_smtp_connection(tmp_path: Path, fake_smtp: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSC_ALERT_EMAIL", "data-team@example.org")
    monkeypatch.setattr(alerts, "smtp_configured", lambda conn_id: False)
    alerts.publication_failure_callback(_context(tmp_path))
    assert fake_smtp == []


def test_mail_when_configured(tmp_path: Path, fake_smtp: list, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CSC_ALERT_EMAIL", "data-team@example.org, head-of-performance@example.org")
    monkeypatch.setenv("CSC_SMTP_CONN_ID", "csc_smtp")
    seen = []
    monkeypatch.setattr(alerts, "smtp_configured", lambda conn_id: seen.append(conn_id) or True)
    alerts.publication_failure_callback(_context(tmp_path))
    assert seen == ["csc_smtp"]
    assert len(fake_smtp) == 1
    assert fake_smtp[0]["to"] == ["data-team@example.org", "head-of-performance@example.org"]
    assert fake_smtp[0]["smtp_conn_id"] == "csc_smtp"
    assert fake_smtp[0]["subject"].startswith("TSG dataset not published")
