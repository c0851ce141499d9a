"""Dirt in a CIN census XML (input contract §1.2.4, §1.2.7).

A "row" of the census is a record of a landed table: a Child, Disability, CINdetails, Assessments, AssessmentFactors,
CINPlanDates, Section47, ChildProtectionPlans or CPPreviewDate element; its line is the element's line. The extract
layer checks rows only after the whole file validates against its year's XSD, so row defects keep the file valid:
an end before its start (R05), an event after the as-at date (R06), one LAchildID on two Child elements (R03), a
disability or assessment factor repeated under the same parent (W01). A rejected record takes the records under it
along, with the same rule (a CINdetails its assessments, plans, S47s, CP plans and reviews); the truth file lists the
record the defect is on, and the test finds the ones under it in the file. Each Child carries at most one defect, so
no defect hides another.

File-level defects (the file is rejected): an element or code the file's year does not have (F05: `Sex` before
2024-25, `GenderCurrent` from it, RC9 before 2022-23), another XSD violation (F05: 2025-02-30 in a date, `true` in
a 0/1 flag, a dd/mm/YYYY date), Header/Source/LEA of another LA (F06), a Windows-1252 byte (F01) and a stale
manifest entry (F09).
"""

from __future__ import annotations

import copy
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta

from lxml import etree

from synth.dirty.engine import ATTEMPTS, Kind, f07_description, inject_rows
from synth.dirty.location import FileFacts
from synth.dirty.rates import CIN_FILE_KINDS, CIN_ROW_KINDS, DirtRates
from synth.dirty.shapes import ETHNIC_CODES

RECORD_TAGS = (
    *("Child", "Disability", "CINdetails", "Assessments", "AssessmentFactors", "CINPlanDates", "Section47"),
    *("ChildProtectionPlans", "CPPreviewDate"),
)
# (record, start, end): an end before its start rejects the record (R05)
ORDERINGS = (
    ("CINdetails", "CINreferralDate", "CINclosureDate"),
    ("ChildProtectionPlans", "CPPstartDate", "CPPendDate"),
    ("Assessments", "AssessmentActualStartDate", "AssessmentAuthorisationDate"),
    ("CINPlanDates", "CINPlanStartDate", "CINPlanEndDate"),
)
# (record, date) moved after the as-at date (R06): ends and later events, never a start that has an end (R05 first).
FUTURE_DATES = (
    *(("CINdetails", "CINclosureDate"), ("CINdetails", "DateOfInitialCPC")),
    *(("Assessments", "AssessmentInternalReviewDate"), ("Assessments", "AssessmentAuthorisationDate")),
    *(("CINPlanDates", "CINPlanEndDate"), ("Section47", "DateOfInitialCPC"), ("ChildProtectionPlans", "CPPendDate")),
    ("CPPreviewDate", None),
)
_SEX_OF_GENDER = {"1": "M", "2": "F", "0": "U", "9": "U"}
_GENDER_OF_SEX = {"M": "1", "F": "2", "U": "0"}
_DATES = (
    *("PersonBirthDate", "CINreferralDate", "CINclosureDate", "AssessmentActualStartDate", "CINPlanStartDate"),
    *("S47ActualStartDate", "CPPstartDate", "CPPreviewDate"),
)
_OTHER_LEAS = ("867", "868", "869", "870", "872", "871")  # the Berkshire unitaries' DfE numbers


@dataclass(frozen=True)
class Found:
    """One injected defect; `element` None is a manifest defect (no line)."""

    kind: str
    rule: str
    field: str | None
    description: str
    element: etree._Element | None = None


@dataclass(eq=False)
class Census:
    facts: FileFacts
    root: etree._Element
    found: list[Found] = field(default_factory=list)
    # LAchildID of the children that carry a defect (lxml makes its element proxies afresh on every lookup, so
    # their id() is no identity)
    used: set[str] = field(default_factory=set)
    children: list[etree._Element] = field(default_factory=list)  # as delivered (a conflicting twin is not one)

    def __post_init__(self) -> None:
        self.children = self.root.findall("Children/Child")

    def add(self, kind: str, rule: str, element: etree._Element | None, name: str | None, description: str) -> None:
        self.found.append(Found(kind, rule, name, description, element))


def _records(element: etree._Element) -> int:
    return sum(1 for _ in element.iter(*RECORD_TAGS))


def _day(element: etree._Element | None) -> date | None:
    try:
        return date.fromisoformat((element.text or "").strip()) if element is not None else None
    except ValueError:
        return None


