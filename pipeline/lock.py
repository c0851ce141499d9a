"""One writer at a time: an exclusive lock around everything that writes the warehouse or the publication.

DuckDB allows a single writing process per database file. Airflow enforces this with a one-slot pool and
`max_active_runs=1`; this lock covers the command line and any second scheduler, and fails fast with a message
naming the holder (its pid and command), which it writes into the lock file while it holds it.

* A command-line run (`csc-warehouse extract|build|publish|run`) holds the lock EXCLUSIVELY for the whole command,
  so a second run started at once is refused before it writes anything, even to the landing area.
* Extraction tasks (one per file, two at once under Airflow) hold it SHARED: they may run side by side, but not
  while a command-line run holds it, and a command-line run is refused while any of them runs.
* The lock is re-entrant within a process: the steps a command runs take it again and pass straight through.
* A run killed with SIGKILL leaves no stale lock: the kernel releases a `flock` when the last descriptor of the
  open file closes, which it does for a dead process. Its name may stay in the file; the next holder overwrites it,
  and shared holders clear it (while any shared holder runs, no exclusive holder can exist to be named).
"""

from __future__ import annotations

import fcntl
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

_SHARED_HOLDERS = "extraction tasks (shared)"
# lock path -> (pid, mode, depth, fd) of the lock this process holds; the pid keeps a forked child from inheriting it.
_HELD: dict[Path, tuple[int, int, int, int]] = {}


class WarehouseBusyError(RuntimeError):
    """Another run holds the writer lock."""


def current_command() -> str:
    """This process's command line, shortened: what a refused run is told about the holder."""
    command = " ".join([Path(sys.argv[0]).name, *sys.argv[1:]]) if sys.argv and sys.argv[0] else "python"
    return command if len(command) <= 120 else command[:117] + "..."


def held_lock_fds() -> tuple[int, ...]:
    """The descriptors of the writer locks this process holds, for a child that must hold them too while it runs
    (dbt: `pipeline.dbt_runner`), so that a child outliving a killed run still keeps every other writer out."""
    return tuple(fd for pid, _mode, _depth, fd in _HELD.values() if pid == os.getpid())


@contextmanager
def writer_lock(work_dir: Path, *, shared: bool = False, holder: str | None = None) -> Iterator[None]:
    """Hold the writer lock for the duration of the block, or raise `WarehouseBusyError` at once.

    `shared`: an extraction task (module docstring). `holder`: what a refused run is told (default: this
    process's command line)."""
    work_dir.mkdir(parents=True, exist_ok=True)
    lock_path = (work_dir / "warehouse.lock").resolve()
    mode = fcntl.LOCK_SH if shared else fcntl.LOCK_EX
    held = _HELD.get(lock_path)
    if held is not None and held[0] == os.getpid() and (held[1] == fcntl.LOCK_EX or mode == fcntl.LOCK_SH):
        _HELD[lock_path] = (held[0], held[1], held[2] + 1, held[3])  # already held here, as strongly: pass through
        try:
            yield
        finally:
            _HELD[lock_path] = held
        return
    handle = lock_path.open("a+")
    try:
        try:
            fcntl.flock(handle, mode | fcntl.LOCK_NB)
        except BlockingIOError as error:
            handle.seek(0)
            named = handle.read().strip() or _SHARED_HOLDERS
            raise WarehouseBusyError(
                f"another run is writing the warehouse (lock {lock_path}, held by {named}); "
                "wait for it to finish and try again"
            ) from error
        handle.seek(0)
        handle.truncate()  # a killed exclusive holder's name, if any: stale now that this process has the lock
        if not shared:
            handle.write(f"pid {os.getpid()} ({holder or current_command()})\n")
        handle.flush()
        _HELD[lock_path] = (os.getpid(), mode, 1, handle.fileno())
        try:
            yield
        finally:
            del _HELD[lock_path]
            if not shared:  # the next holder may be shared tasks, which name nobody: leave no stale name
                handle.seek(0)
                handle.truncate()
                handle.flush()
    finally:
        handle.close()
