"""The KPI register seed as data: complete rows, one version in force at a time, live vs planned indicators."""

from __future__ import annotations

import csv
from collections import defaultdict
from datetime import date
from itertools import pairwise

from expectations.kpi_register import KPI_REGISTER_SEED, definitions, load_register, tsg_kpis_due, tsg_kpis_planned


def test_every_row_has_every_column() -> None:
    # A row appended without the later columns (publish_board, status, impact_from, definition) is caught here.
    with KPI_REGISTER_SEED.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.reader(handle))
    header = rows[0]
    assert header[-4:] == ["publish_board", "status", "impact_from", "definition"]
    short = [(number, row[0]) for number, row in enumerate(rows[1:], start=2) if len(row) != len(header)]
    assert short == []


def test_one_version_in_force_at_a_time() -> None:
    periods = defaultdict(list)
    for row in load_register():
        periods[(row.kpi_id, row.grain, row.grain_key)].append((row.valid_from, row.valid_to or date.max))
    for key, spans in periods.items():
        spans.sort()
        for (_, end), (start, _) in pairwise(spans):
            assert end < start, key


def test_live_tsg_rows_are_due_and_planned_rows_are_not() -> None:
    due, planned = tsg_kpis_due(date(2026, 10, 31)), tsg_kpis_planned(date(2026, 10, 31))
    assert {"b08_cla_3plus_placements_12m", "b17_cla_reviews_in_time", "t_cp_plans_open_2y_plus"} <= due
    assert {"b09_yj_reoffending", "b14_cla_ks2_expected", "t_audit_ri_plus"} <= planned
    assert not due & planned
    # Validity: the TSG-era indicators start in April 2021.
    assert "t_assess_open_in_time" not in tsg_kpis_due(date(2021, 3, 31))
    assert "t_assess_open_in_time" in tsg_kpis_due(date(2021, 4, 30))


def test_every_indicator_has_a_definition_and_its_source() -> None:
    register = definitions(date(2026, 10, 31))
    assert [kpi for kpi, row in register.items() if not row.definition or not row.seed_ref] == []
    assert register["b14_cla_ks2_expected"].target is None and register["b14_cla_ks2_expected"].rag_rule == "TBC"
    assert register["b20_audit_ri_plus"].publish_board and not register["t_audit_ri_plus"].publish_board


def test_definitions_say_what_counts_rather_than_point_at_the_docs() -> None:
    """The dashboard shows `definition` one click from each tile: it must define the figure itself (population,
    numerator, window), as the compliance rows do, not send the reader to the catalogue or the mart pages."""
    register = definitions(date(2026, 10, 31))
    pointers = [
        kpi
        for kpi, row in register.items()
        if "docs/marts" in row.definition or "Counting rules" in row.definition or "kpi-catalogue" in row.definition
    ]
    assert pointers == []
    # Two of the rows rewritten from the catalogue and docs/marts: both sides of the ratio, and the window.
    assert register["b21_avg_caseload_frontline_sw"].definition.startswith(
        "On the last day of the month: the children allocated to frontline social workers"
    )
    assert "12 months to the month end" in register["b22_perm_staff_turnover_12m"].definition