def _child_kind(name: str, rule: str, rejects: int, place: Callable[..., int | None]) -> Kind:
    """A kind whose defect goes in one free Child: `place(census, rng, child, budget)` returns the rows rejected,
    or None when this Child does not suit it."""

    def inject(census: Census, rng: random.Random, budget: int | None) -> int | None:
        children = census.children
        for _ in range(ATTEMPTS if children else 0):
            child = children[rng.randrange(len(children))]
            identifier = child.findtext("ChildIdentifiers/LAchildID")
            if identifier in census.used:
                continue
            size = place(census, rng, child, budget)
            if size is not None:
                census.used.add(identifier)
                return size
        return None

    return Kind(name, rule, rejects, inject)


def _fits(element: etree._Element, budget: int | None, times: int = 1) -> bool:
    return budget is None or _records(element) * times <= budget


def _copy_after(element: etree._Element) -> etree._Element:
    """A deep copy of `element` inserted right after it, both indented as their siblings are."""
    twin = copy.deepcopy(element)  # its tail too: the whitespace that followed the original
    element.addnext(twin)
    before = element.getprevious()
    element.tail = before.tail if before is not None else element.getparent().text
    return twin


def _end_before_start(census: Census, rng: random.Random, child: etree._Element, budget: int | None) -> int | None:
    places = [
        (record, start, end)
        for tag, start, end in ORDERINGS
        for record in child.iter(tag)
        if _day(record.find(start)) and record.find(end) is not None and _fits(record, budget)
    ]
    if not places:
        return None
    record, start, end = rng.choice(places)
    days = rng.randint(1, 30)
    record.find(end).text = (_day(record.find(start)) - timedelta(days=days)).isoformat()
    census.add("end_before_start", "R05", record, end, f"{end} {days} days before {start}")
    return _records(record)


def _future(census: Census, rng: random.Random, child: etree._Element, budget: int | None) -> int | None:
    places = [
        (record, name)
        for tag, name in FUTURE_DATES
        for record in child.iter(tag)
        if _day(record.find(name) if name else record) and _fits(record, budget)
    ]
    if not places:
        return None
    record, name = rng.choice(places)
    days = rng.randint(2, 60)
    (record.find(name) if name else record).text = (census.facts.as_at + timedelta(days=days)).isoformat()
    census.add("future_date", "R06", record, name or record.tag, f"{name or record.tag} {days} days after as-at")
    return _records(record)


def _conflicting_child(census: Census, rng: random.Random, child: etree._Element, budget: int | None) -> int | None:
    ethnicity = child.find("ChildCharacteristics/Ethnicity")
    if ethnicity is None or not _fits(child, budget, 2):
        return None
    twin = _copy_after(child)
    twin.find("ChildCharacteristics/Ethnicity").text = rng.choice(
        [code for code in ETHNIC_CODES if code != (ethnicity.text or "").strip()]
    )
    description = "the same LAchildID on two Child elements (another Ethnicity): both children are rejected"
    census.add("conflicting_key", "R03", child, "LAchildID", description)
    census.add("conflicting_key", "R03", twin, "LAchildID", description)
    return 2 * _records(child)


def _repeated(census: Census, rng: random.Random, child: etree._Element, budget: int | None) -> int | None:
    places = list(child.iter("Disability", "AssessmentFactors"))
    if not places:
        return None
    original = rng.choice(places)
    repeat = _copy_after(original)
    description = f"{original.tag} {(original.text or '').strip()} repeated under the same parent: dropped"
    census.add("duplicate_row", "W01", repeat, original.tag, description)
    return 0


CIN_KIND_SPECS: dict[str, Kind] = {
    kind.name: kind
    for kind in (
        _child_kind("end_before_start", "R05", 1, _end_before_start),
        _child_kind("future_date", "R06", 1, _future),
        _child_kind("conflicting_key", "R03", 2, _conflicting_child),
        _child_kind("duplicate_row", "W01", 0, _repeated),
    )
}


def wrong_year_element(census: Census, rng: random.Random) -> bool:
    year = census.facts.schema_year
    closures = census.root.findall(".//ReasonForClosure")
    if year < 2023 and closures:
        element = rng.choice(closures)
        element.text = "RC9"
        census.add("wrong_year_element", "F05", element, "ReasonForClosure", "RC9 (from 2022-23) in an earlier file")
        return True
    if year >= 2025:
        old, new, mapping = "Sex", "GenderCurrent", _GENDER_OF_SEX
    else:
        old, new, mapping = "GenderCurrent", "Sex", _SEX_OF_GENDER
    elements = census.root.findall(f"Children/Child/ChildIdentifiers/{old}")
    if not elements:
        return False
    element = rng.choice(elements)
    element.tag, element.text = new, mapping.get((element.text or "").strip(), "U" if new == "Sex" else "0")
    description = f"{new} instead of {old}: {census.facts.collection_year}'s schema has {old} only"
    census.add("wrong_year_element", "F05", element, new, description)
    return True


