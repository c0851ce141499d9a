"""Row-level defects: each kind lists the places it could go (candidates) and injects itself into one of them.

Every defect goes on a record no other defect has touched (nor supports, like the next episode of an overlap), so
each record carries at most one finding and the truth file can name the rule the extract layer must report for it.
A defect is also made so that it triggers that rule and nothing else: e.g. a future DECOM leaves the row's DEC alone
because the extract layer skips the DEC-after-DECOM check once DECOM itself has failed.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import timedelta

from synth.dirty.shapes import legacy_code, wrong_year_code
from synth.dirty.sheet import Defect, Record, Sheet, dmy

Candidate = tuple[tuple[Record, ...], str | None]  # the records involved (the defect goes on the first), column

# Not postcodes by the gov.uk pattern: an outward code alone, words, digits, a half inward code, a bad area.
BAD_POSTCODES = ("SL1", "NOT KNOWN", "0000000", "SL1 2", "SL11 22EL", "QQ1 1AA", "ZZ99 9ZZ")
_IMPOSSIBLE_DAYS = ("31/02", "30/02", "31/04", "31/06", "31/09", "31/11")  # never real, leap year or not
_DQ_NOTE = "a data-quality finding downstream, not an input rejection"


@dataclass(frozen=True)
class RowKind:
    name: str
    rule: str
    rejected_rows: int  # rows the extract layer rejects per defect (for the F07 cap)
    candidates: Callable[[Sheet], list[Candidate]]
    inject: Callable[[Sheet, random.Random, Candidate], bool]


def _cells(sheet: Sheet, columns: Iterable[str], *, filled: bool = True) -> list[Candidate]:
    columns = [column for column in columns if column in sheet.position]
    return [
        ((record,), column) for record in sheet.records for column in columns if not filled or sheet.get(record, column)
    ]


def _add(sheet: Sheet, kind: str, rule: str, record: Record, column: str | None, description: str) -> bool:
    sheet.claim(record)
    sheet.defects.append(Defect(kind, rule, column, description, record))
    return True


def _wrong_year(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    end = sheet.get_date(record, "DEC") if sheet.shape.episodes else None
    code = wrong_year_code(column, sheet.facts.schema_year, sheet.get(record, column), end, rng)
    if code is None or not sheet.change(record, {column: code}):
        return False
    description = f"{column} '{code}' is another year's code, not {sheet.facts.collection_year}'s"
    return _add(sheet, "wrong_year_code", "R02", record, column, description)


def _legacy_cells(sheet: Sheet) -> list[Candidate]:
    if not sheet.shape.episodes:
        return []
    cells = _cells(sheet, sheet.shape.wrong_year)
    return [((record,), column) for (record,), column in cells if sheet.get(record, "DEC")]


def _legacy(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    """A retired code on an episode moved to end before the code was retired: accepted, with W07."""
    (record,), column = candidate
    decom = sheet.get_date(record, "DECOM")
    found = legacy_code(column, sheet.facts.schema_year, sheet.get(record, column), decom) if decom else None
    if found is None:
        return False
    code, last_end = found
    ended = decom + timedelta(days=rng.randint(1, (last_end - decom).days))
    if not sheet.change(record, {column: code, "DEC": dmy(ended)}):
        return False
    description = f"{column} '{code}' (retired) on an episode whose DEC is moved before its retirement: accepted"
    return _add(sheet, "legacy_code", "W07", record, column, description)


def _unknown(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    code = dict(sheet.shape.unknown_codes)[column]
    if not sheet.change(record, {column: code}):
        return False
    return _add(sheet, "unknown_code", "R02", record, column, f"{column} '{code}' is in no year's code list")


def _missing(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    if not sheet.change(record, {column: ""}):
        return False
    return _add(sheet, "missing_mandatory", "R04", record, column, f"required {column} left blank")


def _bad_date(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    day = sheet.get_date(record, column)
    if day is None:
        return False
    forms = {
        "an ISO date (YYYY-MM-DD)": day.isoformat(),
        "an impossible calendar date (e.g. 31/02)": f"{rng.choice(_IMPOSSIBLE_DAYS)}/{day.year}",
    }
    if day.day < 10 or day.month < 10:
        forms["d/m/YYYY without leading zeros"] = f"{day.day}/{day.month}/{day.year}"
    form = rng.choice(sorted(forms))
    if not sheet.change(record, {column: forms[form]}):
        return False
    return _add(sheet, "bad_date", "R01", record, column, f"{column} written as {form}")


def _future(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    days = rng.randint(2, 60)  # not +1: §0.5 reads "up to as_at_date + 1 day" while §0.8 says after as_at is R06
    if not sheet.change(record, {column: dmy(sheet.facts.as_at + timedelta(days=days))}):
        return False
    return _add(sheet, "future_date", "R06", record, column, f"{column} {days} days after the file's as-at date")


def _ordering_cells(sheet: Sheet) -> list[Candidate]:
    return [
        ((record,), end)
        for start, end, _strict in sheet.shape.orderings
        for record in sheet.records
        if sheet.get(record, start) and sheet.get(record, end)
    ]


def _end_before_start(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    start, _end, strict = next(ordering for ordering in sheet.shape.orderings if ordering[1] == column)
    start_day = sheet.get_date(record, start)
    if start_day is None:
        return False
    days = rng.randint(0 if strict else 1, 30)
    if not sheet.change(record, {column: dmy(start_day - timedelta(days=days))}):
        return False
    relation = f"equal to {start}" if days == 0 else f"{days} days before {start}"
    return _add(sheet, "end_before_start", "R05", record, column, f"{column} {relation}")


def _rec_cells(sheet: Sheet) -> list[Candidate]:
    return [((record,), "REC") for record in sheet.records] if sheet.shape.episodes else []


def _rec_without_dec(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    if sheet.get(record, "DEC"):
        changes, description = {"DEC": ""}, "DEC blanked on a ceased episode, its REC kept"
    elif not sheet.get(record, "REC"):
        changes, description = {"REC": "E8"}, "REC 'E8' given on an open episode (DEC blank)"
    else:
        return False
    if not sheet.change(record, changes):
        return False
    return _add(sheet, "rec_without_dec", "R05", record, column, description)


def _conflict_cells(sheet: Sheet) -> list[Candidate]:
    if sheet.shape.conflict is None:
        return []
    column, values = sheet.shape.conflict
    return [((record,), column) for record in sheet.records if sheet.get(record, column) in values]


def _conflicting_key(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    values = sheet.shape.conflict[1]
    other = rng.choice([value for value in values if value != sheet.get(record, column)])
    copy = Record(list(record.fields))
    copy.fields[sheet.position[column]] = other
    sheet.insert(_between_pairs(sheet, rng.randint(0, len(sheet.records))), copy)
    key = ",".join(sheet.shape.pk)
    description = f"two rows share the key ({key}) with different {column}: both are rejected"
    _add(sheet, "conflicting_key", "R03", record, key, description)
    return _add(sheet, "conflicting_key", "R03", copy, key, description)


def _between_pairs(sheet: Sheet, position: int) -> int:
    """`position`, or the first later one that does not split two claimed neighbours: an overlap or unclosed pair
    (an episode and the child's next one) must stay adjacent."""
    records = sheet.records
    while 0 < position < len(records):
        if sheet.is_free(records[position - 1]) or sheet.is_free(records[position]):
            break
        position += 1
    return position


def _duplicate(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), _column = candidate
    copy = Record(list(record.fields))
    sheet.insert(_between_pairs(sheet, rng.randint(sheet.index(record) + 1, len(sheet.records))), copy)
    sheet.claim(record)
    return _add(sheet, "duplicate_row", "W01", copy, None, "exact copy of an earlier row: the copy is dropped")


def _postcode(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (record,), column = candidate
    if not sheet.change(record, {column: rng.choice(BAD_POSTCODES)}):
        return False
    return _add(sheet, "invalid_postcode", "W05", record, column, f"{column} is not a UK postcode: nulled, row kept")


def _episode_pairs(sheet: Sheet) -> list[Candidate]:
    """(episode, the child's next episode) for every ceased episode followed by another in the file."""
    if not sheet.shape.episodes:
        return []
    pairs = zip(sheet.records, sheet.records[1:], strict=False)
    return [
        ((first, second), "DEC")
        for first, second in pairs
        if sheet.get(first, "CHILD") and sheet.get(first, "CHILD") == sheet.get(second, "CHILD")
        if sheet.get(first, "DEC")
    ]


def _overlap(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (first, second), column = candidate
    start, end = sheet.get_date(second, "DECOM"), sheet.get_date(second, "DEC")
    ceased = sheet.get_date(first, "DEC")
    if start is None or ceased is None or ceased > start or not sheet.is_free(second):
        return False
    room = ((end - start).days if end else (sheet.facts.as_at - start).days + 1) - 1  # keep DEC < next DEC, <= as_at
    if room < 1:
        return False
    days = rng.randint(1, min(30, room))
    if not sheet.change(first, {"DEC": dmy(start + timedelta(days=days))}):
        return False
    sheet.claim(second)
    description = f"DEC moved {days} days after the next episode's DECOM: the episodes overlap ({_DQ_NOTE})"
    return _add(sheet, "overlapping_episodes", "DQ_OVERLAP", first, column, description)


def _unclosed(sheet: Sheet, rng: random.Random, candidate: Candidate) -> bool:
    (first, second), column = candidate
    if not sheet.is_free(second) or not sheet.change(first, {"DEC": "", "REC": "", "REASON_PLACE_CHANGE": ""}):
        return False
    sheet.claim(second)
    description = f"episode left open (DEC, REC, reason blanked) though the child's next episode follows ({_DQ_NOTE})"
    return _add(sheet, "unclosed_episode", "DQ_UNCLOSED", first, column, description)


ROW_KIND_SPECS: dict[str, RowKind] = {
    kind.name: kind
    for kind in (
        RowKind("overlapping_episodes", "DQ_OVERLAP", 0, _episode_pairs, _overlap),
        RowKind("unclosed_episode", "DQ_UNCLOSED", 0, _episode_pairs, _unclosed),
        RowKind("legacy_code", "W07", 0, _legacy_cells, _legacy),
        RowKind("invalid_postcode", "W05", 0, lambda s: _cells(s, s.shape.postcodes, filled=False), _postcode),
        RowKind("wrong_year_code", "R02", 1, lambda s: _cells(s, s.shape.wrong_year), _wrong_year),
        RowKind("unknown_code", "R02", 1, lambda s: _cells(s, dict(s.shape.unknown_codes)), _unknown),
        RowKind("missing_mandatory", "R04", 1, lambda s: _cells(s, s.shape.required), _missing),
        RowKind("bad_date", "R01", 1, lambda s: _cells(s, s.shape.dates), _bad_date),
        RowKind(
            "future_date",
            "R06",
            1,
            lambda s: _cells(s, [c for c in s.shape.dates if c not in s.shape.future_ok]),
            _future,
        ),
        RowKind("end_before_start", "R05", 1, _ordering_cells, _end_before_start),
        RowKind("rec_without_dec", "R05", 1, _rec_cells, _rec_without_dec),
        RowKind("conflicting_key", "R03", 2, _conflict_cells, _conflicting_key),
        RowKind("duplicate_row", "W01", 0, lambda s: [((record,), None) for record in s.records], _duplicate),
    )
}
