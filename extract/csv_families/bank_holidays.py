"""The gov.uk `bank-holidays.json` as `ref_bank_holidays` (input contract §5): the england-and-wales events only.

The file is the object gov.uk publishes, keyed by division, each `{"division": ..., "events": [{"title", "date",
"notes", "bunting"}, ...]}`. Its england-and-wales events become the same rows a `ref_bank_holidays.csv` would hold
(`date`, `title`, `division` = `england-and-wales`), checked by the same row rules and landed in the same table; the
other divisions are not read (only england-and-wales is used). `notes` and `bunting` are not columns of the table.
An event's `source_row` is its position in `england-and-wales.events` counted from 2, as if the events were the
rows of a CSV under its header.
"""

from __future__ import annotations

import json

from extract.csv_reader import FileRejected, ParsedCsv, not_utf8

DIVISION = "england-and-wales"
HEADER = ["DATE", "TITLE", "DIVISION"]  # as `parse_csv` gives a header: trimmed, upper-cased


def is_bank_holidays_json(stem: str, extension: str) -> bool:
    """`bank-holidays.json` (the gov.uk name) or `ref_bank_holidays.json` (the contract's table name)."""
    return extension == "json" and stem in ("bank-holidays", "bank_holidays", "ref_bank_holidays")


def parse_bank_holidays(data: bytes) -> ParsedCsv:
    """The england-and-wales events as CSV-shaped records, or FileRejected (F01 not UTF-8 JSON, F03 no
    england-and-wales events list)."""
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError as error:
        raise FileRejected("F01", not_utf8(data, error.start)) from None
    except json.JSONDecodeError as error:
        raise FileRejected("F01", f"not well-formed JSON (line {error.lineno}: {error.msg})") from None
    except (ValueError, RecursionError):  # json.loads's other refusals: a number past 4300 digits, deep nesting
        raise FileRejected("F01", "not readable JSON (nested too deeply or a number too long)") from None
    division = document.get(DIVISION) if isinstance(document, dict) else None
    events = division.get("events") if isinstance(division, dict) else None
    if not isinstance(events, list):
        raise FileRejected("F03", f"no {DIVISION}.events list (the gov.uk bank-holidays.json layout)")
    records = []
    for number, event in enumerate(events, start=2):
        fields = event if isinstance(event, dict) else {}
        records.append((number, [_text(fields.get("date")), _text(fields.get("title")), DIVISION]))
    return ParsedCsv(HEADER, records)


def _text(value: object) -> str:
    """A JSON value as the CSV text it would be: null is empty; anything not a string is its JSON form."""
    if value is None:
        return ""
    return value if isinstance(value, str) else json.dumps(value)
