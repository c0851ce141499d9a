"""Property-based fuzzing of the CIN census XML reader (input contract §1.2).

Each example builds a census from the contract's element order (children with referrals, assessments, plans,
section 47s and protection plans, with dates that may break the row rules), then damages its tree (an element moved
under another, dropped, repeated, renamed, given junk text or stray text after it) and perhaps its bytes, extracts
it, and holds the outcome to `fuzz_support.assert_accounted`: landed with every record landed or quarantined with a
reason, or rejected whole with one line; never an exception, never a lost record.
"""

from __future__ import annotations

from unittest import mock

from hypothesis import event, given
from hypothesis import strategies as st
from lxml import etree

from extract import extract_file, extractor
from tests.extract.family_builders import cin_child, cin_details, cin_xml, cp_plan, deliver_to
from tests.extract.fuzz_support import (
    CIN_RECORD_TAGS,
    EXTREME,
    assert_accounted,
    cin_rows_in,
    fresh_root,
    mutated_bytes,
    one_in,
    outcome_kind,
)

NAME = "E06000039_cin_2025-26.xml"
# Dates around the delivery (as-at 31/10/2025): ordinary ones, and one after the as-at date (R06). Malformed dates
# (an XSD error: the whole file is F05) come from the tree faults' junk text.
DATES = st.sampled_from(["2025-05-01", "2025-06-01", "2025-04-02", "2024-12-31", "2025-11-30"])
IDS = st.sampled_from(["C001", "C002", "C003"])  # few ids, so a LAchildID on two children (R03) happens
# Text lxml will set (it refuses NUL and other control characters) with what breaks XML readers: markup characters.
XML_TEXT = st.text(alphabet=st.sampled_from([" ", "<", ">", "&", '"', "é", "\ufeff", "x", "1", "-", "\n"]), max_size=6)
TAGS = [*CIN_RECORD_TAGS, "Header", "Children", "ChildIdentifiers", "LAchildID", "Sex", "ReferralNFA", "Reviews"]


@st.composite
def _details(draw: st.DrawFn) -> str:
    modules = ""
    if draw(st.booleans()):
        modules += (
            f"<Assessments><AssessmentActualStartDate>{draw(DATES)}</AssessmentActualStartDate>"
            f"<AssessmentAuthorisationDate>{draw(DATES)}</AssessmentAuthorisationDate>"
            "<FactorsIdentifiedAtAssessment>"
            + "".join(
                f"<AssessmentFactors>{draw(st.sampled_from(['1B', '3A', '1B', 'ZZ']))}</AssessmentFactors>"
                for _ in range(draw(st.integers(1, 3)))
            )
            + "</FactorsIdentifiedAtAssessment></Assessments>"
        )
    if draw(st.booleans()):
        modules += f"<CINPlanDates><CINPlanStartDate>{draw(DATES)}</CINPlanStartDate></CINPlanDates>"
    if draw(st.booleans()):
        modules += (
            f"<Section47><S47ActualStartDate>{draw(DATES)}</S47ActualStartDate>"
            "<ICPCnotRequired>0</ICPCnotRequired></Section47>"
        )
    after = ""
    if draw(st.booleans()):
        reviews = tuple(draw(st.lists(DATES, max_size=3)))
        end = draw(st.sampled_from(["", "2025-05-01", "2025-09-01"]))
        after = cp_plan(start=draw(DATES), end=end, reviews=reviews)
    return cin_details(referral=draw(DATES), modules=modules, after_nfa=after)


@st.composite
def _census(draw: st.DrawFn) -> bytes:
    children = []
    for _ in range(draw(st.integers(1, 3))):
        disabilities = draw(st.sampled_from(["", "<Disabilities><Disability>MOB</Disability></Disabilities>"]))
        details = "".join(draw(_details()) for _ in range(draw(st.integers(1, 2))))
        children.append(cin_child(draw(IDS), details=details, disabilities=disabilities))
    odd_reference = st.sampled_from([None, "2025-03-31", "2026-13-31"])
    reference = draw(odd_reference) if one_in(draw, 8) else "2026-03-31"
    lea = "871" if not one_in(draw, 10) else "999"
    return cin_xml(*children, lea=lea, reference_date=reference).encode("utf-8")


