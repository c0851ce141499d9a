"""Read a CIN census XML file safely, validate it, and flatten it into the landed CIN tables (input contract §1.2).

Safety first: the bytes must be UTF-8 (a declared other encoding is refused too), and the parser never loads a DTD,
never resolves an entity and never touches the network (`resolve_entities=False, no_network=True, load_dtd=False,
huge_tree=False`). A document with any DOCTYPE is rejected (F01) as soon as its root element starts, before any
content is read, so external entities (XXE) and entity expansion ("billion laughs") never run.

The file is streamed with `iterparse`: each `Child` is validated against the XSD of the file's collection year
(`extract.cin.schema`), flattened, then cleared, so memory holds one Child's tree at a time. File outcomes, in
document order (the first problem found rejects the file): F01 not UTF-8 / not well-formed / DOCTYPE; F02 root is not
`Message` or `Collection` is not CIN; F05 the first XSD violation (line and libxml2's message); F06 `Source/LEA` is
not the LA's DfE number. Row rules after validation (§1.2.7): an end before its start (R05) or an event after the
as-at date (R06) rejects that record and the records under it (a rejected CP plan takes its reviews with it); a
`LAchildID` on two Child elements rejects both children whole (R03); a disability or assessment factor repeated
under the same parent is dropped (W01). A "row" is one record of one landed table (`source_row` = its element's
line), so `rows_read = rows_landed + rows_quarantined` holds across the nine tables.
"""

from __future__ import annotations

import codecs
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from lxml import etree

from extract.cin.schema import element_schema, xsd_year_for, year_rule_violation
from extract.cin.tables import CIN_TABLES, EVENT_DATES, FOLDERS, ORDERINGS, PERSONAL, landed_type, schema_of
from extract.codes import schema_year
from extract.csv_reader import FileRejected
from extract.delivery import FileContext, collection_year_containing
from extract.reading import Checked, LandedTable, Recognised
from extract.rows import Issue

TABLE_NAME = "cin"  # ledger table_name and load-id prefix of a CIN file
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_CHUNK = 1 << 20


@dataclass
class _Record:
    folder: str
    line: int
    values: dict[str, object]
    raw: dict[str, str]
    parent: _Record | None = None
    finding: Issue | None = None  # the R* or W01 that quarantines it
    rejected: bool = False  # an R* finding (not a W01 drop)


@dataclass
class _Parsed:
    collection_year: str
    children: list[list[_Record]] = field(default_factory=list)  # one list per Child, the child record first


def read_cin(data: bytes, context: FileContext) -> Recognised:
    """Recognise, validate and flatten one CIN file; the row rules run when the extractor asks (`check`)."""
    base = {"table_name": TABLE_NAME, "folders": FOLDERS}
    if Path(context.source_file).suffix.lower() != ".xml":
        return Recognised(**base, problem=("F02", "not a .xml file: the CIN census is delivered as XML"))
    try:
        parsed = _Reader(data, context).read()
    except FileRejected as rejected:
        return Recognised(**base, problem=(rejected.rule_code, rejected.message))
    return Recognised(
        **base,
        data_rows=len(parsed.children),
        collection_year=parsed.collection_year,
        check=lambda: _check(parsed, context.as_at_date),
    )


