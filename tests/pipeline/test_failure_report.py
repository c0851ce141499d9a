"""Alerts and evidence: the failure report names the step, the reason and the affected indicators; the run's step log
is kept beside it; the command line exits non-zero; Airflow retries only transient failures."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pandas as pd
import pytest

from expectations import tsg_dataset_suite as suite
from expectations.kpi_register import load_register
from pipeline import airflow_tasks, failure_report, run_log, steps
from pipeline.cli import main
from pipeline.lock import WarehouseBusyError
from pipeline.settings import Settings
from pipeline.transient import TransientError, is_transient
from publish.affected import kpis_breaking_gates, kpis_for_tables, mandatory_tables
from tests.extract.builders import deliver, episodes_csv

AS_OF = date(2025, 10, 31)


def test_a_table_maps_to_the_indicators_that_need_it() -> None:
    # ref_kpi_source_tables lists 903 Reviews for b17, b17v and b18 (all live); Reviews is not a placement base table.
    assert kpis_for_tables({"ssda903_reviews"}) == [
        "b17_cla_reviews_in_time",
        "b17v_cla_children_reviews_in_time",
        "b18_cla_review_participation",
    ]
    # Episodes: the four indicators the seed names (b07, b17, b17v, t_visits_in_time_all) and every live
    # placement indicator of the register, all of which are built on episodes.
    placements = {row.kpi_id for row in load_register() if row.mart_area == "placements" and row.status == "live"}
    named = {"b07_cla_visit_seen_alone", "b17_cla_reviews_in_time", "b17v_cla_children_reviews_in_time"}
    expected = placements | {kpi for kpi in named | {"t_visits_in_time_all"} if kpi in _live()}
    assert set(kpis_for_tables({"ssda903_episodes"})) == expected
    assert {"s_cla_count", "b08_cla_3plus_placements_12m"} <= expected
    assert kpis_for_tables({"a_table_nobody_reads"}) == []


def _live() -> set[str]:
    return {row.kpi_id for row in load_register() if row.status == "live"}


def test_the_mandatory_tables_are_read_from_the_gate_message() -> None:
    message = "E06000039 2025-10 903 header: absent | E06000039 2025-10 903 episodes: rejected: F07 too many rows"
    assert mandatory_tables(message) == {"ssda903_header", "ssda903_episodes"}


def test_a_failed_gate_affects_the_indicators_whose_rows_break_it() -> None:
    frame = pd.DataFrame(
        {
            "kpi_id": ["k_num", "k_pct", "k_rag", "k_fine"],
            "numerator": [5, 1, 1, 2],  # k_num: 5 > 4
            "denominator": [4, 2, 2, 2],
            "value": [125.0, 101.0, 50.0, 100.0],  # k_pct: 101 % (k_num's unit is a count, not %)
            "unit": ["count", "%", "%", "%"],
            "rag_state": ["ON_TARGET", "ON_TARGET", None, "ON_TARGET"],  # k_rag: not rated
            "rag_colour": ["green", "green", None, "green"],
            "grain_key": ["x", "x", "x", "x"],
        }
    )
    due = {"k_num", "k_pct", "k_rag", "k_fine", "k_missing"}
    assert kpis_breaking_gates(frame, [suite.GATE_NUMERATOR], due) == ["k_num"]
    assert kpis_breaking_gates(frame, [suite.GATE_PERCENT, suite.GATE_RAG], due) == ["k_pct", "k_rag"]
    assert kpis_breaking_gates(frame, [suite.GATE_COMPLETENESS], due) == ["k_missing"]


def test_a_rejected_mandatory_input_fails_the_cli_with_a_report_and_its_run_log(
    data_dir: Path, capsys: pytest.CaptureFixture
) -> None:
    settings = Settings.from_env()
    deliver(settings.inbound_dir, "E06000039_903_2025-26_episodes.csv", episodes_csv(good=3))  # no Header file

    assert main(["extract", "--as-of", AS_OF.isoformat()]) == 1

    report = settings.reports_dir / "FAILED-run-2025-10.md"
    captured = capsys.readouterr()
    assert captured.err.startswith("csc-warehouse extract: FAILED: mandatory input missing")
    assert f"failure report: {report} (step log beside it)" in captured.out
    text = report.read_text()
    assert "FAILED at step `check_mandatory_inputs`" in text
    assert "E06000039 2025-10 903 header: absent" in text
    affected = [line[2:] for line in text.splitlines() if line.startswith("* ")]
    assert affected == kpis_for_tables({"ssda903_header"})  # the placement indicators: header is their base
    assert "s_cla_count" in affected
    log = run_log.read(settings.reports_dir / "FAILED-run-2025-10.run_log.jsonl")
    assert [line["step"] for line in log if line["status"] == "failed"] == ["check_mandatory_inputs"]
    assert [line["status"] for line in log if line["step"] == "extract_file"] == ["started", "ok"]

    failure_report.clear_failure_report(settings, AS_OF)  # what a finished run of the month does
    assert list(settings.reports_dir.glob("FAILED-run-*")) == []


def test_the_step_log_records_each_step_with_its_outcome(tmp_path: Path) -> None:
    path = tmp_path / "run.jsonl"

    @run_log.logged("demo")
    def step(settings: object, as_of: date, la_code: str) -> dict:
        return {"published": "/p", "ignored": [1, 2]}

    with run_log.logging_to(path):
        step(None, AS_OF, "E06000039")
    lines = run_log.read(path)
    assert [(line["step"], line["status"]) for line in lines] == [("demo", "started"), ("demo", "ok")]
    assert lines[1]["as_of"] == "2025-10-31" and lines[1]["la_code"] == "E06000039"
    assert lines[1]["published"] == "/p" and "ignored" not in lines[1]
    step(None, AS_OF, "E06000039")  # no log open: nothing written, nothing fails
    assert len(run_log.read(path)) == 2


def test_only_transient_failures_are_retried() -> None:
    assert is_transient(TransientError("I/O timeout"))
    assert is_transient(WarehouseBusyError("another run is writing the warehouse"))
    assert is_transient(TimeoutError())
    wrapped = steps.StepFailedError("lost the connection")
    wrapped.__cause__ = ConnectionResetError()
    assert is_transient(wrapped)
    assert not is_transient(steps.StepFailedError("publication gate failed"))
    assert not is_transient(ValueError("bad data"))


@pytest.fixture
def airflow_context(monkeypatch: pytest.MonkeyPatch) -> None:
    import airflow.sdk

    context = {"dag": SimpleNamespace(dag_id="csc_nightly_load"), "run_id": "scheduled__2025-11-16T02:00:00+00:00"}
    monkeypatch.setattr(airflow.sdk, "get_current_context", lambda: context)


def test_airflow_fails_a_data_failure_at_once_with_its_report(data_dir: Path, airflow_context: None) -> None:
    from airflow.sdk.exceptions import AirflowFailException

    def gate_fails() -> None:
        raise steps.StepFailedError("dbt build failed; the warehouse and the publication are unchanged. model.x: boom")

    with pytest.raises(AirflowFailException, match=r"Failure report: .*FAILED-run-2025-10\.md"):
        airflow_tasks.run_step(AS_OF, gate_fails)
    settings = Settings.from_env()
    assert "dbt build failed" in (settings.reports_dir / "FAILED-run-2025-10.md").read_text()
    # The DAG run's step log, shared by its tasks, holds the failure.
    [log] = (settings.work_dir / "run_logs" / "csc_nightly_load").glob("*.jsonl")
    assert log.name == "scheduled__2025-11-16T02_00_00+00_00.jsonl"
    assert [(line["step"], line["status"]) for line in run_log.read(log)] == [("task", "failed")]

    assert airflow_tasks.run_step(AS_OF, lambda: {"ok": 1}, clears_failure=True) == {"ok": 1}
    assert not (settings.reports_dir / "FAILED-run-2025-10.md").exists()


def test_airflow_retries_a_transient_failure_and_writes_no_report(data_dir: Path, airflow_context: None) -> None:
    def locked() -> None:
        raise WarehouseBusyError("another run is writing the warehouse")

    with pytest.raises(WarehouseBusyError):
        airflow_tasks.run_step(AS_OF, locked)
    settings = Settings.from_env()
    assert not (settings.reports_dir / "FAILED-run-2025-10.md").exists()
    [log] = (settings.work_dir / "run_logs" / "csc_nightly_load").glob("*.jsonl")
    assert [json.loads(line)["status"] for line in log.read_text().splitlines()] == ["transient"]


def test_task_defaults_retry_with_exponential_backoff() -> None:
    assert airflow_tasks.TASK_DEFAULTS["retries"] == 3
    assert airflow_tasks.TASK_DEFAULTS["retry_exponential_backoff"] == 2.0


def test_a_dbt_failure_maps_through_its_upstream_sources(tmp_path: Path) -> None:
    from publish.affected import dbt_failure_tables

    # A test on a staging model of episodes, which reads the landing source; a seed is not a landing table.
    manifest = {
        "nodes": {},
        "sources": {"source.csc.landing.ssda903_episodes": {"name": "ssda903_episodes"}},
        "parent_map": {
            "test.csc.accepted_values_stg_903__episodes_ls": ["model.csc.stg_903__episodes"],
            "model.csc.stg_903__episodes": ["source.csc.landing.ssda903_episodes", "seed.csc.ref_codes"],
            "seed.csc.ref_codes": [],
        },
    }
    (tmp_path / "manifest.json").write_text(json.dumps(manifest))
    failure = "dbt build failed; ... | test.csc.accepted_values_stg_903__episodes_ls: Got 1 result, configured to fail"
    assert dbt_failure_tables(failure, tmp_path) == {"ssda903_episodes"}
    assert dbt_failure_tables(failure, tmp_path / "no_build_yet") == set()
