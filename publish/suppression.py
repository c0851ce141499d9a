"""Optional suppression of small counts, with the DfE's symbols (a setting, off by default).

When `suppress_below` is n > 0, every count from 1 to n - 1 (numerator or denominator) is withheld, and so is
any value derived from a withheld count, since a percentage and its denominator give the numerator back. A true
zero is shown (DfE practice). Typed files (Parquet) hold null in a withheld cell and the note `suppressed` in
`data_quality_flag`; text files (CSV, XLSX, dashboard) show the symbol. The audit runs on the unsuppressed
candidate: suppression is disclosure control at publication, never a way round a gate.

Symbols (DfE / GSS "Symbols in tables" convention, as used on explore-education-statistics):
    c  confidential: withheld to protect confidentiality
    z  not applicable (a count's denominator)
    x  not available (no data this month)
"""

from __future__ import annotations

import pyarrow as pa

CONFIDENTIAL = "c"
NOT_APPLICABLE = "z"
NOT_AVAILABLE = "x"
COUNT_COLUMNS = ("numerator", "denominator")
DERIVED_COLUMNS = ("value", "prev_value")
SUPPRESSED_NOTE = "suppressed"


def is_small(count: object, suppress_below: int) -> bool:
    return suppress_below > 0 and isinstance(count, int) and 0 < count < suppress_below


def row_is_suppressed(row: dict, suppress_below: int) -> bool:
    return any(is_small(row.get(column), suppress_below) for column in COUNT_COLUMNS)


def suppress_rows(
    rows: list[dict], suppress_below: int, derived_columns: tuple[str, ...] = DERIVED_COLUMNS
) -> list[dict]:
    """Rows with small counts and their derived values set to None and the note added (typed outputs).
    `derived_columns`: what a withheld count takes with it (the comparison adds the rank and quartile)."""
    if suppress_below <= 0:
        return rows
    result = []
    for row in rows:
        if not row_is_suppressed(row, suppress_below):
            result.append(row)
            continue
        withheld = dict(row)
        for column in (*COUNT_COLUMNS, *derived_columns):
            if column in withheld:
                withheld[column] = None
        if "data_quality_flag" in withheld:
            flag = withheld["data_quality_flag"]
            withheld["data_quality_flag"] = f"{flag},{SUPPRESSED_NOTE}" if flag else SUPPRESSED_NOTE
        result.append(withheld)
    return result


def suppress_table(table: pa.Table, suppress_below: int) -> pa.Table:
    """The typed table with small counts withheld (same schema)."""
    if suppress_below <= 0:
        return table
    return pa.Table.from_pylist(suppress_rows(table.to_pylist(), suppress_below), schema=table.schema)


def display_cell(row: dict, column: str, suppress_below: int) -> object:
    """The cell as a text output shows it. With suppression on, a withheld or absent figure is a DfE symbol;
    with it off, cells are the plain values (empty when absent), as Power BI and Excel users expect."""
    value = row.get(column)
    if suppress_below <= 0:
        return value
    if column in (*COUNT_COLUMNS, *DERIVED_COLUMNS) and row_is_suppressed(row, suppress_below):
        return CONFIDENTIAL
    if column == "denominator" and value is None and row.get("unit") != "%":
        return NOT_APPLICABLE
    if column in ("numerator", "value") and value is None:
        return NOT_AVAILABLE
    return value
