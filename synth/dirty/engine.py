"""How many row defects of each kind a file gets, and in which order they go in, for the SSD, local, HR, finance and
CIN files (the 903 keeps its own loop in `synth.dirty.make`, which pins its seeds' bytes).

Each kind draws its count from its rate; the kinds that keep the row go in first, then the row-rejecting kinds take
turns under the F07 cap (`synth.dirty.rates`), then exact duplicates. A kind finds its own place (a free row, a
column it applies to) by sampling, so a big file costs no more than a small one.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from synth.dirty.rates import DirtRates

F07_SHARE_DENOMINATOR = 50  # F07: rejected rows > 1/50 (2 %) of the data rows
ATTEMPTS = 64  # places a kind samples before it gives up on the file

# (target, rng, budget: rows it may still reject, None when uncapped) -> rows it rejected, None when it found no place
Inject = Callable[[Any, random.Random, int | None], int | None]


@dataclass(frozen=True)
class Kind:
    name: str
    rule: str
    rejects: int  # the fewest rows one defect rejects (0: the row is kept)
    inject: Inject


def expected_count(expected: float, rng: random.Random) -> int:
    """`expected` rounded up or down at random, so that the mean count is `expected`."""
    whole = int(expected)
    return whole + (rng.random() < expected - whole)


def inject_rows(target: Any, kinds: Sequence[Kind], rates: DirtRates, rng: random.Random, rows: int) -> int:
    """Inject the row defects of `kinds` into `target` (a file of `rows` data rows); returns the rows rejected."""
    wanted = {kind.name: expected_count(getattr(rates, kind.name) * rows, rng) for kind in kinds}
    for kind in kinds:
        if not kind.rejects and kind.name != "duplicate_row":
            for _ in range(wanted[kind.name]):
                if kind.inject(target, rng, None) is None:
                    break
    cap = rows // F07_SHARE_DENOMINATOR if rates.keep_under_f07 else None
    rejected = 0
    turns = [kind for kind in kinds if kind.rejects]
    rng.shuffle(turns)
    while any(wanted[kind.name] for kind in turns):
        for kind in turns:
            if not wanted[kind.name]:
                continue
            budget = None if cap is None else cap - rejected
            if budget is not None and budget < kind.rejects:
                wanted[kind.name] = 0
                continue
            wanted[kind.name] -= 1
            size = kind.inject(target, rng, budget)
            if size is None:
                wanted[kind.name] = 0
            else:
                rejected += size
    duplicate = next((kind for kind in kinds if kind.name == "duplicate_row"), None)
    for _ in range(wanted.get("duplicate_row", 0)):
        if duplicate.inject(target, rng, None) is None:
            break
    return rejected


def f07_description(rejected: int, rows: int) -> str | None:
    """The truth line's description when `rejected` of `rows` data rows push the file over 2 %, else None."""
    if rejected and rejected * F07_SHARE_DENOMINATOR > rows:
        return f"{rejected} of {rows} data rows carry a row-rejecting defect: more than 2 %"
    return None
