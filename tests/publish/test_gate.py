"""Write–audit–publish: every §5.8 gate the candidate is audited for fails on purpose, publishes nothing, leaves the
previous publication byte for byte as it was, and says in the report which gate failed and why.

The world: October 2026 already published from a good candidate. Each test then audits a broken re-run of
October (and a first November) and checks the publish folder did not change. The gates that run inside the dbt
build (referential integrity, delivered code lists, the RAG vectors) stop the run before any candidate exists:
tests/e2e/test_pipeline_end_to_end.py breaks a code list on purpose; tests/publish/test_rag_sql.py runs the
vector test.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from expectations.tsg_dataset_suite import (
    GATE_CLA_903,
    GATE_CODE_LISTS,
    GATE_COMPLETENESS,
    GATE_NUMERATOR,
    GATE_OPEN_CHILDREN,
    GATE_PERCENT,
    GATE_RAG,
    GATE_RECONCILIATION,
)
from expectations.warehouse_reconciliation import RECONCILIATIONS_NAME
from publish.gate import GateFailedError, PublicationPaths, audit_and_publish
from tests.helpers import tree_snapshot
from tests.publish.candidate import AS_OF, LA_CODE, SERVICE_KPI, good_reconciliations, good_rows, write_candidate

PERCENT_KPI = "b08_cla_3plus_placements_12m"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> tuple[PublicationPaths, dict]:
    """October 2026 published once from the good candidate (shared: the tests below only read it)."""
    root = tmp_path_factory.mktemp("gate")
    paths = PublicationPaths(root / "published", root / "reports", root / "landing")
    dataset, series = good_rows()
    write_candidate(root / "candidate", dataset, series)
    result = audit_and_publish(root / "candidate", paths, la_code=LA_CODE, as_of=AS_OF, dbt_summary={"success": True})
    # The report of this passing run, before the tests below overwrite it with their failing attempts.
    result["report_text"] = Path(result["report"]).read_text()
    result["failed_markers"] = sorted(p.name for p in paths.reports_dir.glob("FAILED-*"))
    return paths, result


def _set(rows: list[dict], kpi_id: str, **changes: object) -> list[dict]:
    return [{**row, **changes} if row["kpi_id"] == kpi_id and row["grain"] == "company" else row for row in rows]


def _drop(rows: list[dict], kpi_id: str) -> list[dict]:
    return [row for row in rows if row["kpi_id"] != kpi_id]


def _service(rows: list[dict], **changes: object) -> list[dict]:
    return [
        {**row, **changes}
        if row["grain"] == "service" and row["grain_key"] == "RA" and row["period_end"] == AS_OF
        else row
        for row in rows
    ]


Breakage = Callable[[list[dict], list[dict]], tuple[list[dict], list[dict]]]
BREAKAGES: dict[str, tuple[Breakage, str, str]] = {
    # name: (how the candidate is broken, the gate that must fail, a phrase of the report's reason)
    "indicator_missing": (lambda d, s: (_drop(d, PERCENT_KPI), s), GATE_COMPLETENESS, f"missing ['{PERCENT_KPI}']"),
    "indicator_twice": (lambda d, s: ([*d, d[0]], s), GATE_COMPLETENESS, "expect_compound_columns_to_be_unique"),
    "numerator_above_denominator": (
        lambda d, s: (_set(d, PERCENT_KPI, numerator=51), s),
        GATE_NUMERATOR,
        "expect_column_pair_values_a_to_be_greater_than_b",
    ),
    "percentage_out_of_range": (
        lambda d, s: (_set(d, PERCENT_KPI, value=Decimal("100.5")), s),
        GATE_PERCENT,
        "100.5",
    ),
    "rag_state_null": (lambda d, s: (_set(d, PERCENT_KPI, rag_state=None), s), GATE_RAG, "rag_state"),
    "services_do_not_add_up": (
        lambda d, s: (d, _service(s, numerator=21)),
        GATE_RECONCILIATION,
        "company_numerator",
    ),
    "trend_disagrees_with_dataset": (
        lambda d, s: (
            d,
            [
                {**r, "value": Decimal("12.3")}
                if r["kpi_id"] == SERVICE_KPI and r["grain"] == "company" and r["period_end"] == AS_OF
                else r
                for r in s
            ],
        ),
        GATE_RECONCILIATION,
        "dataset_value",
    ),
    "colour_not_in_code_list": (
        lambda d, s: (_set(d, PERCENT_KPI, rag_colour="Purple"), s),
        GATE_CODE_LISTS,
        "Purple",
    ),
    "organisation_code_invalid": (lambda d, s: (_set(d, PERCENT_KPI, la_code="871"), s), GATE_CODE_LISTS, "871"),
}


def _assert_blocked(paths: PublicationPaths, candidate: Path, gate: str, reason: str) -> None:
    """Auditing `candidate` fails on `gate` with `reason` in the report, and the publish folder does not change."""
    before = tree_snapshot(paths.publish_dir)
    month = AS_OF.strftime("%Y-%m")

    with pytest.raises(GateFailedError, match=f"publication gate failed for {LA_CODE} {month}") as failure:
        audit_and_publish(candidate, paths, la_code=LA_CODE, as_of=AS_OF, dbt_summary={})

    assert tree_snapshot(paths.publish_dir) == before  # nothing published, the October release untouched
    report = json.loads((paths.reports_dir / LA_CODE / month / "checkpoint.json").read_text())
    assert report["success"] is False
    assert gate in report["failed_gates"]
    failed_text = (paths.reports_dir / f"FAILED-{LA_CODE}-{month}.md").read_text()
    assert f"### {gate}" in failed_text and reason in failed_text
    assert str(paths.reports_dir / f"FAILED-{LA_CODE}-{month}.md") in str(failure.value)
    # Nothing half-written either: no partial release folders.
    assert not [p for p in paths.publish_dir.rglob(".*")]


@pytest.mark.parametrize("name", sorted(BREAKAGES))
def test_each_gate_blocks_publication_and_keeps_the_previous_month(
    name: str, published: tuple[PublicationPaths, dict], tmp_path: Path
) -> None:
    paths, _ = published
    breakage, gate, reason = BREAKAGES[name]
    dataset, series = breakage(*good_rows())
    write_candidate(tmp_path / "candidate", dataset, series)
    _assert_blocked(paths, tmp_path / "candidate", gate, reason)


def _reconciled(check_id: str, measured: int, reference: int) -> list[dict]:
    """The good reconciliations with one check's counts changed, and its status as the dbt model would set it."""
    rows = []
    for row in good_reconciliations():
        if row["check_id"] == check_id:
            difference = measured - reference
            status = "PASS" if abs(difference) <= row["tolerance"] else "FAIL"
            row = {**row, "measured_count": measured, "reference_count": reference, "difference": difference}
            row["status"] = status
        rows.append(row)
    return rows


