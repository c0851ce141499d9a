"""Read a CIN census XML file safely, validate it, and flatten it into the landed CIN tables (input contract §1.2).

Safety first: the bytes must be UTF-8 (a declared other encoding is refused too), and the parser never loads a DTD,
never resolves an entity and never touches the network (`resolve_entities=False, no_network=True, load_dtd=False,
huge_tree=False`). A document with any DOCTYPE is rejected (F01) as soon as its root element starts, before any
content is read, so external entities (XXE) and entity expansion ("billion laughs") never run.

The file is streamed from its path with `iterparse` (its bytes are never held: the UTF-8 and DOCTYPE checks read it
in chunks): each `Child` is validated against the XSD of the file's collection year (`extract.cin.schema`),
flattened, checked and cleared, so memory holds one Child's tree at a time, plus the landed values as Arrow columns
(`records.ChildChecker`). File outcomes, in document order (the first problem found rejects the file): F01 not UTF-8
/ not well-formed / DOCTYPE; F02 root is not `Message` or `Collection` is not CIN; F05 the first XSD violation (line
and libxml2's message); F06 `Source/LEA` is not the LA's DfE number. Row rules after validation (§1.2.7): an end
before its start (R05) or an event after the as-at date (R06) rejects that record and the records under it (a
rejected CP plan takes its reviews with it); a `LAchildID` on two Child elements rejects both children whole (R03);
a disability or assessment factor repeated under the same parent is dropped (W01). A "row" is one record of one
landed table (`source_row` = its element's line), so `rows_read = rows_landed + rows_quarantined` holds across the
nine tables.
"""

from __future__ import annotations

import codecs
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import BinaryIO

from lxml import etree

from extract.cin.records import ChildChecker, Record, check, flatten
from extract.cin.schema import element_schema, xsd_year_for, year_rule_violation
from extract.cin.tables import FOLDERS
from extract.codes import schema_year
from extract.csv_reader import FileRejected, not_utf8_at
from extract.delivery import FileContext, collection_year_containing
from extract.reading import Checked, Recognised

TABLE_NAME = "cin"  # ledger table_name and load-id prefix of a CIN file
_DECLARED_ENCODING = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_CHUNK = 1 << 20
_DOCTYPE = b"<!DOCTYPE"


def read_cin(source: Path | bytes, context: FileContext) -> Recognised:
    """Recognise, validate and flatten one CIN file (read from its path; bytes are accepted too); the row rules'
    findings and landed tables come when the extractor asks (`check`)."""
    base = {"table_name": TABLE_NAME, "folders": FOLDERS}
    if Path(context.source_file).suffix.lower() != ".xml":
        return Recognised(**base, problem=("F02", "not a .xml file: the CIN census is delivered as XML"))
    try:
        read = _Reader(source, context).read()
    except FileRejected as rejected:
        return Recognised(**base, problem=(rejected.rule_code, rejected.message))

    def checked() -> Checked:
        if not read.checker.repeated:
            return read.checker.checked()
        # R03 needs every record of the file: read it again, keeping them (it read without a problem once).
        return check(_Reader(source, context, keep=True).read().children, context.as_at_date)

    return Recognised(**base, data_rows=read.child_count, collection_year=read.collection_year, check=checked)


class _Reader:
    def __init__(self, source: Path | bytes, context: FileContext, keep: bool = False) -> None:
        self.source = source
        self.context = context
        self.keep = keep  # hold every Child's records (for `check`) instead of checking each as it comes
        self.collection_year: str | None = None
        self.xsd_year: int | None = None
        self.checker = ChildChecker(context.as_at_date)
        self.children: list[list[Record]] = []  # one list per Child, the child record first (`keep` only)
        self.child_count = 0

    def read(self) -> _Reader:
        """The reader that read the whole file (this one, or the quick walk's), or FileRejected."""
        if not _require_utf8(self.source):  # a DOCTYPE is refused by the full walk, as its root element starts
            quick = _Reader(self.source, self.context, self.keep)
            try:
                with _opened(self.source) as file:
                    if quick._walk_structure(_events(file, _STRUCTURE)):
                        return quick
            except (FileRejected, etree.XMLSyntaxError):
                pass  # the full walk finds the first problem and words it
        try:
            with _opened(self.source) as file:
                self._walk(_events(file))
        except etree.XMLSyntaxError as error:
            raise FileRejected("F01", f"not well-formed XML: {error.msg}") from None
        return self

    def _walk_structure(self, events: etree.iterparse) -> bool:
        """The quick walk: events of the structural elements only (`_STRUCTURE`), a twentieth of all, for a
        document the full walk (`_walk`) would find nothing wrong with. True when it has read the file as `_walk`
        would; False, or an exception, at anything else (an element out of place, text between elements, a Child
        that does not validate, a syntax error): then the full walk reads the file again, from the start, and finds
        the first problem in document order. Every check of `_walk` is made here too, or a stricter one (text is
        looked for once it is surely parsed, where `_walk` looks at an end event), so a file read here gives what
        `_walk` gives."""
        root = header = children = None
        finished = False
        for event, element in events:
            tag = element.tag
            parent = element.getparent()
            if event == "start":
                if tag == "Message" and root is None and parent is None:
                    _check_root(element)
                    root = element
                elif tag == "Header" and parent is root is not None and header is None and children is None:
                    header = element
                elif tag == "Children" and parent is root is not None and children is None:
                    children = element
                    if self.xsd_year is None:
                        self._choose_year(None, element.sourceline)
                elif not (tag == "Child" and parent is children is not None):
                    return False
                continue
            if tag == "Header":
                if _text_between(element):
                    return False
                self._header(element)
            elif tag == "Child":
                if any(
                    sibling.tag != "Child" or _text_after(sibling) for sibling in element.itersiblings(preceding=True)
                ):
                    return False
                self._child(element)
                element.clear(keep_tail=True)
                while element.getprevious() is not None:  # drop the Children already flattened
                    del children[0]
            elif tag == "Children":
                if not self.child_count or any(child.tag != "Child" for child in element) or _text_between(element):
                    return False
            elif tag == "Message":
                names = [part.tag for part in element]
                if names not in (["Header", "Children"], ["Children"]) or _text_between(element):
                    return False
                finished = True  # the loop runs on: whatever follows the root is parsed too (and may be an error)
        return finished

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
            elif depth == 2 and element.tag == "Child" and element.getparent().tag == "Children":
                # A Child elsewhere at this depth (inside Header) is not flattened: its parent's XSD check words it.
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
        element = header.find("CollectionDetails/Collection")
        collection = (element.text or "").strip() if element is not None else ""
        if collection and collection != "CIN":
            raise FileRejected("F02", f"line {element.sourceline}: Collection is '{collection}', not CIN")
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
        records = flatten(child, self.context.la_code or "")
        self.child_count += 1
        if self.keep:
            self.children.append(records)
        else:
            self.checker.add(records)


