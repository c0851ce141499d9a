"""Landing throughput of `extract/` against the floor: DuckDB reading the same CSV files into Parquet.

Run: .venv/bin/python bench/bench_extract.py [organisations] [workers]   (defaults 10, 1)
Generates the organisations (1 monthly delivery, 3 history years, every family), lands them with
`extract.extract_all` in one process (and, when `workers` > 1, again into a fresh landing area with that many
processes), then has DuckDB `read_csv` every landed CSV into Parquet (no checks at all). Prints a
markdown table of rows/s and MB/s; figures go to docs/benchmarks.md by hand.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from extract import extract_all
from synth import generate_organisation

AS_OF = date(2026, 10, 31)


def _la_codes(count: int) -> list[str]:
    return [f"E06{number:06d}" for number in range(100, 100 + count)]


def main() -> None:
    organisations = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    workers = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        inbound = root / "inbound"
        for seed, la_code in enumerate(_la_codes(organisations), start=1):
            generate_organisation(inbound, la_code, AS_OF, seed=seed, months=1, history_years=3)
        csv_files = sorted(inbound.rglob("*.csv"))
        megabytes = sum(path.stat().st_size for path in csv_files) / 1e6

        started = time.perf_counter()
        outcomes = extract_all(inbound, root / "landing", root / "archive", AS_OF)
        extract_seconds = time.perf_counter() - started
        rows = sum(outcome.rows_read for outcome in outcomes if outcome.source_file.endswith(".csv"))
        timings = [("extract/ (checks, quarantine, ledger)", extract_seconds)]
        if workers > 1:
            started = time.perf_counter()
            extract_all(inbound, root / "landing-parallel", root / "archive-parallel", AS_OF, workers=workers)
            timings.append((f"extract/, {workers} processes", time.perf_counter() - started))

        connection = duckdb.connect()
        out = root / "floor"
        out.mkdir()
        started = time.perf_counter()
        for number, path in enumerate(csv_files):
            connection.execute(
                f"copy (select * from read_csv('{path}', all_varchar = true, header = true)) "
                f"to '{out / f'{number}.parquet'}' (format parquet)"
            )
        floor_seconds = time.perf_counter() - started

    print("| reader | organisations | CSV files | CSV rows | CSV MB | seconds | rows/s | MB/s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, seconds in (*timings, ("DuckDB read_csv", floor_seconds)):
        print(
            f"| {name} | {organisations} | {len(csv_files)} | {rows} | {megabytes:.1f} | {seconds:.1f} "
            f"| {rows / seconds:,.0f} | {megabytes / seconds:.1f} |"
        )


if __name__ == "__main__":
    main()
