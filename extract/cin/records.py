"""One validated CIN `Child` as records of the landed CIN tables, and the row rules over them (input contract
§1.2.6, §1.2.7).

`flatten` runs once per Child (after its XSD validation): every element is visited once (its children's texts are
gathered in one pass, as `findtext` would give them: the first element of each name), and each record holds its
values as a list in the landed column order of its table. `check` applies the row rules (R03 repeated LAchildID,
R05 an end before its start, R06 an event after the as-at date, W01 a repeated disability or factor) and returns the
landed tables column by column.

Every rule but R03 looks at one Child only, so `ChildChecker` applies them as each Child is flattened and keeps only
the landed values, as Arrow columns (a few bytes a value instead of a Python object each): the file's records are
never all held. When a LAchildID turns out to be on two Children (R03, which needs the whole file), the reader reads
the file again and `check` runs over all its records, as before.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

import pyarrow as pa
from lxml import etree

from extract.cin.tables import CIN_TABLES, EVENT_DATES, FOLDERS, ORDERINGS, PERSONAL, schema_of
from extract.reading import Checked, LandedTable
from extract.rows import Issue

_NAMES = {folder: [name for name, _kind in columns] for folder, columns in CIN_TABLES.items()}
_LANDED = {folder: [name.lower() for name in names] for folder, names in _NAMES.items()}
_INDEX = {folder: {name: index for index, name in enumerate(names)} for folder, names in _NAMES.items()}
_BLOCKS = (  # (element under CINdetails, folder, start date element): the order the keys are numbered in
    ("Assessments", "assessment", "AssessmentActualStartDate"),
    ("CINPlanDates", "plan_dates", "CINPlanStartDate"),
    ("Section47", "s47", "S47ActualStartDate"),
    ("ChildProtectionPlans", "cp_plan", "CPPstartDate"),
)
_BLOCK_TAGS = frozenset(block[0] for block in _BLOCKS)
# Per folder, in landed column order: (position, name) of the event dates (R06) and the orderings (R05).
_EVENTS = {
    folder: [(index, name) for index, name in enumerate(names) if name in EVENT_DATES]
    for folder, names in _NAMES.items()
}
_ORDERS = {
    folder: [
        (_INDEX[folder][start], _INDEX[folder][end], start, end) for table, start, end in ORDERINGS if table == folder
    ]
    for folder in FOLDERS
}


_TEXT, _DATE, _BOOL, _INT = range(4)  # how a column's text becomes its landed value


def _kind(kind: object) -> int:
    """Values the XSD has already validated: xs:date (an optional zone is dropped), 0/1 flags, integers."""
    name = str(kind)
    return _DATE if name.startswith("date") else _BOOL if name == "bool" else _INT if name == "int64" else _TEXT


# Per folder: element name -> (position, kind) of the columns read from the block's own elements, after the keys
# it is given (the child record none, an episode its key and LAchildID, a block its key, the episode's and LAchildID).
_GIVEN = {"child": 0, "episode": 2, "assessment": 3, "plan_dates": 3, "s47": 3, "cp_plan": 3}
_READ = {
    folder: {name: (index, _kind(kind)) for index, (name, kind) in enumerate(CIN_TABLES[folder]) if index >= given}
    for folder, given in _GIVEN.items()
}
_WIDTH = {folder: len(columns) for folder, columns in CIN_TABLES.items()}


_ETHNICITY = _INDEX["child"]["Ethnicity"]
_NO_RAW = (None, None, None, None)  # a factor's raw texts: none is shown in a finding


@dataclass(slots=True)
class Record:
    folder: str
    line: int
    values: list  # in the landed column order of the folder's table (`CIN_TABLES`)
    raw: list  # the stripped text of each column read from an element (None: not read, or no such element)
    parent: Record | None = None
    finding: Issue | None = None  # the R* or W01 that quarantines it
    rejected: bool = False  # an R* finding (not a W01 drop)


def _read(texts: dict[str, str], folder: str, given: list) -> tuple[list, list]:
    """Values and raw texts of a record whose first columns are `given` (keys and LAchildID, already known); the
    others are the stripped texts of the block's elements (`texts`), converted, or None for an element absent."""
    width = _WIDTH[folder]
    values = given + [None] * (width - len(given))
    raw: list = [None] * width
    columns = _READ[folder]
    for tag, text in texts.items():
        found = columns.get(tag)
        if found is None:
            continue
        index, kind = found
        text = text.strip()
        raw[index] = text
        if not text:
            continue
        if kind == _TEXT:
            values[index] = text
        elif kind == _DATE:
            values[index] = date.fromisoformat(text[:10])
        elif kind == _BOOL:
            values[index] = text == "1"
        else:
            values[index] = int(text)
    return values, raw


