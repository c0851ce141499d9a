"""File-level defects: the header, the bytes or the manifest entry is wrong, so the extract layer rejects the
whole file (F01, F02, F04, F09) and never checks its rows."""

from __future__ import annotations

import random

from synth.dirty.sheet import Defect, Sheet

# Names a case system might export instead of the DfE ones; any other column loses its underscores or gains _CODE.
_MISNAMES = {
    "CHILD": "CHILD_ID",
    "DECOM": "DATE_COMMENCED",
    "DOB": "DATE_OF_BIRTH",
    "SEX": "GENDER",
    "PLACE": "PLACEMENT",
    "HOME_POST": "HOME_POSTCODE",
    "PL_POST": "PL_POSTCODE",
    "UPN": "UPN_NUMBER",
}


def _misname(column: str) -> str:
    return _MISNAMES.get(column) or (column.replace("_", "") if "_" in column else f"{column}_CODE")


def _header_defect(sheet: Sheet, kind: str, rule: str, column: str, description: str) -> None:
    sheet.defects.append(Defect(kind, rule, column, description, on_header=True))


def wrong_column_name(sheet: Sheet, rng: random.Random) -> bool:
    index = rng.randrange(len(sheet.header))
    column = sheet.header[index]
    sheet.header[index] = _misname(column)
    description = f"header {column} exported as {sheet.header[index]}: the column set matches no 903 table"
    _header_defect(sheet, "wrong_column_name", "F02", column, description)
    return True


def duplicate_column(sheet: Sheet, rng: random.Random) -> bool:
    index, other = rng.sample(range(len(sheet.header)), 2)
    column = sheet.header[index]
    sheet.header[index] = sheet.header[other]
    description = f"header {column} exported as a second {sheet.header[other]}"
    _header_defect(sheet, "duplicate_column", "F04", column, description)
    return True


def _some_field(sheet: Sheet, rng: random.Random):
    if not sheet.records:
        return None, None
    record = rng.choice(sheet.records)
    return record, rng.randrange(len(sheet.header))


def not_utf8(sheet: Sheet, rng: random.Random) -> bool:
    record, index = _some_field(sheet, rng)
    if record is None:
        return False
    record.fields[index] += "\udca3"  # written as the single byte 0xA3, a Windows-1252 pound sign
    column = sheet.header[index]
    sheet.defects.append(Defect("not_utf8", "F01", column, f"byte 0xA3 (Windows-1252) in {column}", record))
    return True


def broken_quote(sheet: Sheet, rng: random.Random) -> bool:
    record, index = _some_field(sheet, rng)
    if record is None:
        return False
    fields = list(record.fields)  # generated values hold no comma or quote, so joining them is valid CSV
    fields[index] = '"' + fields[index]
    record.raw_line = ",".join(fields)
    column = sheet.header[index]
    description = f"{column} opens a double quote that is never closed: the rest of the file is one field"
    sheet.defects.append(Defect("broken_quote", "F01", column, description, record))
    return True


def manifest_mismatch(sheet: Sheet, rng: random.Random) -> bool:
    """Marked here, applied when the manifest is rewritten (`make._update_manifest`)."""
    if sheet.facts.manifest is None:
        return False
    field = rng.choice(("rows", "sha256"))
    description = f"_delivery.json files[] {field} of this file is stale (the file was edited after the manifest)"
    sheet.defects.append(Defect("manifest_mismatch", "F09", field, description))
    return True


FILE_KIND_SPECS = {
    "wrong_column_name": wrong_column_name,
    "duplicate_column": duplicate_column,
    "not_utf8": not_utf8,
    "broken_quote": broken_quote,
    "manifest_mismatch": manifest_mismatch,
}