_STRUCTURE = ("Message", "Header", "Children", "Child")  # the elements `_walk_structure` sees


@contextmanager
def _opened(source: Path | bytes) -> Iterator[BinaryIO]:
    """The file's bytes as a stream: the file itself, read by the parser a block at a time."""
    if isinstance(source, bytes):
        yield io.BytesIO(source)
        return
    with Path(source).open("rb") as file:
        yield file


def _events(file: BinaryIO, tags: tuple[str, ...] | None = None) -> etree.iterparse:
    """Start and end events of the safe streaming parser (module docstring), of every element or only `tags`."""
    return etree.iterparse(
        file,
        events=("start", "end"),
        tag=tags,
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        huge_tree=False,
        remove_comments=True,
        remove_pis=True,
    )


def _text_after(element: etree._Element) -> bool:
    return bool((element.tail or "").strip())


def _text_between(element: etree._Element) -> bool:
    """Whether any child of `element` is followed by text other than whitespace (all are parsed by now)."""
    return any(_text_after(child) for child in element)


def _invalid(reader: _Reader, line: int, message: str, against: str | None = None) -> None:
    schema = against or (f"CIN_schema_{reader.xsd_year}.xsd" if reader.xsd_year else "the CIN schema")
    year = f" for {reader.collection_year}" if reader.collection_year else ""
    raise FileRejected("F05", f"does not validate against {schema}{year}: line {line}: {' '.join(message.split())}")


def _require_utf8(source: Path | bytes) -> bool:
    """F01 unless the bytes are UTF-8 and any declared encoding is UTF-8, read a chunk at a time (never the whole
    file); whether the bytes hold a DOCTYPE."""
    with _opened(source) as file:
        head = file.read(len(codecs.BOM_UTF8) + 200)
        declared = _DECLARED_ENCODING.match(head.removeprefix(codecs.BOM_UTF8)[:200])
        if declared and declared.group(1).decode("ascii").upper().replace("_", "-") not in ("UTF-8", "UTF8"):
            raise FileRejected("F01", f"declares encoding {declared.group(1).decode('ascii')}: CIN XML must be UTF-8")
        file.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")()
        doctype, previous, offset = False, b"", 0
        chunk = file.read(_CHUNK)
        while chunk:
            following = file.read(_CHUNK)
            try:
                decoder.decode(chunk, final=not following)
            except UnicodeDecodeError as error:
                position = offset + error.start
                file.seek(position)
                byte = file.read(1)
                raise FileRejected("F01", not_utf8_at(head, position, byte[0] if byte else None)) from None
            # A DOCTYPE across two chunks is found too: the end of the previous one joined to this one's start.
            doctype = doctype or _DOCTYPE in chunk or _DOCTYPE in previous + chunk[: len(_DOCTYPE) - 1]
            previous = chunk[-(len(_DOCTYPE) - 1) :]
            offset += len(chunk)
            chunk = following
    return doctype


def _check_root(root: etree._Element) -> None:
    if root.getroottree().docinfo.doctype:
        raise FileRejected("F01", "has a DOCTYPE (DTD): DTDs and entities are refused unread (XXE, entity expansion)")
    if root.tag != "Message":
        raise FileRejected("F02", f"root element is '{root.tag}', not Message (with no namespace)")
