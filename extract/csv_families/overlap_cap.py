"""A cross-row table rule: a person's overlapping assignments of one kind may not total more than a cap.

Input contract §4.1: "A person has no overlapping `PERM` assignments totalling more than 1.5 FTE (`R05` on the later
row)". One row cannot see the others, so this runs over the file's kept rows after the key checks. Rows are taken in
order of start (then file order); a row is over the cap when its amount plus the amounts of the earlier kept rows
still open on its start exceed the cap. Checking at the row's start is enough: every earlier row started on or before
it, so the set of them still open only shrinks afterwards. A row found over the cap is rejected and no longer counts
for the rows after it.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pyarrow as pa


@dataclass(frozen=True)
class OverlapCap:
    person: str
    start: str
    end: str  # inclusive last day; null = open
    amount: str
    kind_column: str
    kind: str
    cap: Decimal


def rows_over_cap(rule: OverlapCap, values: dict[str, pa.Array], kept: np.ndarray) -> dict[int, str]:
    """Position -> message for each kept row whose overlapping assignments of the rule's kind exceed the cap."""
    taken = pa.array(kept, pa.int64())
    columns = {name: values[name].take(taken).to_pylist() for name in (rule.person, rule.start, rule.end, rule.amount)}
    kinds = values[rule.kind_column].take(taken).to_pylist()
    by_person: dict[object, list[int]] = defaultdict(list)
    for offset, kind in enumerate(kinds):
        if kind == rule.kind and columns[rule.start][offset] is not None:
            by_person[columns[rule.person][offset]].append(offset)
    over: dict[int, str] = {}
    for offsets in by_person.values():
        if len(offsets) < 2:
            continue
        earlier: list[int] = []
        for offset in sorted(offsets, key=lambda item: (columns[rule.start][item], kept[item])):
            start = columns[rule.start][offset]
            still_open = [
                other for other in earlier if columns[rule.end][other] is None or columns[rule.end][other] >= start
            ]
            total = sum((columns[rule.amount][other] or Decimal(0) for other in still_open), Decimal(0))
            total += columns[rule.amount][offset] or Decimal(0)
            if total > rule.cap:
                over[int(kept[offset])] = (
                    f"{rule.amount} {total} of overlapping {rule.kind} assignments on {start.isoformat()} "
                    f"is over {rule.cap}"
                )
                continue
            earlier.append(offset)
    return over
