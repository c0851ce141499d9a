"""Cut the CIN census XML of one collection year, as at a date, from the simulated truth (input contract §1.2), and
write an organisation's files: `write_cin_exports`.

Scope (§1.2.3, DfE census rules): every child with a CIN episode open at any time from 1 April to `as_at`; within
an episode, the modules open at some time in that window (an assessment authorised, a S47 concluded, a plan ended
before 1 April is left out; CP reviews are the year's). Anything after `as_at` is not known yet: closure,
authorisation, conference and end dates later than `as_at` are absent, and a S47 whose "no conference needed"
decision comes later shows ICPCnotRequired 0. An unborn child shows ExpectedPersonBirthDate and sex U (0).

The header carries ReferenceDate = 31 March of the schema year (rule 100 of the DfE validator), for in-year files
too; the manifest's as_at_date says how far the data go. Code lists follow the file's schema year (§1.2.4):
GenderCurrent (1/2/0) up to 2024 and Sex (M/F/U) from 2025, no CINPlanDates before 2022, 18A/19A before 2021.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from xml.sax.saxutils import escape

from synth.calendar import (
    add_months,
    anniversary,
    collection_year,
    collection_year_bounds,
    month_end,
    shift_collection_year,
)
from synth.cin.journeys import simulate_cin
from synth.cin.model import CINChild, Referral
from synth.cin.params import CINParams
from synth.population import Child
from synth.reference.la import dfe_la_number

# The DfE XSDs available (shared/reference/cin-census); other years validate against the nearest one, the earlier
# when two are as near (2023 -> 2024, 2027 -> 2026), as extract.cin.schema does.
XSD_YEARS = (2024, 2025, 2026)
SOFTWARE_CODE = "csc-warehouse synth"
_GENDER = {"M": "1", "F": "2", "U": "0"}
_OLD_FACTORS = {"18B": "18A", "18C": "18A", "19B": "19A", "19C": "19A"}


def schema_year(cy: str) -> int:
    """The schema year of collection year `cy` (its end year)."""
    return int(cy[:4]) + 1


def xsd_year(cy: str) -> int:
    """The year of the XSD to validate a `cy` file against: its own, else the nearest available one."""
    year = schema_year(cy)
    return min(XSD_YEARS, key=lambda available: (abs(available - year), -available))


def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def open(self, depth: int, tag: str) -> None:
        self.lines.append(f"{'  ' * depth}<{tag}>")

    def close(self, depth: int, tag: str) -> None:
        self.lines.append(f"{'  ' * depth}</{tag}>")

    def leaf(self, depth: int, tag: str, value: str) -> None:
        if "&" in value or "<" in value or ">" in value:  # dates and codes never need escaping: skip the call
            value = escape(value)
        self.lines.append(f"{'  ' * depth}<{tag}>{value}</{tag}>")


def _episode(out: _Writer, referral: Referral, first: int, as_at: int, year: int) -> None:
    """One CINdetails, in the XSD's element order."""
    d = 4
    out.open(3, "CINdetails")
    out.leaf(d, "CINreferralDate", _iso(referral.date))
    out.leaf(d, "ReferralSource", referral.source)
    if referral.primary_need:
        out.leaf(d, "PrimaryNeedCode", referral.primary_need)
    if referral.closure is not None and referral.closure <= as_at:
        out.leaf(d, "CINclosureDate", _iso(referral.closure))
        out.leaf(d, "ReasonForClosure", referral.closure_reason)
    for assessment in referral.assessments:
        if assessment.start > as_at or assessment.authorised < first:
            continue
        out.open(d, "Assessments")
        out.leaf(d + 1, "AssessmentActualStartDate", _iso(assessment.start))
        if assessment.authorised <= as_at:
            out.leaf(d + 1, "AssessmentAuthorisationDate", _iso(assessment.authorised))
            out.open(d + 1, "FactorsIdentifiedAtAssessment")
            for factor in assessment.factors:
                out.leaf(d + 2, "AssessmentFactors", _OLD_FACTORS.get(factor, factor) if year < 2021 else factor)
            out.close(d + 1, "FactorsIdentifiedAtAssessment")
        out.close(d, "Assessments")
    if year >= 2022:
        for plan in referral.cin_plans:
            if plan.start > as_at or (plan.end is not None and plan.end < first):
                continue
            out.open(d, "CINPlanDates")
            out.leaf(d + 1, "CINPlanStartDate", _iso(plan.start))
            if plan.end is not None and plan.end <= as_at:
                out.leaf(d + 1, "CINPlanEndDate", _iso(plan.end))
            out.close(d, "CINPlanDates")
    for s47 in referral.section47s:
        if s47.start > as_at or s47.concluded < first:
            continue
        out.open(d, "Section47")
        out.leaf(d + 1, "S47ActualStartDate", _iso(s47.start))
        out.leaf(d + 1, "InitialCPCtarget", _iso(s47.icpc_target))
        if s47.icpc is not None and s47.icpc <= as_at:
            out.leaf(d + 1, "DateOfInitialCPC", _iso(s47.icpc))
        out.leaf(d + 1, "ICPCnotRequired", "1" if s47.icpc is None and s47.concluded <= as_at else "0")
        out.close(d, "Section47")
    out.leaf(d, "ReferralNFA", "1" if referral.nfa else "0")
    for plan in referral.cp_plans:
        if plan.start > as_at or (plan.end is not None and plan.end < first):
            continue
        out.open(d, "ChildProtectionPlans")
        out.leaf(d + 1, "CPPstartDate", _iso(plan.start))
        if plan.end is not None and plan.end <= as_at:
            out.leaf(d + 1, "CPPendDate", _iso(plan.end))
        out.leaf(d + 1, "InitialCategoryOfAbuse", plan.initial_category)
        out.leaf(d + 1, "LatestCategoryOfAbuse", plan.latest_category)
        out.leaf(d + 1, "NumberOfPreviousCPP", str(plan.previous_plans))
        reviews = [day for day in plan.reviews if first <= day <= as_at]
        if reviews:
            out.open(d + 1, "Reviews")
            for day in reviews:
                out.leaf(d + 2, "CPPreviewDate", _iso(day))
            out.close(d + 1, "Reviews")
        out.close(d, "ChildProtectionPlans")
    out.close(3, "CINdetails")


