"""Which failures are worth retrying: only transient ones (a lock held by another run, an I/O timeout, a dropped
database connection). A failed gate, a rejected mandatory file or a failing dbt test gives the same answer on every
retry, so the Airflow tasks fail those at once (`pipeline.airflow_tasks`) and retry only what is listed here."""

from __future__ import annotations

from pipeline.lock import WarehouseBusyError


class TransientError(RuntimeError):
    """A failure that may pass by itself (timeout, lock, connection): raise it to have Airflow retry with backoff."""


# Exception class names of drivers not imported here (psycopg's OperationalError covers a dropped connection).
_TRANSIENT_NAMES = frozenset({"OperationalError", "InterfaceError"})


def is_transient(error: BaseException) -> bool:
    """Whether `error` (or what it was raised from) is transient: worth a retry with backoff."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, (TransientError, WarehouseBusyError, TimeoutError, ConnectionError)):
            return True
        if type(current).__name__ in _TRANSIENT_NAMES and type(current).__module__.startswith("psycopg"):
            return True
        current = current.__cause__
    return False
