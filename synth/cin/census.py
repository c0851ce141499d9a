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
from collections.abc import Callable
from datetime import date
from functools import lru_cache
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


@lru_cache(maxsize=1 << 16)
def _iso(day: int) -> str:
    return date.fromordinal(day).isoformat()


def _safe(value: str) -> str:
    """`value` as element text (ids and codes never need escaping: skip the call)."""
    return escape(value) if "&" in value or "<" in value or ">" in value else value


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def open(self, depth: int, tag: str) -> None:
        self.lines.append(f"{'  ' * depth}<{tag}>")

    def close(self, depth: int, tag: str) -> None:
        self.lines.append(f"{'  ' * depth}</{tag}>")

    def leaf(self, depth: int, tag: str, value: str) -> None:
        self.lines.append(f"{'  ' * depth}<{tag}>{_safe(value)}</{tag}>")


# The body of a Child is written with literal lines (depths 3 to 6: 6 to 12 spaces), not one call per element:
# the census is the largest file the generator writes. Dates (ISO) and code-list values never need escaping.
_I3, _I4, _I5, _I6 = " " * 6, " " * 8, " " * 10, " " * 12


def _episode(add: Callable[[str], None], referral: Referral, first: int, as_at: int, year: int) -> None:
    """One CINdetails, in the XSD's element order."""
    add(f"{_I3}<CINdetails>")
    add(f"{_I4}<CINreferralDate>{_iso(referral.date)}</CINreferralDate>")
    add(f"{_I4}<ReferralSource>{_safe(referral.source)}</ReferralSource>")
    if referral.primary_need:
        add(f"{_I4}<PrimaryNeedCode>{_safe(referral.primary_need)}</PrimaryNeedCode>")
    if referral.closure is not None and referral.closure <= as_at:
        add(f"{_I4}<CINclosureDate>{_iso(referral.closure)}</CINclosureDate>")
        add(f"{_I4}<ReasonForClosure>{_safe(referral.closure_reason)}</ReasonForClosure>")
    for assessment in referral.assessments:
        if assessment.start > as_at or assessment.authorised < first:
            continue
        add(f"{_I4}<Assessments>")
        add(f"{_I5}<AssessmentActualStartDate>{_iso(assessment.start)}</AssessmentActualStartDate>")
        if assessment.authorised <= as_at:
            add(f"{_I5}<AssessmentAuthorisationDate>{_iso(assessment.authorised)}</AssessmentAuthorisationDate>")
            add(f"{_I5}<FactorsIdentifiedAtAssessment>")
            for factor in assessment.factors:
                factor = _OLD_FACTORS.get(factor, factor) if year < 2021 else factor
                add(f"{_I6}<AssessmentFactors>{_safe(factor)}</AssessmentFactors>")
            add(f"{_I5}</FactorsIdentifiedAtAssessment>")
        add(f"{_I4}</Assessments>")
    if year >= 2022:
        for plan in referral.cin_plans:
            if plan.start > as_at or (plan.end is not None and plan.end < first):
                continue
            add(f"{_I4}<CINPlanDates>")
            add(f"{_I5}<CINPlanStartDate>{_iso(plan.start)}</CINPlanStartDate>")
            if plan.end is not None and plan.end <= as_at:
                add(f"{_I5}<CINPlanEndDate>{_iso(plan.end)}</CINPlanEndDate>")
            add(f"{_I4}</CINPlanDates>")
    for s47 in referral.section47s:
        if s47.start > as_at or s47.concluded < first:
            continue
        add(f"{_I4}<Section47>")
        add(f"{_I5}<S47ActualStartDate>{_iso(s47.start)}</S47ActualStartDate>")
        add(f"{_I5}<InitialCPCtarget>{_iso(s47.icpc_target)}</InitialCPCtarget>")
        if s47.icpc is not None and s47.icpc <= as_at:
            add(f"{_I5}<DateOfInitialCPC>{_iso(s47.icpc)}</DateOfInitialCPC>")
        not_required = "1" if s47.icpc is None and s47.concluded <= as_at else "0"
        add(f"{_I5}<ICPCnotRequired>{not_required}</ICPCnotRequired>")
        add(f"{_I4}</Section47>")
    add(f"{_I4}<ReferralNFA>{'1' if referral.nfa else '0'}</ReferralNFA>")
    for plan in referral.cp_plans:
        if plan.start > as_at or (plan.end is not None and plan.end < first):
            continue
        add(f"{_I4}<ChildProtectionPlans>")
        add(f"{_I5}<CPPstartDate>{_iso(plan.start)}</CPPstartDate>")
        if plan.end is not None and plan.end <= as_at:
            add(f"{_I5}<CPPendDate>{_iso(plan.end)}</CPPendDate>")
        add(f"{_I5}<InitialCategoryOfAbuse>{_safe(plan.initial_category)}</InitialCategoryOfAbuse>")
        add(f"{_I5}<LatestCategoryOfAbuse>{_safe(plan.latest_category)}</LatestCategoryOfAbuse>")
        add(f"{_I5}<NumberOfPreviousCPP>{plan.previous_plans}</NumberOfPreviousCPP>")
        reviews = [day for day in plan.reviews if first <= day <= as_at]
        if reviews:
            add(f"{_I5}<Reviews>")
            for day in reviews:
                add(f"{_I6}<CPPreviewDate>{_iso(day)}</CPPreviewDate>")
            add(f"{_I5}</Reviews>")
        add(f"{_I4}</ChildProtectionPlans>")
    add(f"{_I3}</CINdetails>")


