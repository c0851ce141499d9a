"""Arrow helpers the row checks of every CSV family share: `str.strip()` of a whole column, and how many distinct
rows some columns hold."""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc

# What `str.strip()` removes: every code point `str.isspace()` holds true for, \x1c-\x1f among them (written out:
# scanning all of Unicode for them costs a third of a second at import; tests/extract pins the two as equal).
WHITESPACE = (
    "\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
    "\u200a\u2028\u2029\u202f\u205f\u3000"
)


def strip(texts: pa.Array) -> pa.Array:
    """`str.strip()` of every value."""
    return pc.utf8_trim(texts, characters=WHITESPACE)


def distinct_count(columns: list[pa.Array]) -> int:
    """How many distinct rows the columns hold (nulls equal to each other, as None is in a Python tuple). When one
    column's values are all different, so are the rows: that column is counted alone (the usual case, an id)."""
    count = len(columns[0])
    for column in columns:
        distinct = len(pc.unique(column))  # null is one of the values; twice as fast as count_distinct
        if distinct == count or len(columns) == 1:
            return distinct
    names = [f"c{number}" for number in range(len(columns))]
    return pa.table(columns, names=names).group_by(names, use_threads=False).aggregate([]).num_rows
