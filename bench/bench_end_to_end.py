"""End to end: the whole pipeline on synthetic organisations, per stage, beside two reference points (`make bench`).

    .venv/bin/python bench/bench_end_to_end.py --scenario one-org-6y [--write-docs]
    .venv/bin/python bench/bench_end_to_end.py --scenario national-1y [--organisations 15] [--write-docs]

Scenarios (as of 2026-10-31):
  one-org-6y   one default-sized organisation: 6 history years and 12 monthly deliveries; then a nightly re-run
               (extract with nothing new, dbt build, analyst copy: the csc_nightly_load DAG without Airflow)
  national-1y  150 organisations of the national size mix (synth.national), 1 history year and 1 monthly delivery
               each; `--organisations N` runs the middle organisation of each of N size bands (the mix is kept)

Stages: generate (reported apart: not part of the pipeline), extract (the DAG's mapped file tasks, `--workers` at a
time, then the delivery check and the mandatory-input check), dbt build (a subprocess), gate (the checkpoint and
its report, per organisation) and publish (export, outputs, dashboard, manifest, release). For each: wall and CPU
seconds (children included), peak resident memory of the process tree, rows in and out, rows/s (rows in / wall s),
and the 1-minute load average when it ended: the machine is shared, so every figure carries its load. Then the
reference points on the same inbound files (bench/reference_points.py): DuckDB reading every CSV once (the floor),
and pandas computing five headline indicators, printed beside the warehouse's figures. `--write-docs` replaces this
scenario's table in docs/benchmarks.md ("End to end"); `--json` writes the figures for tests. Never a timing test.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict, dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
from reference_points import duckdb_scan_rows, pandas_indicators, warehouse_indicators
from report_markdown import render_report, replace_docs_section
from stage_meter import StageMeter

REPO_ROOT = Path(__file__).resolve().parent.parent
AS_OF = date(2026, 10, 31)
DEFAULT_LA_CODE = "E06000039"
PIPELINE_STAGES = ("extract", "dbt build", "gate", "publish")
NIGHTLY_STAGES = ("nightly extract (nothing new)", "nightly dbt build", "nightly analyst copy")


@dataclass(frozen=True)
class Scenario:
    name: str
    organisations: int
    months: int
    history_years: int
    nightly: bool


SCENARIOS = {
    "one-org-6y": Scenario("one-org-6y", 1, 12, 6, nightly=True),
    "national-1y": Scenario("national-1y", 150, 1, 1, nightly=False),
}


def _organisations(scenario: Scenario) -> list[tuple[str, object]]:
    """(la_code, size) of the scenario's organisations: the default one, or a sample of the national mix that keeps
    its spread (the middle organisation of each size band)."""
    if scenario.name == "one-org-6y" and scenario.organisations == 1:
        return [(DEFAULT_LA_CODE, 1.0)]
    from synth.national import national_sizes

    ranked = national_sizes(150)
    step = max(1, len(ranked) // scenario.organisations)
    chosen = ranked[step // 2 :: step][: scenario.organisations]
    return [(org.la_code, org.size) for org in chosen]


def _generate_one(job: tuple[Path, str, object, int, int]) -> int:
    from synth import generate_organisation

    inbound, la_code, size, months, history_years = job
    return len(generate_organisation(inbound, la_code, AS_OF, 42, months, history_years, size=size))


def generate(inbound: Path, scenario: Scenario, workers: int) -> int:
    jobs = [(inbound, la, size, scenario.months, scenario.history_years) for la, size in _organisations(scenario)]
    if workers <= 1 or len(jobs) == 1:
        return sum(_generate_one(job) for job in jobs)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return sum(pool.map(_generate_one, jobs, chunksize=1))


def _extract_one(path: str) -> dict:
    from pipeline import steps
    from pipeline.settings import Settings

    return steps.extract_delivery_file(Settings.from_env(), path)


def extract(settings: object, workers: int) -> list[dict]:
    """What csc_nightly_load does: one task per file (`workers` at a time), then the delivery check."""
    from pipeline import steps

    paths = steps.list_files_to_extract(settings, AS_OF)
    if workers <= 1:
        outcomes = [_extract_one(path) for path in paths]
    else:
        with ProcessPoolExecutor(max_workers=workers) as pool:
            outcomes = list(pool.map(_extract_one, paths, chunksize=4))
    outcomes += steps.check_deliveries(settings, AS_OF)
    steps.check_mandatory_inputs(outcomes, AS_OF)
    return outcomes


def _rows_read(outcomes: list[dict]) -> int:
    """Rows this run read: an `unchanged` file (already landed with the same bytes) is not read again, though its
    outcome repeats the first load's counts."""
    return sum(outcome["rows_read"] for outcome in outcomes if outcome["outcome"] != "unchanged")


