"""Calibration: the Weekly Compliance Report counts by service (kpi-catalogue §5.2, era B) for the default seed, on
three month ends a year apart at most (a single date moves by ~10-15 items from month to month, so the narrow
bands are held on the mean).

Bands (§4.1 from §5.2's four CR dates): open assessments R&A 271-391, S&FS 25-65, CLA&SS 24-68, company 348-492;
children with a statutory visit requirement company 1,473-1,560 (by service R&A 394-514, S&FS 655-731, CLA&SS
371-384); CP plans open 290-310 (§4.1 era A/B). The company figures include the exploitation service (EYJ), which
the warehouse reports as a service of its own.
"""

from __future__ import annotations

from datetime import date

import pytest

from tests.synth.ssd.conftest import AS_OF
from tests.synth.ssd.service_counts import service_counts

DATES = (AS_OF, date(2026, 3, 31), date(2025, 11, 30))
OPEN_ASSESSMENTS = {"RA": (271, 391), "SFS": (25, 65), "CLASS": (24, 68)}
VISIT_CHILDREN = {"RA": (394, 514), "SFS": (655, 731), "CLASS": (371, 384)}


@pytest.mark.parametrize("day", DATES, ids=str)
def test_open_assessments_by_service_are_in_the_bands(organisation, day):
    counts = service_counts(organisation.casework, day.toordinal())
    for service, (low, high) in OPEN_ASSESSMENTS.items():
        assert low <= counts.open_assessments[service] <= high, (service, counts.open_assessments)
    assert 348 <= sum(counts.open_assessments.values()) <= 492


def test_cp_plans_and_visit_requirement_children_are_in_the_bands(organisation):
    """Means over the three dates (seed 42: CP plans 291, 304, 299; children 1,473, 1,498, 1,499)."""
    counts = [service_counts(organisation.casework, day.toordinal()) for day in DATES]
    assert 290 <= sum(count.cp_plans for count in counts) / len(counts) <= 310
    assert 1473 <= sum(sum(count.visit_children.values()) for count in counts) / len(counts) <= 1560


@pytest.mark.xfail(
    strict=True,
    reason="CLA&SS counts ~155 care leavers (PATHWAY, t_visits_in_time_all) that S2's 371-384 leave out, R&A holds "
    "only children in assessment, S&FS ~20 short at this date (issue 3 item 3, left open)",
)
def test_visit_requirement_children_by_service_are_in_the_bands(organisation):
    """Seed 42 on 31 October 2026: R&A 317 (only its children in assessment: 317 of the 389 open assessments),
    S&FS 625 (on CIN and CP plans), CLA&SS 502 (201 looked after, 159 care leavers 16-21, ~95 on CIN plans:
    disabled or back home, ~20 on CP plans, ~25 in assessment with the disabled children's team); the company's
    1,473 is in its band. Without the care leavers CLA&SS would be ~343: S2's service figures evidently count
    children these definitions do not (R&A ~100 beyond its open assessments), and no care leavers. Holding CIN cases
    in R&A after the assessment only moves children from S&FS (company unchanged, S&FS open assessments below 25),
    and even every B4 stock at the top of its band leaves the company short: docs/marts/compliance.md, "Care leavers
    in the population"."""
    counts = service_counts(organisation.casework, AS_OF.toordinal())
    for service, (low, high) in VISIT_CHILDREN.items():
        assert low <= counts.visit_children[service] <= high, (service, counts.visit_children)