class _Reader:
    def __init__(self, data: bytes, context: FileContext) -> None:
        self.data = data
        self.context = context
        self.collection_year: str | None = None
        self.xsd_year: int | None = None
        self.children: list[list[_Record]] = []

    def read(self) -> _Parsed:
        _require_utf8(self.data)
        events = etree.iterparse(
            io.BytesIO(self.data),
            events=("start", "end"),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        try:
            self._walk(events)
        except etree.XMLSyntaxError as error:
            raise FileRejected("F01", f"not well-formed XML: {error.msg}") from None
        return _Parsed(self.collection_year, self.children)

    def _walk(self, events: etree.iterparse) -> None:
        depth, seen_header, seen_children, child_count = 0, False, False, 0
        for event, element in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    _check_root(element)
                elif depth == 2:
                    if element.tag == "Header" and not (seen_header or seen_children):
                        seen_header = True
                    elif element.tag == "Children" and not seen_children:
                        seen_children = True
                        if self.xsd_year is None:
                            self._choose_year(None, element.sourceline)
                    else:
                        _invalid(self, element.sourceline, f"Element '{element.tag}': This element is not expected.")
                elif depth == 3 and element.getparent().tag == "Children" and element.tag != "Child":
                    _invalid(self, element.sourceline, f"Element '{element.tag}': This element is not expected.")
                continue
            depth -= 1
            if depth == 1 and element.tag == "Header":
                self._header(element)
            elif depth == 2 and element.tag == "Child":
                child_count += 1
                self._child(element)
                element.clear(keep_tail=True)
                while element.getprevious() is not None:  # drop the Children already flattened
                    del element.getparent()[0]
            elif depth == 1 and element.tag == "Children" and child_count == 0:
                message = "Element 'Children': Missing child element(s). Expected is ( Child )."
                _invalid(self, element.sourceline, message)
            elif depth == 0 and not seen_children:
                message = "Element 'Message': Missing child element(s). Expected is ( Children )."
                _invalid(self, element.sourceline, message)
            if depth in (1, 2) and (element.tail or "").strip():
                _invalid(self, element.sourceline, "Character content other than whitespace is not allowed.")

    def _choose_year(self, reference_date: date | None, line: int) -> None:
        """§1.2.1: ReferenceDate's collection year, else the path's (name token, manifest, period end)."""
        year = collection_year_containing(reference_date) if reference_date else self.context.collection_year
        if year is None:
            raise FileRejected("F05", f"line {line}: no collection year (no ReferenceDate, none from the path)")
        self.collection_year = year
        self.xsd_year = xsd_year_for(schema_year(year))

    def _header(self, header: etree._Element) -> None:
        collection = (header.findtext("CollectionDetails/Collection") or "").strip()
        if collection and collection != "CIN":
            raise FileRejected("F02", f"line {header.sourceline}: Collection is '{collection}', not CIN")
        reference = (header.findtext("CollectionDetails/ReferenceDate") or "").strip()
        try:
            reference_date = date.fromisoformat(reference[:10]) if reference else None
        except ValueError:
            reference_date = None  # the XSD reports it
        self._choose_year(reference_date, header.sourceline)
        self._validate(header)
        expected = self.context.dfe_la_number
        for lea in header.iterfind("Source/LEA"):
            value = (lea.text or "").strip()
            if expected is None:
                raise FileRejected(
                    "F06", f"line {lea.sourceline}: no DfE LA number is known for {self.context.la_code} to check LEA"
                )
            if value != expected:
                raise FileRejected(
                    "F06",
                    f"line {lea.sourceline}: Header/Source/LEA {value} is not {expected}, "
                    f"the DfE LA number of {self.context.la_code}",
                )

    def _validate(self, element: etree._Element) -> None:
        schema = element_schema(self.xsd_year)
        if not schema.validate(element):
            error = schema.error_log[0]
            _invalid(self, error.line, error.message)
        violation = year_rule_violation(element, schema_year(self.collection_year))
        if violation:
            _invalid(self, *violation, against="the DfE CIN schema")

    def _child(self, child: etree._Element) -> None:
        self._validate(child)
        self.children.append(_flatten(child, self.context.la_code or ""))


def _invalid(reader: _Reader, line: int, message: str, against: str | None = None) -> None:
    schema = against or (f"CIN_schema_{reader.xsd_year}.xsd" if reader.xsd_year else "the CIN schema")
    year = f" for {reader.collection_year}" if reader.collection_year else ""
    raise FileRejected("F05", f"does not validate against {schema}{year}: line {line}: {' '.join(message.split())}")


def _require_utf8(data: bytes) -> None:
    """F01 unless the bytes are UTF-8 and any declared encoding is UTF-8 (checked in chunks: no copy of the file)."""
    declared = _DECLARED_ENCODING.match(data.removeprefix(codecs.BOM_UTF8)[:200])
    if declared and declared.group(1).decode("ascii").upper().replace("_", "-") not in ("UTF-8", "UTF8"):
        raise FileRejected("F01", f"declares encoding {declared.group(1).decode('ascii')}: CIN XML must be UTF-8")
    decoder = codecs.getincrementaldecoder("utf-8")()
    for offset in range(0, len(data), _CHUNK):
        try:
            decoder.decode(data[offset : offset + _CHUNK], final=offset + _CHUNK >= len(data))
        except UnicodeDecodeError as error:
            position = offset + error.start
            raise FileRejected("F01", f"not UTF-8 (byte 0x{data[position]:02x} at offset {position})") from None


def _check_root(root: etree._Element) -> None:
    if root.getroottree().docinfo.doctype:
        raise FileRejected("F01", "has a DOCTYPE (DTD): DTDs and entities are refused unread (XXE, entity expansion)")
    if root.tag != "Message":
        raise FileRejected("F02", f"root element is '{root.tag}', not Message (with no namespace)")


def _flatten(child: etree._Element, la_code: str) -> list[_Record]:
    """One Child as records of the landed tables, parents before the records under them (§1.2.6 keys)."""
    identifiers = child.find("ChildIdentifiers")
    characteristics = child.find("ChildCharacteristics")
    child_id = (identifiers.findtext("LAchildID") or "").strip()
    values, raw = _read(identifiers, "child", {})
    ethnicity = (characteristics.findtext("Ethnicity") or "").strip()
    values["Ethnicity"], raw["Ethnicity"] = ethnicity, ethnicity
    top = _Record("child", child.sourceline, values, raw)
    records = [top]
    ids = {"LAchildID": child_id}
    for disability in characteristics.iterfind("Disabilities/Disability"):
        text = (disability.text or "").strip()
        records.append(_Record("disability", disability.sourceline, {**ids, "Disability": text}, {}, top))
    ordinals: Counter = Counter()
    for details in child.iterfind("CINdetails"):
        details_key = _key(ordinals, f"{la_code}|{child_id}", details.findtext("CINreferralDate"))
        episode = _record("episode", details, {"cin_details_key": details_key, **ids}, top)
        records.append(episode)
        under = {"cin_details_key": details_key, **ids}
        for element, folder, key_name, start in (
            ("Assessments", "assessment", "assessment_key", "AssessmentActualStartDate"),
            ("CINPlanDates", "plan_dates", "cin_plan_key", "CINPlanStartDate"),
            ("Section47", "s47", "s47_key", "S47ActualStartDate"),
            ("ChildProtectionPlans", "cp_plan", "cpp_key", "CPPstartDate"),
        ):
            for block in details.iterfind(element):
                key = _key(ordinals, details_key, block.findtext(start))
                record = _record(folder, block, {key_name: key, **under}, episode)
                records.append(record)
                if folder == "assessment":
                    for factor in block.iterfind("FactorsIdentifiedAtAssessment/AssessmentFactors"):
                        text = (factor.text or "").strip()
                        values = {key_name: key, **under, "AssessmentFactors": text}
                        records.append(_Record("factor", factor.sourceline, values, {}, record))
                if folder == "cp_plan":
                    for review in block.iterfind("Reviews/CPPreviewDate"):
                        text = (review.text or "").strip()
                        day = _convert(text, landed_type("review", "CPPreviewDate"))
                        values = {key_name: key, **under, "CPPreviewDate": day}
                        records.append(_Record("review", review.sourceline, values, {"CPPreviewDate": text}, record))
    return records


def _key(ordinals: Counter, prefix: str, start: str | None) -> str:
    """`<prefix>|<start date>|n`: n counts the blocks with this prefix and date, in document order (§1.2.6)."""
    base = f"{prefix}|{(start or '').strip()}"
    ordinals[base] += 1
    return f"{base}|{ordinals[base]}"


def _record(folder: str, element: etree._Element, given: dict, parent: _Record) -> _Record:
    values, raw = _read(element, folder, given)
    return _Record(folder, element.sourceline, values, raw, parent)


def _read(element: etree._Element, folder: str, given: dict) -> tuple[dict, dict]:
    values: dict[str, object] = dict(given)
    raw: dict[str, str] = {}
    for name, kind in CIN_TABLES[folder]:
        if name in given:
            continue
        text = element.findtext(name)
        text = text.strip() if text is not None else None
        raw[name] = text
        values[name] = _convert(text, kind) if text else None
    return values, raw


def _convert(text: str, kind: object) -> object:
    """Values the XSD has already validated: xs:date (an optional zone is dropped), 0/1 flags, integers."""
    name = str(kind)
    if name.startswith("date"):
        return date.fromisoformat(text[:10])
    if name == "bool":
        return text == "1"
    if name == "int64":
        return int(text)
    return text


def _check(parsed: _Parsed, as_at: date | None) -> Checked:
    """Row rules over every record (module docstring); the landed tables hold the records left."""
    by_id: dict[str, list[int]] = defaultdict(list)
    for records in parsed.children:
        by_id[records[0].values["LAchildID"]].append(records[0].line)
    checked = Checked(rows_read=sum(len(records) for records in parsed.children), tables=[])
    tables = {folder: LandedTable(folder, schema_of(folder)) for folder in FOLDERS}
    for records in parsed.children:
        top = records[0]
        lines = by_id[top.values["LAchildID"]]
        if len(lines) > 1:
            others = ", ".join(str(line) for line in lines if line != top.line)
            message = f"LAchildID is also on the Child at line(s) {others}: every such Child is rejected"
            _reject(top, Issue(top.line, "LAchildID", top.values["LAchildID"], True, "R03", message))
        seen: set[tuple] = set()
        for record in records:
            _apply_rules(record, as_at, seen)
            if record.finding is None:
                tables[record.folder].rows.append((record.line, {k.lower(): v for k, v in record.values.items()}))
                continue
            checked.quarantine.append(record.finding)
            checked.rows_quarantined += 1
            checked.rows_rejected += record.rejected
    checked.tables = [tables[folder] for folder in FOLDERS]
    checked.quarantine.sort(key=lambda issue: issue.source_row)
    return checked


def _apply_rules(record: _Record, as_at: date | None, seen: set[tuple]) -> None:
    if record.finding is not None:
        return
    parent = record.parent
    if parent is not None and parent.rejected:
        code = parent.finding.rule_code
        message = f"belongs to the {parent.folder} at line {parent.line}, which is rejected ({code})"
        _reject(record, Issue(record.line, None, None, True, code, message))
        return
    if record.folder in ("disability", "factor"):
        identity = (record.folder, id(parent), *record.values.values())
        if identity in seen:
            name = "Disability" if record.folder == "disability" else "AssessmentFactors"
            message = f"{name} repeated under the same {parent.folder}: dropped"
            record.finding = Issue(record.line, name, str(record.values[name]), False, "W01", message)
            return
        seen.add(identity)
    for folder, start, end in ORDERINGS:
        first, last = record.values.get(start), record.values.get(end)
        if folder == record.folder and first is not None and last is not None and last < first:
            message = f"{end} {last.isoformat()} is before {start} {first.isoformat()}"
            _reject(record, Issue(record.line, end, record.raw.get(end), False, "R05", message))
            return
    for name, value in record.values.items():
        if as_at is not None and name in EVENT_DATES and value is not None and value > as_at:
            personal = name in PERSONAL
            shown = "" if personal else f" {value.isoformat()}"
            message = f"{name}{shown} is after the as-at date {as_at.isoformat()}"
            _reject(record, Issue(record.line, name, record.raw.get(name), personal, "R06", message))
            return


def _reject(record: _Record, issue: Issue) -> None:
    record.finding, record.rejected = issue, True