def _child(out: _Writer, child: CINChild, episodes: list[Referral], first: int, as_at: int, year: int) -> None:
    out.open(2, "Child")
    out.open(3, "ChildIdentifiers")
    out.leaf(4, "LAchildID", child.child_id)
    # UN1 until the child is of school age (4 by 31 August two years before the schema year: rule 8770Q, the same
    # test as the 903 Header's rule 209 in synth.extracts), then the school's UPN.
    child_upn = child.upn
    if child_upn == "UN1" and child.school_upn and anniversary(child.dob, 4) <= date(year - 2, 8, 31).toordinal():
        child_upn = child.school_upn
    if child_upn.startswith("UN"):
        out.leaf(4, "UPNunknown", child_upn)
    else:
        out.leaf(4, "UPN", child_upn)
    unborn = child.dob > as_at
    out.leaf(4, "ExpectedPersonBirthDate" if unborn else "PersonBirthDate", _iso(child.dob))
    sex = "U" if unborn else child.sex
    out.leaf(4, "GenderCurrent" if year <= 2024 else "Sex", _GENDER[sex] if year <= 2024 else sex)
    if child.death is not None and child.death <= as_at:
        out.leaf(4, "PersonDeathDate", _iso(child.death))
    out.close(3, "ChildIdentifiers")
    out.open(3, "ChildCharacteristics")
    out.leaf(4, "Ethnicity", child.ethnic)
    if child.disabilities:
        out.open(4, "Disabilities")
        for code in child.disabilities:
            out.leaf(5, "Disability", code)
        out.close(4, "Disabilities")
    out.close(3, "ChildCharacteristics")
    for referral in episodes:
        _episode(out, referral, first, as_at, year)
    out.close(2, "Child")


def in_scope(child: CINChild, first: int, as_at: int) -> list[Referral]:
    """The child's episodes open at some time from `first` to `as_at` (DfE scope of the census)."""
    return [r for r in child.referrals if r.date <= as_at and (r.closure is None or r.closure >= first)]