def _child(out: _Writer, child: CINChild, episodes: list[Referral], first: int, as_at: int, year: int) -> None:
    add = out.lines.append
    add("    <Child>")
    add(f"{_I3}<ChildIdentifiers>")
    add(f"{_I4}<LAchildID>{_safe(child.child_id)}</LAchildID>")
    # UN1 until the child is of school age (4 by 31 August two years before the schema year: rule 8770Q, the same
    # test as the 903 Header's rule 209 in synth.extracts), then the school's UPN.
    child_upn = child.upn
    if child_upn == "UN1" and child.school_upn and anniversary(child.dob, 4) <= date(year - 2, 8, 31).toordinal():
        child_upn = child.school_upn
    if child_upn.startswith("UN"):
        add(f"{_I4}<UPNunknown>{_safe(child_upn)}</UPNunknown>")
    else:
        add(f"{_I4}<UPN>{_safe(child_upn)}</UPN>")
    unborn = child.dob > as_at
    birth_tag = "ExpectedPersonBirthDate" if unborn else "PersonBirthDate"
    add(f"{_I4}<{birth_tag}>{_iso(child.dob)}</{birth_tag}>")
    sex = "U" if unborn else child.sex
    if year <= 2024:
        add(f"{_I4}<GenderCurrent>{_GENDER[sex]}</GenderCurrent>")
    else:
        add(f"{_I4}<Sex>{_safe(sex)}</Sex>")
    if child.death is not None and child.death <= as_at:
        add(f"{_I4}<PersonDeathDate>{_iso(child.death)}</PersonDeathDate>")
    add(f"{_I3}</ChildIdentifiers>")
    add(f"{_I3}<ChildCharacteristics>")
    add(f"{_I4}<Ethnicity>{_safe(child.ethnic)}</Ethnicity>")
    if child.disabilities:
        add(f"{_I4}<Disabilities>")
        for code in child.disabilities:
            add(f"{_I5}<Disability>{_safe(code)}</Disability>")
        add(f"{_I4}</Disabilities>")
    add(f"{_I3}</ChildCharacteristics>")
    for referral in episodes:
        _episode(add, referral, first, as_at, year)
    add("    </Child>")


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