def _split(element: etree._Element, containers: frozenset[str]) -> tuple[dict[str, str], dict[str, list]]:
    """The text of each child element by name, of the first of each name ('' when it has none: what `findtext`
    gives), and the child elements named in `containers`, by name, in document order."""
    texts: dict[str, str] = {}
    found: dict[str, list] = {}
    for sub in element:
        tag = sub.tag
        if tag in containers:
            if tag in found:
                found[tag].append(sub)
            else:
                found[tag] = [sub]
        if tag not in texts:
            texts[tag] = sub.text or ""
    return texts, found


_CHILD_PARTS = frozenset({"ChildIdentifiers", "ChildCharacteristics", "CINdetails"})
_UNDER_BLOCK = frozenset({"FactorsIdentifiedAtAssessment", "Reviews"})
_DISABILITIES = frozenset({"Disabilities"})


def flatten(child: etree._Element, la_code: str) -> list[Record]:
    """One Child as records of the landed tables, parents before the records under them (§1.2.6 keys)."""
    _texts, parts = _split(child, _CHILD_PARTS)
    identifiers, characteristics = parts["ChildIdentifiers"][0], parts["ChildCharacteristics"][0]
    identifier_texts, _found = _split(identifiers, frozenset())
    child_id = identifier_texts.get("LAchildID", "").strip()
    values, raw = _read(identifier_texts, "child", [])
    characteristic_texts, lists = _split(characteristics, _DISABILITIES)
    ethnicity = characteristic_texts.get("Ethnicity", "").strip()
    values[_ETHNICITY], raw[_ETHNICITY] = ethnicity, ethnicity
    top = Record("child", child.sourceline, values, raw)
    records = [top]
    for disabilities in lists.get("Disabilities", ()):
        for disability in disabilities:
            if disability.tag == "Disability":
                text = (disability.text or "").strip()
                records.append(Record("disability", disability.sourceline, [child_id, text], [None, None], top))
    ordinals: Counter = Counter()
    for details in parts.get("CINdetails", ()):
        details_texts, blocks = _split(details, _BLOCK_TAGS)
        details_key = _key(ordinals, f"{la_code}|{child_id}", details_texts.get("CINreferralDate"))
        values, raw = _read(details_texts, "episode", [details_key, child_id])
        episode = Record("episode", details.sourceline, values, raw, top)
        records.append(episode)
        for tag, folder, start in _BLOCKS:
            for block in blocks.get(tag, ()):
                texts, under = _split(block, _UNDER_BLOCK)
                key = _key(ordinals, details_key, texts.get(start))
                values, raw = _read(texts, folder, [key, details_key, child_id])
                record = Record(folder, block.sourceline, values, raw, episode)
                records.append(record)
                if folder == "assessment":
                    for factors in under.get("FactorsIdentifiedAtAssessment", ()):
                        for factor in factors:
                            if factor.tag != "AssessmentFactors":
                                continue
                            text = (factor.text or "").strip()
                            values = [key, details_key, child_id, text]
                            records.append(Record("factor", factor.sourceline, values, _NO_RAW, record))
                elif folder == "cp_plan":
                    for reviews in under.get("Reviews", ()):
                        for review in reviews:
                            if review.tag != "CPPreviewDate":
                                continue
                            text = (review.text or "").strip()
                            values = [key, details_key, child_id, date.fromisoformat(text[:10])]  # XSD: a date
                            raw = [None, None, None, text]
                            records.append(Record("review", review.sourceline, values, raw, record))
    return records


def _key(ordinals: Counter, prefix: str, start: str | None) -> str:
    """`<prefix>|<start date>|n`: n counts the blocks with this prefix and date, in document order (§1.2.6)."""
    base = f"{prefix}|{(start or '').strip()}"
    ordinals[base] += 1
    return f"{base}|{ordinals[base]}"


_ARROW_BATCH = 4096  # landed records of a table gathered as Python values before they become Arrow arrays


class ChildChecker:
    """`check` applied one Child at a time (module docstring): findings and counts as `check` gives them, the
    landed records' values as Arrow arrays. `repeated` says a LAchildID was seen twice: then only `check` over
    every record can word the R03 findings, and `checked` must not be used."""

    def __init__(self, as_at: date | None) -> None:
        self.as_at = as_at
        self.repeated = False
        self._ids: set[str] = set()
        self._checked = Checked(rows_read=0, tables=[])
        self._pending: dict[str, list[Record]] = {folder: [] for folder in FOLDERS}
        self._chunks: dict[str, list[pa.Table]] = {folder: [] for folder in FOLDERS}

    def add(self, records: list[Record]) -> None:
        """One Child's records (the child record first), as `check` visits them."""
        child_id = records[0].values[0]
        self.repeated = self.repeated or child_id in self._ids
        if self.repeated:
            return  # the file is read again for `check` (class docstring)
        self._ids.add(child_id)
        checked = self._checked
        checked.rows_read += len(records)
        seen: set[tuple] = set()
        for record in records:
            _apply_rules(record, self.as_at, seen)
            if record.finding is None:
                pending = self._pending[record.folder]
                pending.append(record)
                if len(pending) >= _ARROW_BATCH:
                    self._flush(record.folder)
                continue
            checked.quarantine.append(record.finding)
            checked.rows_quarantined += 1
            checked.rows_rejected += record.rejected

    def checked(self) -> Checked:
        """The findings and landed tables of every Child added (the same as `check` of them all)."""
        checked = self._checked
        for folder in FOLDERS:
            self._flush(folder)
        checked.tables = [_arrow_table(folder, self._chunks.pop(folder)) for folder in FOLDERS]
        checked.quarantine.sort(key=lambda issue: issue.source_row)
        return checked

    def _flush(self, folder: str) -> None:
        records = self._pending[folder]
        if records:
            schema = schema_of(folder)
            columns = list(zip(*(record.values for record in records), strict=True))
            arrays = [
                pa.array(column, type=schema.field(name.lower()).type)
                for name, column in zip(_NAMES[folder], columns, strict=True)
            ]
            arrays.append(pa.array([record.line for record in records], type=pa.int64()))
            self._chunks[folder].append(pa.Table.from_arrays(arrays, names=[*_LANDED[folder], "source_row"]))
            records.clear()