def census_xml(children: list[CINChild], la_code: str, cy: str, as_at_date: date) -> tuple[bytes, int]:
    """The census file of `cy` as at `as_at_date` (UTF-8 bytes, LF) and its number of Child elements."""
    first = collection_year_bounds(cy)[0].toordinal()
    as_at = as_at_date.toordinal()
    year = schema_year(cy)
    out = _Writer()
    out.lines.append('<?xml version="1.0" encoding="UTF-8"?>')
    out.open(0, "Message")
    out.open(1, "Header")
    out.open(2, "CollectionDetails")
    out.leaf(3, "Collection", "CIN")
    out.leaf(3, "Year", str(year))
    out.leaf(3, "ReferenceDate", f"{year}-03-31")
    out.close(2, "CollectionDetails")
    out.open(2, "Source")
    out.leaf(3, "SourceLevel", "L")
    out.leaf(3, "LEA", dfe_la_number(la_code))
    out.leaf(3, "SoftwareCode", SOFTWARE_CODE)
    out.close(2, "Source")
    out.close(1, "Header")
    out.open(1, "Children")
    count = 0
    for child in children:  # sorted by id
        episodes = in_scope(child, first, as_at)
        if episodes:
            _child(out, child, episodes, first, as_at, year)
            count += 1
    out.close(1, "Children")
    out.close(0, "Message")
    return ("\n".join(out.lines) + "\n").encode("utf-8"), count


TABLE = "cin"  # the manifest's table name of a CIN census file (extract.cin.reader.TABLE_NAME)


def _write(path: Path, data: bytes) -> dict[str, object]:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"sha256": hashlib.sha256(data).hexdigest()}


def simulate_for_span(
    la_code: str, as_of: date, children: list[Child], seed: int, months: int, history_years: int, params: CINParams
) -> list[CINChild]:
    """The CIN truth for the span the 903 exports cover: from `lead_in_years` before the first history year."""
    first_cy = collection_year(month_end(*add_months(as_of, -(months - 1))))
    first = collection_year_bounds(shift_collection_year(first_cy, -history_years))[0]
    return simulate_cin(seed, la_code, children, date(first.year - params.lead_in_years, 4, 1), as_of, params)


def write_cin_exports(
    inbound_root: Path,
    la_code: str,
    as_of: date,
    children: list[Child],
    seed: int,
    months: int,
    history_years: int,
    params: CINParams | None = None,
    cin_children: list[CINChild] | None = None,
) -> dict[str, list[dict]]:
    """Write `inbound/<la>/<YYYY-MM>/cin/<la>_cin_<CY>.xml` (in-year, as at each period end) for the `months`
    deliveries ending at `as_of`, and `inbound/<la>/history/cin/<CY>/<la>_cin_<CY>.xml` (complete, as at 31 March)
    for the `history_years` collection years before the first delivery's. Returns the manifest entries
    ({"path", "table", "rows", "sha256"}; rows = Child elements) keyed by delivery folder relative to
    inbound/<la>, with paths relative to that folder. `cin_children` is the truth from `simulate_for_span`."""
    params = params or CINParams()
    if cin_children is None:  # the caller may share one simulated truth with the SSD and local writers
        cin_children = simulate_for_span(la_code, as_of, children, seed, months, history_years, params)
    root = Path(inbound_root) / la_code
    period_ends = [month_end(*add_months(as_of, -back)) for back in range(months - 1, -1, -1)]
    first_cy = collection_year(period_ends[0])
    entries: dict[str, list[dict]] = {}
    for back in range(history_years, 0, -1):
        cy = shift_collection_year(first_cy, -back)
        name = f"{la_code}_cin_{cy}.xml"
        data, rows = census_xml(cin_children, la_code, cy, collection_year_bounds(cy)[1])
        facts = _write(root / "history" / "cin" / cy / name, data)
        entries[f"history/cin/{cy}"] = [{"path": name, "table": TABLE, "rows": rows, **facts}]
    for period_end in period_ends:
        cy = collection_year(period_end)
        name = f"{la_code}_cin_{cy}.xml"
        data, rows = census_xml(cin_children, la_code, cy, period_end)
        facts = _write(root / f"{period_end:%Y-%m}" / "cin" / name, data)
        entries[f"{period_end:%Y-%m}"] = [{"path": f"cin/{name}", "table": TABLE, "rows": rows, **facts}]
    return entries