@st.composite
def _damaged_tree(draw: st.DrawFn, data: bytes) -> bytes:
    """`data` with zero to two tree faults, then serialised (pretty-printed or on one line)."""
    root = etree.fromstring(data)
    for _ in range(draw(st.integers(0, 2))):
        elements = list(root.iter())
        # Half the faults hit a record or structural element: the ones whose place the reader relies on.
        records = [item for item in elements if item.tag in TAGS[: len(CIN_RECORD_TAGS) + 2]]
        pool = records if draw(st.booleans()) else elements
        element = pool[draw(st.integers(0, len(pool) - 1))]
        fault = draw(st.sampled_from(["move", "move", "drop", "repeat", "rename", "text", "tail"]))
        parent = element.getparent()
        if fault == "move" and parent is not None:
            # Most moves go under a structural element (a Child inside Header, a Header inside Children...).
            structural = [item for item in elements if item.tag in ("Message", "Header", "Children", "Child")]
            targets = elements if one_in(draw, 4) else structural
            target = targets[draw(st.integers(0, len(targets) - 1))]
            if element not in target.iterancestors() and target is not element:
                target.insert(draw(st.integers(0, len(target))), element)
        elif fault == "drop" and parent is not None:
            parent.remove(element)
        elif fault == "repeat" and parent is not None:
            parent.insert(parent.index(element), etree.fromstring(etree.tostring(element)))
        elif fault == "rename":
            element.tag = draw(st.sampled_from(TAGS))
        elif fault == "text":
            element.text = draw(XML_TEXT | EXTREME | DATES)
        elif fault == "tail" and parent is not None:
            element.tail = draw(st.sampled_from(["oops", "  ", "\n"]))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=draw(st.booleans()))


@st.composite
def cin_files(draw: st.DrawFn) -> tuple[str, bytes]:
    data = draw(_census())
    if not one_in(draw, 4):
        data = draw(_damaged_tree(data))
    if one_in(draw, 4):
        data = draw(mutated_bytes(data))
    if one_in(draw, 20):
        data = data.replace(b"<Message>", b'<!DOCTYPE Message [<!ENTITY x "y">]><Message>', 1)
    name = NAME if not one_in(draw, 20) else "E06000039_cin_2025-26.txt"
    return name, data


@given(file=cin_files(), row_limit=st.sampled_from([1.0, extractor.REJECTED_ROWS_LIMIT]))
def test_fuzzed_cin_files_land_quarantine_or_reject_and_lose_no_record(
    file: tuple[str, bytes], row_limit: float
) -> None:
    name, data = file
    with fresh_root() as root, mock.patch.object(extractor, "REJECTED_ROWS_LIMIT", row_limit):
        path = deliver_to(root / "inbound", "cin", name, data)
        outcome = extract_file(
            path, inbound_dir=root / "inbound", landing_dir=root / "landing", archive_dir=root / "archive"
        )
        assert_accounted(root, outcome, cin_rows_in(data), one_issue_per_row=True)
        event(outcome_kind(outcome))


MOVABLE = ["Child", "Header", "Children", "CINdetails", "ChildIdentifiers", "Source", "Disabilities"]
HOSTS = ["Message", "Header", "Children", "Child", "CINdetails", "CollectionDetails"]


@st.composite
def misplaced_files(draw: st.DrawFn) -> bytes:
    """A census with one structural element moved under another (a Child inside Header, a Header inside
    Children...): the reader's quick walk must hand these to the full walk, which must word an F05."""
    root = etree.fromstring(draw(_census()))
    element = root.find(f".//{draw(st.sampled_from(MOVABLE))}")
    host = root if (tag := draw(st.sampled_from(HOSTS))) == "Message" else root.find(f".//{tag}")
    if element is not None and host is not None and host is not element and element not in host.iterancestors():
        host.insert(draw(st.integers(0, len(host))), element)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=draw(st.booleans()))


@given(data=misplaced_files())
def test_a_misplaced_structural_element_is_f05_or_lands_whole(data: bytes) -> None:
    with fresh_root() as root:
        path = deliver_to(root / "inbound", "cin", NAME, data)
        outcome = extract_file(
            path, inbound_dir=root / "inbound", landing_dir=root / "landing", archive_dir=root / "archive"
        )
        assert_accounted(root, outcome, cin_rows_in(data), one_issue_per_row=True)
        event(outcome_kind(outcome))
