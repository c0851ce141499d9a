"""Republication of past months: after a corrected re-delivery or a late file, and backfills by as-of date.

Which months to republish is read from the ledger, never guessed: a published month is *stale* when the inputs its
release manifest lists (every file of the organisation's deliveries up to that month, with checksum, load id and
outcome) differ from what the ledger says now. A re-delivered or late file of month M changes the inputs of M and of
every later month (each manifest lists all deliveries up to its month), so M and every later published month are
republished, in month order: the month after M, whose previous-period comparison reads M, is always among them.
Earlier months are not touched (their inputs did not change), so their releases stay byte-identical. The superseded
release stays under `published/releases/` for audit; the new manifest's `corrections` names what was re-delivered.

A backfill runs, for each month of a range in order, exactly the steps of a run on that month's as-of date
(extract up to that month, mandatory inputs, build, publish): the build and the manifest read only deliveries up
to the month, so the release is byte-identical to the one a run on that date produced.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

from pipeline import steps
from pipeline.periods import month_end, reporting_month
from pipeline.settings import Settings


def stale_publications(settings: Settings, up_to: date) -> list[tuple[str, str]]:
    """(la_code, YYYY-MM) of every published month up to `up_to`'s month whose inputs changed since publication."""
    from publish.manifest import MANIFEST_NAME, input_files
    from publish.release import LATEST, current_release

    if not settings.publish_dir.is_dir():
        return []
    stale = []
    last = reporting_month(up_to)
    # Organisations only: `releases` holds the release folders, `_comparison` is republished with its month's
    # organisations (republish_stale).
    organisations = (p for p in settings.publish_dir.iterdir() if p.is_dir() and p.name != "releases")
    for la_folder in sorted(p for p in organisations if not p.name.startswith("_")):
        for link in sorted(p for p in la_folder.iterdir() if p.is_symlink() and p.name != LATEST):
            release = current_release(settings.publish_dir, la_folder.name, link.name)
            if link.name > last or release is None or not (release / MANIFEST_NAME).is_file():
                continue
            published = json.loads((release / MANIFEST_NAME).read_text(encoding="utf-8"))["inputs"]
            now = json.loads(
                json.dumps(input_files(settings.landing_dir, la_folder.name, month_end_of(link.name)), default=str)
            )
            if published != now:
                stale.append((la_folder.name, link.name))
    return sorted(stale, key=lambda item: (item[1], item[0]))


def republish_stale(settings: Settings, up_to: date, *, before: bool = False, restore: bool = True) -> list[dict]:
    """Rebuild and republish every stale month up to `up_to` (strictly before it when `before`), oldest first.

    One build per month. With `restore`, the warehouse is built for `up_to` again at the end when anything was
    rebuilt, so the nightly's warehouse (and the analysts' expectations of it) stay on the current month.
    """
    stale = [
        (la, month)
        for la, month in stale_publications(settings, up_to)
        if not (before and month == reporting_month(up_to))
    ]
    published = []
    for month in sorted({month for _la, month in stale}):
        as_of = month_end_of(month)
        build = steps.build_warehouse(settings, as_of)
        for la_code in [la for la, stale_month in stale if stale_month == month]:
            published.append(steps.publish_month(settings, as_of, la_code, build["dbt"]))
        if _comparison_published(settings, month):  # it set the old figures beside the others': compare again
            steps.publish_comparison(settings, as_of, None, build["dbt"])
    if stale and restore:
        steps.ensure_warehouse(settings, up_to)
    return published


def run_month(settings: Settings, as_of: date, report: Callable[[str], None] = print) -> list[dict]:
    """What a run on `as_of`'s date does: land every delivery up to that month, check the mandatory inputs, build,
    and publish every organisation in the warehouse."""
    outcomes = steps.extract_all_files(settings, as_of)
    steps.check_mandatory_inputs(outcomes, as_of)
    build = steps.build_warehouse(settings, as_of)
    report(f"warehouse built as of {as_of}: {json.dumps(build['dbt'])}")
    result = steps.publish_organisations(settings, as_of, None, build["dbt"])
    for release in result["published"]:
        report(f"published {release['la_code']} {reporting_month(as_of)}: {release['published']}")
    if result["failed"]:  # a backfill stops at the first month that does not publish whole
        reasons = "; ".join(f"{la_code}: {reason}" for la_code, reason in result["failed"].items())
        raise steps.StepFailedError(f"{reporting_month(as_of)} not published for {reasons}")
    return result["published"]


def _comparison_published(settings: Settings, month: str) -> bool:
    from publish.comparison import COMPARISON

    return (settings.publish_dir / COMPARISON / month).exists()


def backfill(settings: Settings, first: date, last: date, report: Callable[[str], None] = print) -> list[dict]:
    """Rebuild and republish every month from `first` to `last` (month ends), in order, each as a run on its date.
    The warehouse is left built for `last`."""
    return [release for as_of in months_between(first, last) for release in run_month(settings, as_of, report)]


def months_between(first: date, last: date) -> list[date]:
    """The month ends from `first`'s month to `last`'s, inclusive."""
    if first > last:
        raise ValueError(
            f"a backfill runs forwards: --from {reporting_month(first)} is after --to {reporting_month(last)}"
        )
    months, current = [], month_end(first)
    while current <= month_end(last):
        months.append(current)
        current = month_end(current.replace(day=28) + timedelta(days=4))
    return months


def parse_month(text: str) -> date:
    """`YYYY-MM` (or a month end `YYYY-MM-DD`) as that month's end."""
    try:
        return month_end(date.fromisoformat(text if len(text) > 7 else f"{text}-01"))
    except ValueError as error:
        raise ValueError(f"a month must be written YYYY-MM, got {text!r}") from error


def month_end_of(month: str) -> date:
    return parse_month(month)
