"""Row-level and header-level defects of the SSD, local, HR and finance CSVs (input contract §0.4, §0.5, §0.8).

As for the 903 (`synth.dirty.row_kinds`), every defect goes on a row no other defect has touched, and is made so that
it triggers its rule and nothing else: a future start date leaves the end alone (the extract layer skips the ordering
once the start has failed), a bare date in a datetime column is only put where midnight keeps the ordering, and a
conflicting copy takes a value another row already has in a column no table rule reads.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation

from synth.dirty.engine import ATTEMPTS, Kind
from synth.dirty.row_kinds import BAD_POSTCODES
from synth.dirty.sheet import Defect, Record
from synth.dirty.table_shapes import PROHIBITED
from synth.dirty.table_sheet import TableSheet

_IMPOSSIBLE_DAYS = ("02-30", "02-31", "04-31", "06-31", "09-31", "11-31")  # never real, leap year or not
_NULL_LITERALS = ("NULL", "N/A", "None")
_UNLISTED = "ZZ9"  # in no contract list
# Header names read as personal data by their words (§11.2): never the new name of a misnamed column.
_PERSONAL_WORDS = ("name", "address", "birth", "dob", "note", "bank", "salary", "pay")

Change = tuple[dict[str, str], str]  # (new values of the record, description)


def _add(sheet: TableSheet, kind: str, rule: str, record: Record, column: str | None, description: str) -> None:
    sheet.claim(record)
    sheet.defects.append(Defect(kind, rule, column, description, record))


def _changing(kind: str, rule: str, rejects: int, columns: Callable[[TableSheet], list[str]], make: Callable) -> Kind:
    """A kind that rewrites one value (or a few) of a free row: `make(sheet, rng, record, column)` returns the
    change, or None when this place does not suit it."""

    def inject(sheet: TableSheet, rng: random.Random, budget: int | None) -> int | None:
        names = [name for name in columns(sheet) if sheet.has(name)]
        if not names or not sheet.records:
            return None
        for _ in range(ATTEMPTS):
            record = sheet.records[rng.randrange(len(sheet.records))]
            column = names[rng.randrange(len(names))]
            if not sheet.is_free(record):
                continue
            change = make(sheet, rng, record, column)
            if change is not None and sheet.change(record, change[0]):
                _add(sheet, kind, rule, record, column, change[1])
                return rejects
        return None

    return Kind(kind, rule, rejects, inject)


def _filled(make: Callable) -> Callable:
    return lambda sheet, rng, record, column: make(sheet, rng, record, column) if sheet.get(record, column) else None


def _nullable(sheet: TableSheet) -> list[str]:
    shape = sheet.table
    reserved = {*shape.pk, *shape.required, *shape.conditional}
    return [name for name in sheet.position if name not in reserved]


def _postcode(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change:
    return {column: rng.choice(BAD_POSTCODES)}, f"{column} is not a UK postcode: nulled, row kept"


def _unlisted(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change:
    return {column: _UNLISTED}, f"{column} '{_UNLISTED}' is not in its contract list: nulled, row kept"


def _null_literal(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change:
    literal = rng.choice(_NULL_LITERALS)
    return {column: literal}, f"{column} exported as the null literal '{literal}': read as null"


def _orderings_hold(sheet: TableSheet, record: Record, column: str, value: datetime) -> bool:
    """Whether `value` in `column` keeps every ordering of the table that the column is part of."""
    for start, end in sheet.table.orderings:
        if column not in (start, end) or not sheet.has(start) or not sheet.has(end):
            continue
        other = _moment(sheet, record, end if column == start else start)
        if other is not None and (other < value if column == start else value < other):
            return False
    return True


def _moment(sheet: TableSheet, record: Record, column: str) -> datetime | None:
    day = sheet.get_datetime(record, column)
    if day is None and (plain := sheet.get_date(record, column)) is not None:
        day = datetime(plain.year, plain.month, plain.day)
    return day


def _bare_date(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    moment = sheet.get_datetime(record, column)
    if moment is None or moment.time() == datetime.min.time():
        return None
    midnight = datetime(moment.year, moment.month, moment.day)
    if not _orderings_hold(sheet, record, column, midnight):
        return None  # an end moved back to midnight would fall before its start (R05 as well)
    return {column: midnight.date().isoformat()}, f"{column} given as a bare date: midnight assumed"


def _missing(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change:
    return {column: ""}, f"required {column} left blank"


def _bad_date(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    day = sheet.get_date(record, column)
    if day is None:
        return None
    forms = {"dd/mm/YYYY": f"{day:%d/%m/%Y}", "YYYY/MM/DD": f"{day:%Y/%m/%d}", "YYYYMMDD": f"{day:%Y%m%d}"}
    form = rng.choice(sorted(forms))
    return {column: forms[form]}, f"{column} written as {form}, not YYYY-MM-DD"


def _impossible_date(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    day = sheet.get_date(record, column)
    if day is None:
        return None
    text = f"{day.year}-{rng.choice(_IMPOSSIBLE_DAYS)}"
    return {column: text}, f"{column} is an impossible calendar date ({text[5:]})"


def _future(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    days = rng.randint(2, 60)  # not +1: §0.5 reads "up to as_at_date + 1 day" while §0.8 says after as_at is R06
    day = sheet.facts.as_at + timedelta(days=days)
    moment = sheet.get_datetime(record, column)
    if column in sheet.table.datetimes:
        if moment is None:
            return None
        text = f"{day.isoformat()}T{moment:%H:%M}"
    else:
        text = day.isoformat()
    return {column: text}, f"{column} {days} days after the file's as-at date"


def _bad_datetime(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    moment = sheet.get_datetime(record, column)
    if moment is None:
        return None
    forms = {
        "dd/mm/YYYY HH:MM": f"{moment:%d/%m/%Y %H:%M}",
        "a dot between hours and minutes": f"{moment:%Y-%m-%dT%H.%M}",
        "an offset without a colon": f"{moment:%Y-%m-%dT%H:%M}+0100",
    }
    form = rng.choice(sorted(forms))
    return {column: forms[form]}, f"{column} written with {form}"


def _bad_amount(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    text = sheet.get(record, column)
    try:
        amount = Decimal(text)
    except InvalidOperation:
        return None
    forms = {}
    if "." in text:
        forms["a decimal comma"] = text.replace(".", ",")
    if any(word in column for word in ("gbp", "rate", "amount")):
        forms["a pound sign"] = f"£{text}"
    if abs(amount) >= 1000:
        forms["thousands separators"] = f"{amount:,}"
    if amount < 0:
        forms["brackets for a negative amount"] = f"({text[1:]})"
    if not forms:
        return None
    form = rng.choice(sorted(forms))
    return {column: forms[form]}, f"{column} written with {form}"


def _unknown(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change:
    code = dict(sheet.table.key_codes)[column]
    return {column: code}, f"{column} '{code}' is not a valid code (★ key code)"


def _end_before_start(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    start = next(first for first, end in sheet.table.orderings if end == column)
    if not sheet.has(start) or not sheet.get(record, column):
        return None
    days = rng.randint(1, 30)
    moment = sheet.get_datetime(record, start)
    if moment is not None:
        text = (moment - timedelta(days=days)).isoformat(timespec="minutes")
    elif (day := sheet.get_date(record, start)) is not None:
        text = (day - timedelta(days=days)).isoformat()
    else:
        return None
    return {column: text}, f"{column} {days} days before {start}"


def _period_outside_fy(sheet: TableSheet, rng: random.Random, record: Record, column: str) -> Change | None:
    fy = sheet.get(record, sheet.table.fy_period[0])
    if len(fy) != 7 or not fy[:4].isdigit():
        return None
    start = int(fy[:4])
    period = rng.choice((f"{start}-03", f"{start + 1}-04"))  # the month either side of the financial year
    return {column: period}, f"{column} {period} is outside fy {fy}"


_PERM_CAP = Decimal("1.5")


def _perm_over_cap(sheet: TableSheet, rng: random.Random, budget: int | None) -> int | None:
    """§4.1: a person's overlapping PERM assignments may not total more than 1.5 FTE (R05 on the later row). A copy
    of a free open-ended PERM assignment, moved to another post and starting 1-60 days later (not after the as-at
    date), with an FTE that takes the two over 1.5 (at most 1.5 itself, so the value alone is valid): the copy is the
    later row, so it alone is rejected, and a rejected row counts for no row after it."""
    if not sheet.table.perm_cap or not sheet.records:
        return None
    posts = sorted({sheet.get(record, "post_id") for record in sheet.records} - {""})
    keys = {tuple(sheet.get(record, name) for name in sheet.table.pk) for record in sheet.records}
    for _ in range(ATTEMPTS):
        record = sheet.records[rng.randrange(len(sheet.records))]
        start = sheet.get_date(record, "start_date")
        if not sheet.is_free(record) or sheet.get(record, "contract_type").upper() != "PERM" or start is None:
            continue
        try:
            fte = Decimal(sheet.get(record, "fte"))
        except InvalidOperation:
            continue
        later = start + timedelta(days=rng.randint(1, 60))
        others = [post for post in posts if post != sheet.get(record, "post_id")]
        if sheet.get(record, "end_date") or not 0 < fte <= _PERM_CAP or later > sheet.facts.as_at or not others:
            continue
        post = others[rng.randrange(len(others))]
        if (sheet.get(record, "person_id"), post, later.isoformat()) in keys:
            continue
        added = min(_PERM_CAP, Decimal("1.60") - fte)  # fte + added >= 1.6, or 1.5 + fte
        copy = Record(list(record.fields))
        for column, value in (("post_id", post), ("start_date", later.isoformat()), ("fte", f"{added:.2f}")):
            copy.fields[sheet.position[column]] = value
        sheet.add_after(record, copy)
        sheet.claim(record)
        description = f"a second open PERM assignment from {later.isoformat()}: fte {fte} + {added:.2f} is over 1.5"
        _add(sheet, "perm_over_cap", "R05", copy, "fte", description)
        return 1
    return None


def _conflicting_key(sheet: TableSheet, rng: random.Random, budget: int | None) -> int | None:
    column = sheet.table.conflict
    if column is None or not sheet.has(column) or len(sheet.records) < 2:
        return None
    for _ in range(ATTEMPTS):
        record, other = (sheet.records[rng.randrange(len(sheet.records))] for _ in range(2))
        value = sheet.get(other, column)  # a clean row's value: valid for the column, so only the key conflicts
        if not sheet.is_free(record, other) or not value or _same(value, sheet.get(record, column)):
            continue
        copy = Record(list(record.fields))
        copy.fields[sheet.position[column]] = value
        sheet.add_after(record, copy)
        key = ",".join(sheet.table.pk)
        description = f"two rows share the key ({key}) with different {column}: both are rejected"
        _add(sheet, "conflicting_key", "R03", record, key, description)
        _add(sheet, "conflicting_key", "R03", copy, key, description)
        return 2
    return None


def _same(one: str, other: str) -> bool:
    """Equal once parsed, as the extract layer compares rows of one key (amounts as numbers, codes in any case)."""
    try:
        return Decimal(one) == Decimal(other)
    except InvalidOperation:
        return one.upper() == other.upper()


def _duplicate(sheet: TableSheet, rng: random.Random, budget: int | None) -> int | None:
    for _ in range(ATTEMPTS if sheet.records else 0):
        record = sheet.records[rng.randrange(len(sheet.records))]
        if not sheet.is_free(record):
            continue
        copy = Record(list(record.fields))
        sheet.add_after(record, copy)
        sheet.claim(record)
        _add(sheet, "duplicate_row", "W01", copy, None, "exact copy of the row above: the copy is dropped")
        return 0
    return None


def _ends(sheet: TableSheet) -> list[str]:
    return [end for _start, end in sheet.table.orderings]


def _not_future(sheet: TableSheet) -> list[str]:
    return [name for name in (*sheet.table.dates, *sheet.table.datetimes) if name not in sheet.table.future_ok]


TABLE_KIND_SPECS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _changing("invalid_postcode", "W05", 0, lambda s: list(s.table.postcodes), _postcode),
        _changing("unlisted_code", "W05", 0, lambda s: list(s.table.codes), _unlisted),
        _changing("null_literal", "W03", 0, _nullable, _null_literal),
        _changing("date_in_datetime", "W04", 0, lambda s: list(s.table.datetimes), _bare_date),
        _changing("missing_mandatory", "R04", 1, lambda s: list(s.table.required), _filled(_missing)),
        _changing("bad_date", "R01", 1, lambda s: list(s.table.dates), _bad_date),
        _changing("impossible_date", "R01", 1, lambda s: list(s.table.dates), _impossible_date),
        _changing("future_date", "R06", 1, _not_future, _filled(_future)),
        _changing("bad_datetime", "R01", 1, lambda s: list(s.table.datetimes), _bad_datetime),
        _changing("bad_amount", "R01", 1, lambda s: list(s.table.amounts), _bad_amount),
        _changing("unknown_code", "R02", 1, lambda s: [c for c, _ in s.table.key_codes], _unknown),
        _changing("end_before_start", "R05", 1, _ends, _end_before_start),
        _changing(
            "period_outside_fy",
            "R05",
            1,
            lambda s: [s.table.fy_period[1]] if s.table.fy_period else [],
            _period_outside_fy,
        ),
        Kind("conflicting_key", "R03", 2, _conflicting_key),
        Kind("duplicate_row", "W01", 0, _duplicate),
        Kind("perm_over_cap", "R05", 1, _perm_over_cap),
    )
}


def prohibited_column(sheet: TableSheet, rng: random.Random) -> bool:
    """A prohibited personal-data column (§11.2), left blank (test data never holds names): dropped with W10."""
    name = sheet.table.prohibited or PROHIBITED[sheet.family]
    if sheet.has(name):
        return False
    sheet.add_column(rng.randint(0, len(sheet.header)), name, [""] * len(sheet.records))
    description = f"prohibited personal-data column {name} delivered: dropped before landing"
    sheet.defects.append(Defect("prohibited_column", "W10", name, description, on_header=True))
    return True


def misnamed_column(sheet: TableSheet, rng: random.Random) -> bool:
    """An optional column exported under another name (its underscores dropped): unknown, so ignored with W02.

    Not a key, required, conditional, conflict or ordered column, nor one that carries a row defect (its value, or
    the rule it is checked by, would be lost with the column), nor one whose name reads as personal data (W10)."""
    shape = sheet.table
    touched = {defect.field for defect in sheet.defects}
    ordered = {name for pair in (*shape.orderings, shape.fy_period or ()) for name in pair}
    reserved = {*shape.pk, *shape.required, *shape.conditional, shape.conflict, *ordered, *touched}
    names = [
        name
        for name in sheet.position
        if name not in reserved and "_" in name and not any(word in name for word in _PERSONAL_WORDS)
    ]
    if not names:
        return False
    column = rng.choice(names)
    new = column.replace("_", "")
    sheet.header[sheet.position[column]] = new
    description = f"optional column {column} exported as {new}: not a column of {shape.name}, ignored"
    sheet.defects.append(Defect("misnamed_column", "W02", new, description, on_header=True))
    return True


HEADER_KIND_SPECS = {"prohibited_column": prohibited_column, "misnamed_column": misnamed_column}