def _rows_landed(outcomes: list[dict]) -> int:
    return sum(outcome["rows_landed"] for outcome in outcomes if outcome["outcome"] != "unchanged")


def _parquet_rows(*paths: Path) -> int:
    return sum(pq.ParquetFile(path).metadata.num_rows for path in paths if path.exists())


def _warehouse_rows(warehouse: Path) -> int:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return int(connection.execute("select coalesce(sum(estimated_size), 0) from duckdb_tables()").fetchone()[0])


def _gate_meter(meter: StageMeter, original: Callable) -> Callable:
    """publish.gate.run_checkpoint, measured as the gate stage (inside publish_month, whose rest is publish)."""

    def run_checkpoint(dataset_path: Path, as_of: date, **kwargs: object) -> object:
        rows = _parquet_rows(dataset_path, dataset_path.with_name("tsg_series.parquet"))
        with meter.stage("gate") as figures:
            report = original(dataset_path, as_of, **kwargs)
        figures.rows_in += rows
        figures.rows_out += rows if report.success else 0
        return report

    return run_checkpoint


def run_pipeline(settings: object, meter: StageMeter, workers: int, loads: dict[str, float]) -> int:
    """extract, dbt build, then gate and publish for every organisation; returns the rows landed."""
    import publish.gate
    from pipeline import steps

    with meter.stage("extract") as figures:
        outcomes = extract(settings, workers)
    figures.rows_in, figures.rows_out = _rows_read(outcomes), _rows_landed(outcomes)
    landed = sum(outcome["rows_landed"] for outcome in outcomes)
    loads["extract"] = os.getloadavg()[0]

    with meter.stage("dbt build") as figures:
        steps.build_warehouse(settings, AS_OF)
    figures.rows_in, figures.rows_out = landed, _warehouse_rows(settings.warehouse_path)
    loads["dbt build"] = os.getloadavg()[0]

    original = publish.gate.run_checkpoint
    publish.gate.run_checkpoint = _gate_meter(meter, original)
    try:
        for la_code in steps.organisations_in_warehouse(settings):
            with meter.stage("publish") as figures:
                published = Path(steps.publish_month(settings, AS_OF, la_code)["published"])
            rows = _parquet_rows(published / "tsg_dataset.parquet", published / "tsg_series.parquet")
            figures.rows_in += rows
            figures.rows_out += rows
    finally:
        publish.gate.run_checkpoint = original
    loads["gate"] = loads["publish"] = os.getloadavg()[0]
    return landed


def run_nightly(settings: object, meter: StageMeter, workers: int, landed: int, loads: dict[str, float]) -> None:
    """The nightly load again with nothing new delivered: what a quiet night costs."""
    from pipeline import steps

    with meter.stage(NIGHTLY_STAGES[0]) as figures:
        outcomes = extract(settings, workers)
    figures.rows_in, figures.rows_out = _rows_read(outcomes), _rows_landed(outcomes)
    loads[NIGHTLY_STAGES[0]] = os.getloadavg()[0]
    with meter.stage(NIGHTLY_STAGES[1]) as figures:
        steps.build_warehouse(settings, AS_OF)
    figures.rows_in, figures.rows_out = landed, _warehouse_rows(settings.warehouse_path)
    loads[NIGHTLY_STAGES[1]] = os.getloadavg()[0]
    with meter.stage(NIGHTLY_STAGES[2]):
        steps.publish_analyst_copy(settings, AS_OF)
    loads[NIGHTLY_STAGES[2]] = os.getloadavg()[0]


