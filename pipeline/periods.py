"""Reporting dates. The pipeline never asks the clock: every run is told its `as_of` month end."""

from __future__ import annotations

import calendar
from datetime import date, datetime, timedelta


def parse_as_of(text: str) -> date:
    """Parse `YYYY-MM-DD` and insist it is a month end, since every published figure is for a reporting month."""
    try:
        as_of = date.fromisoformat(text)
    except ValueError as error:
        raise ValueError(f"as_of must be a date written YYYY-MM-DD, got {text!r}") from error
    if as_of != month_end(as_of):
        raise ValueError(f"as_of must be the last day of a month, got {as_of} (did you mean {month_end(as_of)}?)")
    return as_of


def month_end(day: date) -> date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def last_month_end_before(moment: date | datetime) -> date:
    """The last month end strictly before `moment`: the reporting month a run on that day works on."""
    day = moment.date() if isinstance(moment, datetime) else moment
    return day.replace(day=1) - timedelta(days=1)


def reporting_month(as_of: date) -> str:
    return as_of.strftime("%Y-%m")


def as_of_for_run(requested: str | None, run_moment: date | datetime | None) -> date:
    """The reporting month end of a scheduled or triggered run.

    An explicit `as_of` (a backfill) wins; otherwise it is the last month end before the run's logical date
    (or its run-after moment, since manual runs in Airflow 3 may have no logical date).
    """
    if requested:
        return parse_as_of(requested)
    if run_moment is None:
        raise ValueError("a run needs either an as_of parameter or a logical date")
    return last_month_end_before(run_moment)
