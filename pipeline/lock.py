"""One writer at a time: an exclusive lock around everything that writes the warehouse or the publication.

DuckDB allows a single writing process per database file. Airflow enforces this with a one-slot pool; this lock
covers the command line and any second scheduler, and fails fast with a message naming the holder.
"""

from __future__ import annotations

import fcntl
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


class WarehouseBusyError(RuntimeError):
    """Another run holds the writer lock."""


@contextmanager
def writer_lock(work_dir: Path) -> Iterator[None]:
    """Hold the writer lock for the duration of the block, or raise `WarehouseBusyError` at once."""
    work_dir.mkdir(parents=True, exist_ok=True)
    lock_path = work_dir / "warehouse.lock"
    handle = lock_path.open("a+")
    try:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise WarehouseBusyError(
                f"another run is writing the warehouse (lock {lock_path}, held by {holder}); "
                "wait for it to finish and try again"
            ) from error
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}\n")
        handle.flush()
        yield
    finally:
        handle.close()