# name: (pub_tsg_reconciliations rows, the gate that must fail, a phrase of the report's reason)
RECONCILIATION_BREAKAGES: dict[str, tuple[list[dict] | None, str, str]] = {
    # 3 children open on a plan or assessment with neither an open referral nor a 903 episode: 1,603 vs 1,600.
    "open_children_exceed_the_union": (
        _reconciled("open_children", 1603, 1600),
        GATE_OPEN_CHILDREN,
        "children open on any record 1603 against children with an open referral or 903 episode 1600, "
        "difference 3, tolerance ±0",
    ),
    # 903 says 210 looked after, the case system's list 207: 3 apart, beyond ±2.
    "cla_903_beyond_two_of_the_case_system": (
        _reconciled("cla_903", 210, 207),
        GATE_CLA_903,
        "children looked after from 903 episodes 210 against children open on the case-system CLA list 207, "
        "difference 3, tolerance ±2",
    ),
    # The export did not carry the reconciliations: not run is not passed.
    "reconciliations_not_exported": (None, GATE_OPEN_CHILDREN, "expect_column_distinct_values_to_contain_set"),
}


@pytest.mark.parametrize("name", sorted(RECONCILIATION_BREAKAGES))
def test_each_warehouse_reconciliation_blocks_publication(
    name: str, published: tuple[PublicationPaths, dict], tmp_path: Path
) -> None:
    paths, _ = published
    reconciliations, gate, reason = RECONCILIATION_BREAKAGES[name]
    write_candidate(tmp_path / "candidate", *good_rows(), reconciliations=reconciliations or [])
    if reconciliations is None:
        (tmp_path / "candidate" / RECONCILIATIONS_NAME).unlink()
    _assert_blocked(paths, tmp_path / "candidate", gate, reason)


