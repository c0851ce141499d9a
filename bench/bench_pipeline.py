"""Time each step of the pipeline (extract, dbt build, publish) on synthetic organisations, as a markdown table.

Run: .venv/bin/python bench/bench_pipeline.py [organisations ...]   (default: 1 and 4 organisations)
Each organisation has 3 monthly deliveries and 3 years of history. Figures go to docs/benchmarks.md by hand;
tests never depend on timings.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

AS_OF = date(2026, 10, 31)
LA_CODES = ["E06000039", "E06000040", "E06000041", "E09000001", "E08000001", "E10000002", "E06000042", "E06000043"]


def _timed(step: object, *args: object) -> tuple[float, object]:
    started = time.perf_counter()
    result = step(*args)  # type: ignore[operator]
    return time.perf_counter() - started, result


def run(organisations: int) -> dict[str, float | int]:
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["CSC_DATA_DIR"] = str(Path(tmp) / "data")
        from pipeline import steps
        from pipeline.settings import Settings
        from synth import generate_organisation

        settings = Settings.from_env()
        for seed, la_code in enumerate(LA_CODES[:organisations], start=1):
            generate_organisation(settings.inbound_dir, la_code, AS_OF, seed=seed, months=3, history_years=3)
        extract_s, outcomes = _timed(steps.extract_all_files, settings, AS_OF)
        rows = sum(outcome["rows_landed"] for outcome in outcomes)
        rerun_s, _ = _timed(steps.extract_all_files, settings, AS_OF)
        build_s, _ = _timed(steps.build_warehouse, settings, AS_OF)
        publish_s = 0.0
        for la_code in LA_CODES[:organisations]:
            seconds, _ = _timed(steps.publish_month, settings, AS_OF, la_code)
            publish_s += seconds
        return {
            "organisations": organisations,
            "files": len(outcomes),
            "rows": rows,
            "extract": extract_s,
            "extract_rerun": rerun_s,
            "build": build_s,
            "publish": publish_s,
        }


def main() -> None:
    sizes = [int(arg) for arg in sys.argv[1:]] or [1, 4]
    print("| organisations | files | rows landed | extract s | extract re-run s | dbt build s | publish s |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    for size in sizes:
        r = run(size)
        print(
            f"| {r['organisations']} | {r['files']} | {r['rows']} | {r['extract']:.1f} | {r['extract_rerun']:.1f} "
            f"| {r['build']:.1f} | {r['publish']:.1f} |"
        )


if __name__ == "__main__":
    main()
