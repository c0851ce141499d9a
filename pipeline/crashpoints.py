"""Fault injection for the crash tests: SIGKILL this process at a named point of a run.

Inert in production: nothing happens unless the environment variable `CSC_CRASH_AT` is set, and then only at the
point it names. `CSC_CRASH_AT=<point>` kills at the first time the run reaches `<point>`, `<point>:<n>` at the n-th
time (counted in this process). SIGKILL, not an exception: no `finally`, no `atexit`, no flush, exactly what the
operating system's OOM killer or a lost machine does to a run (tests/e2e/test_crash_recovery.py).

Points (grep `crashpoint(` for the call sites):
    extract.file            after one delivered file was extracted (archived, landed, ledger written)
    extract.deliveries      after every file, before the delivery-level pass
    extract.delivery        the delivery-level pass: after one monthly delivery was checked, before the next
    landing.rename          a landing or archive file fully written to its temporary name, not yet renamed
    run.extracted           `csc-warehouse run`: after extraction and the mandatory-input check, before the build
    build.candidate         the dbt build finished into the candidate, before the swap
    build.swapped           the candidate renamed over the warehouse, before the build record says so
    analyst.staged          the analysts' copy written to its temporary name, before the swap
    run.built               `csc-warehouse run`: after the build and the analysts' copy, before publication
    publish.exported        the candidate dataset exported, before the checkpoint
    publish.audited         the checkpoint passed and its report was written, before the published files
    publish.outputs         the Parquet, CSV and XLSX written into the candidate, before dashboard and manifest
    release.copying         the release folder half copied to its staging name (the XLSX not yet there)
    release.staged          the release folder complete under its staging name, before the rename into releases/
    release.renamed         the release folder in place, before the month's symlink is swapped
    release.link            the month's new symlink made under its temporary name, before the rename over the old
    release.swapped         the month's symlink swapped, before `latest` follows
"""

from __future__ import annotations

import os
import signal
from collections import Counter

CRASH_ENV = "CSC_CRASH_AT"
_reached: Counter[str] = Counter()


def crashpoint(point: str) -> None:
    """Kill this process with SIGKILL if `CSC_CRASH_AT` names `point` (and this is its n-th arrival)."""
    spec = os.environ.get(CRASH_ENV)
    if not spec:
        return
    name, _, count = spec.partition(":")
    if name != point:
        return
    _reached[point] += 1
    if _reached[point] >= int(count or 1):
        os.kill(os.getpid(), signal.SIGKILL)
