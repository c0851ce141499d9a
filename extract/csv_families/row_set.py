"""The rows of one generic-family file, held column by column in Arrow, and the checks across rows (§0.4, §0.8).

`distinct_rows` drops ragged records (R01) and exact duplicates (W01); `broken_table_rules` finds the clean rows that
break a table rule; `patched` writes the per-row path's values over the column-wise ones; `resolve_keys` settles
repeated primary keys (R03, or W01 for rows equal once parsed). Each test runs as Arrow kernels and finds, in the
usual file, nothing to do; only when it finds something does the Python code that words the findings run, on Python
values of the same rows, so messages and their order are those of the row-by-row checks.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from extract.columnar import distinct_count, strip
from extract.csv_families.spec import TableSpec
from extract.csv_reader import ParsedCsv
from extract.reading import Checked
from extract.rows import Issue


@dataclass
class Rows:
    """The records to check: their numbers, every header column's raw text (the per-row path reads a record as
    delivered), and the trimmed text of each table column the file has."""

    numbers: np.ndarray  # int64 record numbers
    raw: list[pa.Array]  # one string array per header column
    texts: dict[str, pa.Array]  # table column name -> trimmed texts
    all_different: str | None = None  # a column whose texts are known to be all different

    def fields(self, indices: np.ndarray) -> list[list[str]]:
        """The records at `indices` as delivered (lists of raw fields)."""
        taken = pa.array(indices, pa.int64())
        lists = [column.take(taken).to_pylist() for column in self.raw]
        return [list(fields) for fields in zip(*lists, strict=True)]


def distinct_rows(
    header: list[str], positions: dict[str, int], pk: tuple[str, ...], parsed: ParsedCsv, quarantine: list[Issue]
) -> Rows:
    """The records to check: a wrong number of fields is R01, an exact duplicate (once trimmed, over the table's
    columns) of an earlier record W01; both go to `quarantine`. The key columns are tried first as the column whose
    texts are all different (then no record can repeat another), which may also spare `resolve_keys` its count."""
    width = len(header)
    if parsed.columns is not None:  # the Arrow read: every record has the header's width
        numbers, raw = parsed.numbers(), parsed.columns
    else:
        records = parsed.records
        good = [record for record in records if len(record[1]) == width]
        if len(good) != len(records):
            for number, fields in records:
                if len(fields) != width:
                    message = f"row has {len(fields)} fields, the header has {width}"
                    quarantine.append(Issue(number, None, None, True, "R01", message))
        numbers = np.fromiter((number for number, _fields in good), dtype=np.int64, count=len(good))
        by_position = list(zip(*(fields for _number, fields in good), strict=True)) or [() for _ in range(width)]
        raw = [pa.array(column, pa.string()) for column in by_position]
    rows = Rows(numbers, raw, {name: strip(raw[position]) for name, position in positions.items()})
    keep = _first_of_each(rows, pk, quarantine)
    if keep is None:
        return rows
    taken = pa.array(keep, pa.int64())
    texts = {name: column.take(taken) for name, column in rows.texts.items()}
    return Rows(rows.numbers[keep], [column.take(taken) for column in rows.raw], texts)


def _first_of_each(rows: Rows, pk: tuple[str, ...], quarantine: list[Issue]) -> np.ndarray | None:
    """Positions of the rows kept when some rows repeat an earlier one (W01 for each repeat), else None."""
    count = len(rows.numbers)
    if count < 2 or not rows.texts:
        return None
    names = sorted(rows.texts, key=lambda name: name not in pk)  # the key columns first
    for name in names:
        if len(pc.unique(rows.texts[name])) == count:
            rows.all_different = name
            return None
    if len(names) == 1 or distinct_count([rows.texts[name] for name in names]) == count:
        return None
    first_of: dict[tuple, int] = {}
    keep = []
    numbers = rows.numbers.tolist()
    for index, raw in enumerate(zip(*(column.to_pylist() for column in rows.texts.values()), strict=True)):
        number = numbers[index]
        first = first_of.setdefault(raw, number)
        if first == number:
            keep.append(index)
            continue
        quarantine.append(Issue(number, None, None, True, "W01", f"exact duplicate of row {first}: dropped"))
    return np.array(keep, dtype=np.int64)


def broken_table_rules(spec: TableSpec, values: dict[str, pa.Array], count: int) -> np.ndarray | None:
    """Mask of the rows that break a table rule (at least one of, not both, ordering, month within its financial
    year), or None when the table has none; the per-row path words the finding."""
    masks = []
    for names in spec.at_least_one:
        masks.append(_all(pc.is_null(values[name]) for name in names))
    for first, second in spec.not_both:
        masks.append(pc.and_(pc.is_valid(values[first]), pc.is_valid(values[second])))
    for start, end in spec.orderings:
        low, high = values[start], values[end]
        if low.type == high.type:
            masks.append(pc.fill_null(pc.less(high, low), False))
        else:  # Python's comparison (and its TypeError, should the types not compare)
            pairs = zip(low.to_pylist(), high.to_pylist(), strict=True)
            masks.append(pa.array([lo is not None and hi is not None and hi < lo for lo, hi in pairs], pa.bool_()))
    for month, fy in spec.within_fy:
        pairs = zip(values[month].to_pylist(), values[fy].to_pylist(), strict=True)
        masks.append(pa.array([not month_in_fy(m, f) for m, f in pairs], pa.bool_()))
    if not masks:
        return None
    return _all(masks, pc.or_).to_numpy(zero_copy_only=False) if count else np.zeros(0, dtype=bool)


def month_in_fy(month: str | None, fy: str | None) -> bool:
    """Whether a `YYYY-MM` month falls in a `YYYY-YY` financial year (April to March); true when either is null,
    as a null is reported by its own rule."""
    if month is None or fy is None:
        return True
    first_year = int(fy[:4])
    return f"{first_year}-04" <= month <= f"{first_year + 1}-03"


def _all(masks: Iterable[pa.Array], combine: Callable = pc.and_) -> pa.Array:
    result = None
    for mask in masks:
        result = mask if result is None else combine(result, mask)
    return result


def patched(values: dict[str, pa.Array], patches: dict[int, dict[str, object]], count: int) -> dict[str, pa.Array]:
    """`values` with the per-row path's values of the rows in `patches` (position -> {column: value})."""
    if not patches:
        return values
    positions = sorted(patches)
    mask = np.zeros(count, dtype=bool)
    mask[positions] = True
    mask_array = pa.array(mask)
    result = {}
    for name, column in values.items():
        replacement = pa.array([patches[position][name] for position in positions], type=column.type)
        result[name] = pc.replace_with_mask(column, mask_array, replacement)
    return result