def xsd_violation(census: Census, rng: random.Random) -> bool:
    flags = census.root.findall(".//ReferralNFA")
    dates = [element for element in census.root.iter(*_DATES) if _day(element)]
    forms = (["true in a 0/1 flag"] if flags else []) + (["an impossible date", "a dd/mm/YYYY date"] if dates else [])
    if not forms:
        return False
    form = rng.choice(forms)
    if form.startswith("true"):
        element = rng.choice(flags)
        element.text = "true" if (element.text or "").strip() == "1" else "false"
    else:
        element = rng.choice(dates)
        day = _day(element)
        element.text = f"{day.year}-02-30" if form == "an impossible date" else f"{day:%d/%m/%Y}"
    census.add("xsd_violation", "F05", element, element.tag, f"{element.tag} holds {form}: the XSD refuses it")
    return True


def la_mismatch(census: Census, rng: random.Random) -> bool:
    lea = census.root.find("Header/Source/LEA")
    if lea is None:
        return False
    current = (lea.text or "").strip()
    lea.text = rng.choice([number for number in _OTHER_LEAS if number != current])
    census.add("la_mismatch", "F06", lea, "LEA", f"Header/Source/LEA {lea.text} is another LA's DfE number")
    return True


def not_utf8(census: Census, rng: random.Random) -> bool:
    """Marked here, written by `render`: lxml writes only valid UTF-8."""
    identifiers = census.root.findall("Children/Child/ChildIdentifiers/LAchildID")
    if not identifiers:
        return False
    census.add("not_utf8", "F01", rng.choice(identifiers), "LAchildID", "byte 0xA3 (Windows-1252) in LAchildID")
    return True


def manifest_mismatch(census: Census, rng: random.Random) -> bool:
    """Marked here, applied when the manifest is rewritten (`make._update_manifest`)."""
    if census.facts.manifest is None:
        return False
    name = rng.choice(("rows", "sha256"))
    description = f"_delivery.json files[] {name} of this file is stale (the file was edited after the manifest)"
    census.add("manifest_mismatch", "F09", None, name, description)
    return True


CIN_FILE_KIND_SPECS = {
    "wrong_year_element": wrong_year_element,
    "xsd_violation": xsd_violation,
    "la_mismatch": la_mismatch,
    "not_utf8": not_utf8,
    "manifest_mismatch": manifest_mismatch,
}


def dirty_census(data: bytes, facts: FileFacts, rates: DirtRates, rng: random.Random) -> Census | None:
    """The census with its defects injected (at most one file-level one, else row ones), or None when untouched."""
    root = etree.fromstring(data, etree.XMLParser(resolve_entities=False, no_network=True, remove_blank_text=False))
    census = Census(facts, root)
    hit = any(rng.random() < getattr(rates, kind) and CIN_FILE_KIND_SPECS[kind](census, rng) for kind in CIN_FILE_KINDS)
    if not hit:
        rows = _records(root)
        rejected = inject_rows(census, [CIN_KIND_SPECS[kind] for kind in CIN_ROW_KINDS], rates, rng, rows)
        too_many = f07_description(rejected, _records(root))
        if too_many:
            census.add("too_many_rejected_rows", "F07", None, None, too_many)
    return census if census.found else None


def render(census: Census) -> tuple[bytes, dict[int, int]]:
    """The file's bytes, and the line of each defect's element (by id() of the Found)."""
    tree = census.root.getroottree()
    paths = {id(found): tree.getpath(found.element) for found in census.found if found.element is not None}
    data = etree.tostring(tree, xml_declaration=True, encoding="UTF-8") + b"\n"
    written = etree.fromstring(data).getroottree()
    lines = {key: written.xpath(path)[0].sourceline for key, path in paths.items()}
    for found in census.found:
        if found.kind == "not_utf8":
            data = _break_utf8(data, lines[id(found)])
    return data, lines


def _break_utf8(data: bytes, line: int) -> bytes:
    """`data` with byte 0xA3 (a Windows-1252 pound sign) before the end tag on `line`."""
    lines = data.split(b"\n")
    lines[line - 1] = lines[line - 1].replace(b"</LAchildID>", b"\xa3</LAchildID>", 1)
    return b"\n".join(lines)


def children_count(data: bytes) -> int:
    """Child elements of a rendered census (the manifest's `rows` of a CIN file)."""
    return data.count(b"<Child>")