def run_references(inbound: Path, warehouse: Path, meter: StageMeter, loads: dict[str, float]) -> dict:
    csv_files = sorted(inbound.rglob("*.csv"))
    with meter.stage("reference: DuckDB scan") as figures:
        rows = duckdb_scan_rows(csv_files)
    figures.rows_in = figures.rows_out = rows
    loads["reference: DuckDB scan"] = os.getloadavg()[0]
    with meter.stage("reference: pandas, 5 indicators") as figures:
        from_pandas = pandas_indicators(inbound, AS_OF)
    figures.rows_in = rows  # an upper bound: pandas reads only the 903 and HR files of the latest delivery
    figures.rows_out = sum(len(indicators) for indicators in from_pandas.values())
    loads["reference: pandas, 5 indicators"] = os.getloadavg()[0]
    return {"pandas": from_pandas, "warehouse": warehouse_indicators(warehouse, AS_OF), "csv_files": len(csv_files)}


def _commit() -> str:
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=REPO_ROOT, capture_output=True, text=True).stdout.strip()

    return git("rev-parse", "--short", "HEAD") + (" (with uncommitted changes)" if git("status", "--porcelain") else "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scenario", choices=sorted(SCENARIOS), default="one-org-6y")
    parser.add_argument("--organisations", type=int, help="national-1y: a sample of this many organisations")
    parser.add_argument("--months", type=int, help="monthly deliveries (default: the scenario's)")
    parser.add_argument("--history-years", type=int, help="history years (default: the scenario's)")
    parser.add_argument("--workers", type=int, default=2, help="processes for generate and extract (default 2)")
    parser.add_argument("--inbound-dir", type=Path, help="an inbound folder generated earlier (skips generate)")
    parser.add_argument(
        "--work-dir", type=Path, default=REPO_ROOT / "data" / "bench", help="parent of the run's folder (data/bench)"
    )  # on the data disk: /tmp may be a small tmpfs and a national run writes gigabytes
    parser.add_argument("--keep", action="store_true", help="keep the run's folder (inbound, landing, warehouse)")
    parser.add_argument("--no-nightly", action="store_true", help="skip the nightly re-run")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON here")
    parser.add_argument("--write-docs", action="store_true", help="replace this scenario's table in the docs")
    args = parser.parse_args(argv)
    base = SCENARIOS[args.scenario]
    scenario = Scenario(
        base.name,
        args.organisations or base.organisations,
        args.months or base.months,
        base.history_years if args.history_years is None else args.history_years,
        base.nightly and not args.no_nightly,
    )
    args.work_dir.mkdir(parents=True, exist_ok=True)
    run_dir = Path(tempfile.mkdtemp(prefix=f"bench-{scenario.name}-", dir=args.work_dir))
    inbound = args.inbound_dir.resolve() if args.inbound_dir else run_dir / "inbound"
    os.environ.update({"CSC_DATA_DIR": str(run_dir / "data"), "CSC_INBOUND_DIR": str(inbound)})
    from pipeline.settings import Settings

    settings = Settings.from_env()
    meter, loads = StageMeter(), {"start": os.getloadavg()[0]}
    started_at = datetime.now(UTC)
    try:
        with meter.sampling():
            if args.inbound_dir is None:
                with meter.stage("generate") as figures:
                    figures.rows_out = generate(inbound, scenario, args.workers)  # files, not rows
                loads["generate"] = os.getloadavg()[0]
            landed = run_pipeline(settings, meter, args.workers, loads)
            if scenario.nightly:
                run_nightly(settings, meter, args.workers, landed, loads)
            references = run_references(inbound, settings.warehouse_path, meter, loads)
    finally:
        if not args.keep:
            shutil.rmtree(run_dir, ignore_errors=True)
    result = {
        "scenario": asdict(scenario),
        "organisations": len(references["pandas"]),
        "inbound_given": args.inbound_dir is not None,
        "csv_files": references["csv_files"],
        "started_at": started_at.strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "loads": loads,
        "stages": {name: asdict(stage) | {"rows_per_s": stage.rows_per_s} for name, stage in meter.stages.items()},
        "indicators": {
            source: {la: {kpi: asdict(figure) for kpi, figure in kpis.items()} for la, kpis in figures.items()}
            for source, figures in (("pandas", references["pandas"]), ("warehouse", references["warehouse"]))
        },
    }
    report = render_report(result, PIPELINE_STAGES, NIGHTLY_STAGES)
    print(report)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2, default=str) + "\n", encoding="utf-8")
    if args.write_docs:
        replace_docs_section(REPO_ROOT / "docs" / "benchmarks.md", scenario.name, report)
    return 0


if __name__ == "__main__":
    sys.exit(main())