def test_a_difference_within_two_children_publishes(tmp_path: Path) -> None:
    """The tolerance's edge: 903 210 against 208 on the list (2 apart) passes the CLA gate."""
    paths = PublicationPaths(tmp_path / "published", tmp_path / "reports", tmp_path / "landing")
    write_candidate(tmp_path / "candidate", *good_rows(), reconciliations=_reconciled("cla_903", 210, 208))
    result = audit_and_publish(tmp_path / "candidate", paths, la_code=LA_CODE, as_of=AS_OF, dbt_summary={})
    assert (Path(result["published"]) / RECONCILIATIONS_NAME).exists()


def test_good_candidate_publishes_every_output(published: tuple[PublicationPaths, dict]) -> None:
    paths, result = published
    public = paths.publish_dir / LA_CODE / "2026-10"
    assert result["published"] == str(public)
    assert sorted(p.name for p in public.iterdir()) == [
        "dashboard.html",
        "manifest.json",
        "tsg_dataset.csv",
        "tsg_dataset.parquet",
        "tsg_dataset.xlsx",
        "tsg_reconciliations.parquet",
        "tsg_series.parquet",
    ]
    manifest = json.loads((public / "manifest.json").read_text())
    assert manifest["as_of"] == "2026-10-31"
    assert manifest["checkpoint"]["success"] is True and manifest["dbt_build"] == {"success": True}
    assert set(manifest["files"]) == {p.name for p in public.iterdir()} - {"manifest.json"}
    assert len(manifest["code_version"]) >= 40  # the git commit (with -dirty when the tree had changes)
    assert manifest["settings"] == {"suppress_below": 0}
    # A passing run leaves its report (warnings, indicators not yet measured) and no FAILED marker.
    assert result["report_text"].startswith(f"# TSG dataset {LA_CODE} 2026-10: publication gate PASSED")
    assert "* b09_yj_reoffending" in result["report_text"]  # a planned TSG indicator: listed, not required
    assert result["failed_markers"] == []


def test_a_first_month_that_fails_publishes_nothing(published: tuple[PublicationPaths, dict], tmp_path: Path) -> None:
    paths, _ = published
    november = date(2026, 11, 30)
    before = tree_snapshot(paths.publish_dir)
    dataset, series = good_rows(november)
    write_candidate(tmp_path / "candidate", _drop(dataset, PERCENT_KPI), series)
    with pytest.raises(GateFailedError, match=f"publication gate failed for {LA_CODE} 2026-11"):
        audit_and_publish(tmp_path / "candidate", paths, la_code=LA_CODE, as_of=november, dbt_summary={})
    assert tree_snapshot(paths.publish_dir) == before  # no November, and latest still October
    assert not (paths.publish_dir / LA_CODE / "2026-11").exists()


def test_failure_marker_goes_when_the_month_passes_again(tmp_path: Path) -> None:
    paths = PublicationPaths(tmp_path / "published", tmp_path / "reports", tmp_path / "landing")
    dataset, series = good_rows()
    write_candidate(tmp_path / "bad", _drop(dataset, PERCENT_KPI), series)
    with pytest.raises(GateFailedError):
        audit_and_publish(tmp_path / "bad", paths, la_code=LA_CODE, as_of=AS_OF, dbt_summary={})
    assert (paths.reports_dir / f"FAILED-{LA_CODE}-2026-10.md").exists()
    write_candidate(tmp_path / "good", dataset, series)
    audit_and_publish(tmp_path / "good", paths, la_code=LA_CODE, as_of=AS_OF, dbt_summary={})
    assert not (paths.reports_dir / f"FAILED-{LA_CODE}-2026-10.md").exists()
    assert (paths.publish_dir / LA_CODE / "2026-10" / "tsg_dataset.parquet").exists()
