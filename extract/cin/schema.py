"""Which CIN XSD validates a file, and the year rules the shipped XSDs do not enforce (input contract §1.2.4, AM-7).

The XSDs ship in `extract/cin/xsd/CIN_schema_<schema year>.xsd` (override the folder with `CSC_CIN_XSD_DIR`). A
schema year without its own XSD uses the nearest EARLIER one (2027 -> 2026); a year before the first shipped XSD uses
the first one (2023 -> 2024: exact, since 2023-24 changed nothing; for 2021-22 and earlier the 2024 XSD is more
permissive, so the codes and blocks added since are checked by `year_rule_violation`).

Each Child (and the Header) is validated on its own against a copy of the XSD that declares `Child` and `Header` as
global elements. That keeps the tree to one Child at a time (memory stays flat) and reports real line numbers; the
few rules of `Message` and `Children` themselves (order, at least one Child) are checked by the reader.
"""

from __future__ import annotations

import os
import re
from functools import cache
from pathlib import Path

from lxml import etree

XSD_DIR_ENV = "CSC_CIN_XSD_DIR"
_XS = "{http://www.w3.org/2001/XMLSchema}"
_XSD_NAME = re.compile(r"^CIN_schema_(\d{4})\.xsd$")


def xsd_dir() -> Path:
    return Path(os.environ.get(XSD_DIR_ENV) or Path(__file__).with_name("xsd"))


def xsd_year_for(schema_year: int) -> int:
    """The schema year of the XSD that validates files of `schema_year` (see the module docstring)."""
    years = sorted(int(match.group(1)) for path in xsd_dir().iterdir() if (match := _XSD_NAME.match(path.name)))
    if not years:
        raise FileNotFoundError(f"no CIN_schema_<year>.xsd in {xsd_dir()}")
    earlier = [year for year in years if year <= schema_year]
    return earlier[-1] if earlier else years[0]


@cache
def element_schema(xsd_year: int, folder: str | None = None) -> etree.XMLSchema:
    """The year's XSD with `Child` and `Header` also declared as global elements (parsed once per year)."""
    path = Path(folder or xsd_dir()) / f"CIN_schema_{xsd_year}.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    document = etree.parse(str(path), parser)
    for name, type_name in (("Child", "childtype"), ("Header", "headertype")):
        element = etree.SubElement(document.getroot(), f"{_XS}element")
        element.set("name", name)
        element.set("type", type_name)
    return etree.XMLSchema(document)


# (element, value or None for "the element at all", first schema year it is valid, first year it is invalid)
_YEAR_RULES: tuple[tuple[str, str | None, int | None, int | None, str], ...] = (
    ("AssessmentFactors", "18A", None, 2021, "removed in 2020-21 (replaced by 18B/18C; contract AM-7)"),
    ("AssessmentFactors", "19A", None, 2021, "removed in 2020-21 (replaced by 19B/19C; contract AM-7)"),
    *(("AssessmentFactors", code, 2021, None, "added in 2020-21") for code in ("18B", "18C", "19B", "19C")),
    ("AssessmentFactors", "24A", 2022, None, "added in 2021-22"),
    ("CINPlanDates", None, 2022, None, "added in 2021-22"),
    ("ReferralSource", "5D", 2023, None, "added in 2022-23"),
    ("ReasonForClosure", "RC9", 2023, None, "added in 2022-23"),
)


def year_rule_violation(child: etree._Element, schema_year: int) -> tuple[int, str] | None:
    """(line, message) of the first element of `child` the DfE schema of `schema_year` does not allow, or None.

    The shipped XSDs keep 18A/19A "on client request"; the contract follows the DfE XSD, which dropped them (AM-7).
    """
    rules = _rules_broken_in(schema_year)
    if not rules:
        return None
    for element in child.iter(*rules):  # only the elements some rule of the year can refuse, in document order
        text = (element.text or "").strip()
        for value, why in rules[element.tag]:
            if value is None or text == value:
                tag = element.tag
                shown = f"{tag} '{text}'" if value is not None else f"Element '{tag}'"
                return element.sourceline or 0, f"{shown} is not valid in schema year {schema_year}: {why}"
    return None


@cache
def _rules_broken_in(schema_year: int) -> dict[str, list[tuple[str | None, str]]]:
    """Element -> (value or None, why) of the `_YEAR_RULES` a file of `schema_year` breaks by holding it, in rule
    order."""
    rules: dict[str, list[tuple[str | None, str]]] = {}
    for tag, value, first, last, why in _YEAR_RULES:
        if (first is not None and schema_year < first) or (last is not None and schema_year >= last):
            rules.setdefault(tag, []).append((value, why))
    return rules