def resolve_keys(
    spec: TableSpec, rows: Rows, values: dict[str, pa.Array], checked: Checked, rejected: set[int], la_code: str | None
) -> np.ndarray:
    """R03 for every row of a key held by rows that differ; W01 for rows equal to an earlier one once parsed. Returns
    the positions of the rows kept, in file order."""
    numbers = rows.numbers
    count = len(numbers)
    candidates = np.array([index for index in range(count) if index not in rejected], dtype=np.int64)
    if len(spec.pk) == 1 and spec.pk[0] == rows.all_different:
        column = spec.column(spec.pk[0])
        if column.required and column.type in ("id", "str"):
            # A kept row's value is its text (a blank or null literal is R04, rejected): all different too.
            return candidates
    key_columns = [values[name] for name in spec.pk if name != "la_code"]  # la_code is the same on every row
    if key_columns:
        taken = pa.array(candidates, pa.int64())
        distinct = distinct_count([column.take(taken) for column in key_columns]) if len(candidates) else 0
    else:
        distinct = min(len(candidates), 1)
    if distinct == len(candidates):
        return candidates
    python_values = {name: column.to_pylist() for name, column in values.items()}
    kept = _resolve_keys_by_row(spec, numbers.tolist(), python_values, checked, rejected, la_code)
    return np.array(kept, dtype=np.int64)


def _resolve_keys_by_row(
    spec: TableSpec,
    numbers: list[int],
    values: dict[str, list],
    checked: Checked,
    rejected: set[int],
    la_code: str | None,
) -> list[int]:
    """`resolve_keys` row by row, for a file whose keys repeat."""
    count = len(numbers)
    keys = list(zip(*([la_code] * count if name == "la_code" else values[name] for name in spec.pk), strict=True))
    candidates = [index for index in range(count) if index not in rejected]
    by_key: dict[tuple, list[int]] = defaultdict(list)
    for index in candidates:
        by_key[keys[index]].append(index)
    columns = [values[column.name] for column in spec.columns]
    dropped: set[int] = set()
    for key, group in by_key.items():
        if len(group) < 2:
            continue
        rows = [tuple(column[index] for column in columns) for index in group]
        first = numbers[group[0]]
        if all(row == rows[0] for row in rows):
            for index in group[1:]:
                message = f"duplicate of row {first} once trimmed and parsed: dropped"
                checked.quarantine.append(Issue(numbers[index], None, None, True, "W01", message))
                dropped.add(index)
            continue
        group_numbers = [numbers[index] for index in group]
        for index in group:
            others = ", ".join(str(other) for other in group_numbers if other != numbers[index])
            message = f"key ({', '.join(spec.pk)}) also on row(s) {others} with different values"
            raw = "|".join(str(part) for part in key)
            checked.quarantine.append(Issue(numbers[index], ",".join(spec.pk), raw, True, "R03", message))
            rejected.add(index)
    return [index for index in candidates if index not in rejected and index not in dropped]
