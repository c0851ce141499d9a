"""Keep the garbage collector off the simulated truth while the SSD and local files are cut.

The truth is millions of long-lived objects (children, episodes, contacts, involvements, visits). Every full
collection the cuts trigger by allocating rescans all of them, which cost more than a second of a default run.
`gc.freeze()` moves what exists into a permanent generation that collections skip (the objects are still freed by
reference counting); `gc.unfreeze()` hands them back on the way out. Nested uses freeze once; `freeze_built()`
adds what was built since (the casework) while inside.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

_depth = 0


@contextmanager
def truth_frozen() -> Iterator[None]:
    global _depth
    if _depth == 0:
        gc.freeze()
    _depth += 1
    try:
        yield
    finally:
        _depth -= 1
        if _depth == 0:
            gc.unfreeze()


def freeze_built() -> None:
    """Inside `truth_frozen`: freeze the objects built since it started too."""
    if _depth:
        gc.freeze()