def _arrow_table(folder: str, chunks: list[pa.Table]) -> LandedTable:
    """A table's landed columns from its Arrow chunks (then let go), each column one array, as `_table`'s lists
    become: the Parquet writer may place its pages differently in a column of several chunks, and the landed bytes
    must not depend on how the file was read."""
    if not chunks:
        return _table(folder, [])
    table = pa.concat_tables(chunks).combine_chunks()
    columns = {name: table.column(name).chunk(0) for name in _LANDED[folder]}
    return LandedTable(folder, schema_of(folder), columns=columns, source_rows=table.column("source_row").chunk(0))


def check(children: list[list[Record]], as_at: date | None) -> Checked:
    """Row rules over every record (module docstring); the landed tables hold the records left."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for records in children:
        by_id[records[0].values[0]].append(records[0].line)
    checked = Checked(rows_read=sum(len(records) for records in children), tables=[])
    landed: dict[str, list[Record]] = {folder: [] for folder in FOLDERS}
    for records in children:
        top = records[0]
        lines = by_id[top.values[0]]
        if len(lines) > 1:
            others = ", ".join(str(line) for line in lines if line != top.line)
            message = f"LAchildID is also on the Child at line(s) {others}: every such Child is rejected"
            _reject(top, Issue(top.line, "LAchildID", top.values[0], True, "R03", message))
        seen: set[tuple] = set()
        for record in records:
            _apply_rules(record, as_at, seen)
            if record.finding is None:
                landed[record.folder].append(record)
                continue
            checked.quarantine.append(record.finding)
            checked.rows_quarantined += 1
            checked.rows_rejected += record.rejected
    checked.tables = [_table(folder, landed[folder]) for folder in FOLDERS]
    checked.quarantine.sort(key=lambda issue: issue.source_row)
    return checked


def _table(folder: str, records: list[Record]) -> LandedTable:
    columns = list(zip(*(record.values for record in records), strict=True)) or [() for _ in _NAMES[folder]]
    landed = {name.lower(): list(column) for name, column in zip(_NAMES[folder], columns, strict=True)}
    return LandedTable(folder, schema_of(folder), columns=landed, source_rows=[record.line for record in records])


def _apply_rules(record: Record, as_at: date | None, seen: set[tuple]) -> None:
    if record.finding is not None:
        return
    parent = record.parent
    if parent is not None and parent.rejected:
        code = parent.finding.rule_code
        message = f"belongs to the {parent.folder} at line {parent.line}, which is rejected ({code})"
        _reject(record, Issue(record.line, None, None, True, code, message))
        return
    folder, values = record.folder, record.values
    if folder in ("disability", "factor"):
        identity = (folder, id(parent), *values)
        if identity in seen:
            name = "Disability" if folder == "disability" else "AssessmentFactors"
            message = f"{name} repeated under the same {parent.folder}: dropped"
            record.finding = Issue(record.line, name, str(values[-1]), False, "W01", message)
            return
        seen.add(identity)
    for first_at, last_at, start, end in _ORDERS[folder]:
        first, last = values[first_at], values[last_at]
        if first is not None and last is not None and last < first:
            message = f"{end} {last.isoformat()} is before {start} {first.isoformat()}"
            _reject(record, Issue(record.line, end, record.raw[last_at], False, "R05", message))
            return
    if as_at is None:
        return
    for index, name in _EVENTS[folder]:
        value = values[index]
        if value is not None and value > as_at:
            personal = name in PERSONAL
            shown = "" if personal else f" {value.isoformat()}"
            message = f"{name}{shown} is after the as-at date {as_at.isoformat()}"
            _reject(record, Issue(record.line, name, record.raw[index], personal, "R06", message))
            return


def _reject(record: Record, issue: Issue) -> None:
    record.finding, record.rejected = issue, True
