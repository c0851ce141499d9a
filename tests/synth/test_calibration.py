"""Calibration: indicators computed from the written CSVs fall in the kpi-catalogue §5 bands (era B).

Placements (§5.1, Slough-sized LA): 195-230 children looked after, b08 9-16 %, b24 20-27 %. The generator stratifies
the draws that decide them (synth.population) and fills the LA's own foster carers up to a fixed capacity
(synth.foster_capacity), so from seed to seed the CLA count varies by ~7 children, b08 by ~2.0 pp and b24 by
~0.9 pp (one standard deviation; means ~209, 12.3 % and 24.1 %): 25 of the seeds 1-27 and 42 land in all three
bands at once.

Caseloads (b21 by service): the establishment (synth.workforce.establishment) is sized to the cases each service
holds. A snapshot moves with the service's vacancies; the mean of the final year's month ends much less. Over
seeds 1-8 and 42 the means span R&A 24.2-26.6, S&FS 22.2-24.4, CLA&SS 17.3-18.8, company 21.4-22.6, and the
31 October 2026 snapshots R&A 23.8-26.6, S&FS 19.3-26.9, CLA&SS 15.8-19.1, company 19.7-23.6: every figure in
the bands below except seed 6's S&FS snapshot (19.3, a month with S&FS almost fully staffed).
Tested: the demo default (42) and the first two seeds.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from synth import generate_organisation
from tests.synth.indicators import b21_by_service, combined_episodes, figures_on

LA = "E06000039"
AS_OF = date(2026, 10, 31)
# b21 bands for era-B synthetic. Services: kpi-catalogue §5.3 "Average caseload R&A / S&FS / CLA", band ±2 cases
# around the S2 values of 12-Jul, 9-Aug, 9-Sep and 29-Nov-21 (R&A 22.2-28.2, S&FS 23.3-25.7, CLA 17.1-19), so
# R&A 20.2-30.2, S&FS 21.3-27.7, CLA&SS 15.1-21.0 (targets 25 / 22 / 18, §1.3 t_avg_caseload_*).
# Company: the catalogue has no era-B band (§5.1's 16-20 is the band for era-A synthetic, from Apr-19 16.8 and
# Apr-20 19.1). The era-B service figures weighted by the §4.3 era-B headcounts (R&A 16-20, S&FS 27-31, CLA&SS
# 20-22) span (22.2*16 + 23.3*27 + 17.1*22) / 65 = 20.9 to (28.2*20 + 25.7*31 + 19*20) / 71 = 24.5; ±2 as §5.3.
B21_BANDS = {"RA": (20.2, 30.2), "SFS": (21.3, 27.7), "CLASS": (15.1, 21.0), "company": (18.9, 26.5)}


def month_ends_of_final_year() -> list[date]:
    ends, day = [], AS_OF
    for _ in range(12):
        ends.append(day)
        day = day.replace(day=1) - timedelta(days=1)
    return ends


@pytest.fixture(scope="module", params=[42, 1, 2])
def organisation(request, tmp_path_factory) -> Path:
    """One organisation per seed, shared by the tests of this module."""
    root = tmp_path_factory.mktemp(f"seed{request.param}")
    generate_organisation(root, LA, AS_OF, seed=request.param, months=1, history_years=3)
    return root / LA


def test_placement_indicators_are_in_the_calibration_bands(organisation):
    by_child = combined_episodes(organisation)
    figures = figures_on(by_child, AS_OF)
    assert 195 <= figures.cla <= 230
    assert 9.0 <= figures.b08_pct <= 16.0
    assert 20.0 <= figures.b24_pct <= 27.0
    counts = [figures_on(by_child, day).cla for day in month_ends_of_final_year()]
    assert 195 <= sum(counts) / len(counts) <= 230
    assert max(counts) - min(counts) < 45  # a steady state, neither emptying nor filling up


def test_caseloads_by_service_are_in_the_calibration_bands(organisation):
    # One delivery's SSD extracts hold every allocation of the window, so earlier month ends can be measured too
    # (the workers' roles and teams are as at the delivery, which for b21's population barely differs).
    ssd = organisation / f"{AS_OF:%Y-%m}" / "ssd"
    by_day = {day: b21_by_service(ssd, day) for day in month_ends_of_final_year()}
    for service, (low, high) in B21_BANDS.items():
        allocations, workers = by_day[AS_OF][service]
        assert low <= allocations / workers <= high, (service, allocations, workers)
        mean = sum(cases / holders for cases, holders in (figures[service] for figures in by_day.values())) / 12
        assert low <= mean <= high, (service, mean)
    # The service grain splits the company: every case-holding worker is in exactly one service.
    snapshot = by_day[AS_OF]
    services = [value for name, value in snapshot.items() if name != "company"]
    assert tuple(map(sum, zip(*services, strict=True))) == snapshot["company"]


def test_b21_counts_allocations_of_qualified_case_holding_workers(tmp_path):
    ssd = tmp_path / "ssd"
    ssd.mkdir()
    (ssd / "ssd_department.csv").write_text(
        "dept_team_id,local_service_code\nTRA,RA\nTCL,CLASS\nTCWD,CWD\nTCLV,CL\n", encoding="utf-8"
    )
    (ssd / "ssd_professionals.csv").write_text(
        "prof_professional_id,local_role_code,local_qualified_sw,local_case_holding,local_team_id\n"
        "W1,SW,Y,Y,TRA\n"  # R&A social worker
        "W2,ASYE,Y,Y,TRA\n"  # ASYEs count (catalogue §2.5 B9)
        "W3,TM,Y,N,TRA\n"  # managers do not
        "W4,SSW,Y,Y,TCWD\n"  # CWD rolls up to CLA&SS
        "W5,PA,N,N,TCLV\n"  # personal advisers do not count
        "W6,SW,Y,Y,TCL\n",  # holds no case on the day: not in the denominator
        encoding="utf-8",
    )
    rows = [
        ("W1", "ALLOCATED_SW", "2026-01-01", ""),
        ("W1", "ALLOCATED_SW", "2026-10-31", ""),  # starts on the day: open
        ("W1", "ALLOCATED_SW", "2026-01-01", "2026-10-31"),  # ended on the day (end exclusive): not open
        ("W2", "ALLOCATED_SW", "2026-05-01", "2026-11-30"),
        ("W3", "ALLOCATED_SW", "2026-05-01", ""),
        ("W4", "ALLOCATED_SW", "2026-05-01", ""),
        ("W4", "IRO", "2026-05-01", ""),  # only ALLOCATED_SW counts
        ("W5", "PA", "2026-05-01", ""),
        ("W6", "ALLOCATED_SW", "2026-11-01", ""),  # not started yet
    ]
    lines = [f"{worker},{role},{start},{end}" for worker, role, start, end in rows]
    header = "invo_professional_id,invo_professional_role_id,invo_involvement_start_date,invo_involvement_end_date"
    (ssd / "ssd_involvements.csv").write_text("\n".join([header, *lines]) + "\n", encoding="utf-8")
    # R&A: W1 holds 2 and W2 1 -> (3, 2); CLA&SS: W4 holds 1 -> (1, 1); company (4, 3) = 1.33 cases per worker.
    assert b21_by_service(ssd, AS_OF) == {"RA": (3, 2), "CLASS": (1, 1), "company": (4, 3)}
