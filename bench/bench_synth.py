"""Time the synthetic generator at a few sizes and print a markdown table.

Run: .venv/bin/python bench/bench_synth.py [--repeats 3]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from datetime import date
from pathlib import Path

from synth import generate_organisation

AS_OF = date(2026, 10, 31)
SIZES = [(1, 3), (1, 6), (12, 3), (13, 6)]  # (months, history_years)


def _time_one(months: int, history_years: int, repeats: int = 3) -> tuple[float, float, int, int]:
    """Best wall and best CPU seconds of `repeats` runs (CPU seconds are what a busy machine inflates least)."""
    best, best_cpu, files, rows = float("inf"), float("inf"), 0, 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            started, cpu_started = time.perf_counter(), time.process_time()
            written = generate_organisation(Path(tmp), "E06000039", AS_OF, seed=42, months=months,
                                            history_years=history_years)  # fmt: skip
            best = min(best, time.perf_counter() - started)
            best_cpu = min(best_cpu, time.process_time() - cpu_started)
            files = len(written)
            rows = sum(path.read_bytes().count(b"\n") - 1 for path in written if path.suffix == ".csv")
    return best, best_cpu, files, rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3, help="runs per size; the best counts (default 3)")
    repeats = parser.parse_args().repeats
    print(f"| months | history years | files | CSV data rows | seconds (best of {repeats}) | CPU seconds |")
    print("|---:|---:|---:|---:|---:|---:|")
    for months, history_years in SIZES:
        seconds, cpu, files, rows = _time_one(months, history_years, repeats)
        print(f"| {months} | {history_years} | {files} | {rows} | {seconds:.2f} | {cpu:.2f} |")


if __name__ == "__main__":
    main()
