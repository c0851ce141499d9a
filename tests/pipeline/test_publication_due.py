"""When the monthly publication publishes: the month just closed, once, from the 16th; any month on request."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import duckdb
import pytest

from pipeline import steps
from pipeline.settings import Settings
from publish.release import publish_release

OCTOBER = date(2026, 10, 31)


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    settings = Settings.from_env()
    settings.warehouse_path.parent.mkdir(parents=True, exist_ok=True)
    with duckdb.connect(str(settings.warehouse_path)) as connection:
        connection.execute("create schema publish")
        connection.execute(
            "create table publish.pub_tsg_dataset as select * from (values ('E06000039'), ('E09000001')) t(la_code)"
        )
    return settings


def _publish(settings: Settings, la_code: str) -> None:
    candidate = settings.work_dir / "c" / la_code
    candidate.mkdir(parents=True)
    (candidate / "tsg_dataset.csv").write_text(la_code)
    publish_release(candidate, settings.publish_dir, la_code, "2026-10")


def test_scheduled_runs_wait_for_the_16th(settings: Settings) -> None:
    # 2026-10-31 + 16 days = 2026-11-16: deliveries may be dated up to the 15th.
    assert not steps.publication_due(settings, OCTOBER, date(2026, 11, 15), requested=False)
    assert steps.publication_due(settings, OCTOBER, date(2026, 11, 16), requested=False)


def test_scheduled_runs_publish_a_month_once(settings: Settings) -> None:
    _publish(settings, "E06000039")
    assert steps.publication_due(settings, OCTOBER, date(2026, 11, 20), requested=False)  # E09000001 still due
    _publish(settings, "E09000001")
    assert not steps.publication_due(settings, OCTOBER, date(2026, 11, 21), requested=False)
    # A republication by as_of always runs, whatever the date.
    assert steps.publication_due(settings, OCTOBER, date(2026, 11, 2), requested=True)


def test_the_nightly_build_is_reused_only_for_its_month(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    record = settings.work_dir / steps.BUILD_RECORD
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text(json.dumps({"as_of": "2026-10-31", "dbt": {"success": True}}))
    builds = []
    monkeypatch.setattr(steps, "build_warehouse", lambda s, as_of: builds.append(as_of) or {"as_of": str(as_of)})
    assert steps.ensure_warehouse(settings, OCTOBER) == {"as_of": "2026-10-31", "dbt": {"success": True}}
    assert builds == []
    steps.ensure_warehouse(settings, date(2026, 8, 31))  # a past month: rebuilt for it
    assert builds == [date(2026, 8, 31)]
