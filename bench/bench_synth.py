"""Time the synthetic generator at a few sizes and print a markdown table.

Run: .venv/bin/python bench/bench_synth.py
"""

from __future__ import annotations

import tempfile
import time
from datetime import date
from pathlib import Path

from synth import generate_organisation

AS_OF = date(2026, 10, 31)
SIZES = [(1, 3), (1, 6), (12, 3), (13, 6)]  # (months, history_years)


def _time_one(months: int, history_years: int, repeats: int = 3) -> tuple[float, int, int]:
    best, files, rows = float("inf"), 0, 0
    for _ in range(repeats):
        with tempfile.TemporaryDirectory() as tmp:
            started = time.perf_counter()
            written = generate_organisation(Path(tmp), "E06000039", AS_OF, seed=42, months=months,
                                            history_years=history_years)  # fmt: skip
            best = min(best, time.perf_counter() - started)
            files = len(written)
            rows = sum(path.read_bytes().count(b"\n") - 1 for path in written if path.suffix == ".csv")
    return best, files, rows


def main() -> None:
    print("| months | history years | files | CSV data rows | seconds (best of 3) |")
    print("|---:|---:|---:|---:|---:|")
    for months, history_years in SIZES:
        seconds, files, rows = _time_one(months, history_years)
        print(f"| {months} | {history_years} | {files} | {rows} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
