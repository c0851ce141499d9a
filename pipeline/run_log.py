"""The step log of a run: one JSON line per step start and end (time, duration, outcome or error), the evidence a
data team reads after a failure and the log kept with each release.

The command line opens one log per command (`work/run_logs/cli/<command>-<UTC time>-<pid>.jsonl`), Airflow one per
DAG run (`work/run_logs/<dag_id>/<run_id>.jsonl`, shared by its tasks); the steps (`pipeline.steps`, decorated with
`logged`) append to whichever is open. Times live here and only here: the manifest and the published files hold no
wall-clock time, so this file is never part of a release's content hash or of the manifest's `files`.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import re
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

RUN_LOG_NAME = "run_log.jsonl"
_CURRENT: ContextVar[Path | None] = ContextVar("csc_run_log", default=None)
_RESULT_KEYS = ("outcome", "rows_landed", "rows_quarantined", "dbt", "published", "release", "reporting_month")
_UNSAFE = re.compile(r"[^A-Za-z0-9_.+-]+")
F = TypeVar("F", bound=Callable[..., Any])


def run_log_path(work_dir: Path, group: str, run_id: str) -> Path:
    """Where the log of one run goes: one folder per DAG (or `cli`), one file per run."""
    return work_dir / "run_logs" / _UNSAFE.sub("_", group) / f"{_UNSAFE.sub('_', run_id)}.jsonl"


def cli_run_id(command: str) -> str:
    return f"{command}-{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{os.getpid()}"


@contextmanager
def logging_to(path: Path) -> Iterator[Path]:
    """Append every step's lines to `path` while the block runs."""
    with contextlib.suppress(OSError):  # as in `record`: no log rather than no run
        path.parent.mkdir(parents=True, exist_ok=True)
    token = _CURRENT.set(path)
    try:
        yield path
    finally:
        _CURRENT.reset(token)


def current() -> Path | None:
    return _CURRENT.get()


def record(step: str, status: str, **fields: object) -> None:
    """One line in the open run log (nothing when none is open); one `write` of one line, opened for append, so
    two extraction tasks writing at once do not interleave within a line."""
    path = _CURRENT.get()
    if path is None:
        return
    line = {"time": datetime.now(UTC).isoformat(timespec="milliseconds"), "step": step, "status": status, **fields}
    try:
        with path.open("a", encoding="utf-8") as handle:
            handle.write(json.dumps(line, sort_keys=True, default=str) + "\n")
    except OSError:
        pass  # the log is evidence, never a reason to fail a run (a full disk fails the step that writes data)


def read(path: Path | None) -> list[dict]:
    if path is None or not path.is_file():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def last_failure(path: Path | None) -> dict | None:
    """The innermost failed step of the run: the first `failed` line (outer steps fail after it)."""
    return next((line for line in read(path) if line["status"] == "failed"), None)


def logged(step: str) -> Callable[[F], F]:
    """Log the decorated step's start, end (with its duration and the summary of what it returned) or failure."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(*args: object, **kwargs: object) -> object:
            fields = _describe_arguments([*args[1:], *kwargs.values()])
            record(step, "started", **fields)
            started = time.monotonic()
            try:
                result = function(*args, **kwargs)
            except BaseException as error:
                seconds = round(time.monotonic() - started, 3)
                record(
                    step, "failed", seconds=seconds, error=_one_line(error), error_type=type(error).__name__, **fields
                )
                raise
            record(step, "ok", seconds=round(time.monotonic() - started, 3), **fields, **_summary(result))
            return result

        return wrapper  # type: ignore[return-value]

    return decorate


def _describe_arguments(values: list[object]) -> dict[str, object]:
    """The arguments worth a log line: the as-of date, the organisation or the file, never whole lists."""
    fields: dict[str, object] = {}
    for value in values:
        if isinstance(value, date):
            fields["as_of"] = value.isoformat()
        elif isinstance(value, str) and re.fullmatch(r"E\d{8}", value):
            fields["la_code"] = value
        elif isinstance(value, (str, Path)):
            fields["file"] = str(value)
    return fields


def _summary(result: object) -> dict[str, object]:
    if isinstance(result, dict):
        return {key: result[key] for key in _RESULT_KEYS if key in result}
    if isinstance(result, list):
        return {"items": len(result)}
    return {}


def _one_line(error: BaseException) -> str:
    return " ".join(str(error).split())[:2000]


def keep_in(folder: Path, *, overwrite: bool = True, name: str = RUN_LOG_NAME) -> Path | None:
    """Copy the open run log, as it stands, to `folder/name` (temporary name, then rename). A release folder is
    given `overwrite=False`: it keeps the log of the run that made it, and a later run giving the same bytes (same
    release) leaves it alone."""
    source = _CURRENT.get()
    if source is None or not source.is_file():
        return None
    target = folder / name
    if target.exists() and not overwrite:
        return target
    temporary = folder / f".{name}.{os.getpid()}.tmp"
    temporary.write_bytes(source.read_bytes())
    os.replace(temporary, target)
    return target
