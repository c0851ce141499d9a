"""File-level defects of the SSD, local, HR and finance CSVs: the extract layer rejects the whole file (F01, F03,
F04, F06, F09) and never checks its rows. Duplicate columns, a non-UTF-8 byte and a stale manifest entry are made as
for the 903 (`synth.dirty.file_kinds`)."""

from __future__ import annotations

import random

from synth.dirty.file_kinds import duplicate_column, manifest_mismatch, not_utf8
from synth.dirty.sheet import Defect
from synth.dirty.table_sheet import TableSheet

# Upper-tier LA codes of the neighbours (the Berkshire unitaries): a delivery's la_code column says one of them.
_OTHER_LAS = ("E06000036", "E06000037", "E06000038", "E06000040", "E06000041", "E06000039")


def wrong_column_name(sheet: TableSheet, rng: random.Random) -> bool:
    """A required column exported under another name: the contract's column is absent (F03)."""
    names = [name for name in sheet.table.required if sheet.has(name)]
    if not names:
        return False
    column = rng.choice(names)
    new = column.replace("_", "") if "_" in column else f"{column}_code"
    sheet.header[sheet.position[column]] = new
    description = f"required column {column} exported as {new}: the required column is absent"
    sheet.defects.append(Defect("wrong_column_name", "F03", column, description, on_header=True))
    return True


def _csv_field(value: str) -> str:
    return '"' + value.replace('"', '""') + '"' if any(char in value for char in ',"\r\n') else value


def broken_quote(sheet: TableSheet, rng: random.Random) -> bool:
    """A field opens a double quote that never closes (the other fields are quoted as RFC 4180 says)."""
    if not sheet.records:
        return False
    record = rng.choice(sheet.records)
    index = rng.randrange(len(sheet.header))
    fields = [_csv_field(value) for value in record.fields]
    fields[index] = '"' + record.fields[index].replace('"', "")
    record.raw_line = ",".join(fields)
    column = sheet.header[index]
    description = f"{column} opens a double quote that is never closed: the rest of the file is one field"
    sheet.defects.append(Defect("broken_quote", "F01", column, description, record))
    return True


def la_mismatch(sheet: TableSheet, rng: random.Random) -> bool:
    """A `la_code` column (§0.2: non-statutory CSVs may carry one): the folder's LA on every row but one."""
    if sheet.has("la_code") or not sheet.records:
        return False
    other = rng.choice([code for code in _OTHER_LAS if code != sheet.facts.la_code])
    record = rng.choice(sheet.records)
    values = [other if candidate is record else sheet.facts.la_code for candidate in sheet.records]
    sheet.add_column(len(sheet.header), "la_code", values)
    description = f"la_code {other} on this row, not the folder's {sheet.facts.la_code}"
    sheet.defects.append(Defect("la_mismatch", "F06", "la_code", description, record))
    return True


TABLE_FILE_KIND_SPECS = {
    "wrong_column_name": wrong_column_name,
    "duplicate_column": duplicate_column,
    "not_utf8": not_utf8,
    "broken_quote": broken_quote,
    "manifest_mismatch": manifest_mismatch,
    "la_mismatch": la_mismatch,
}
