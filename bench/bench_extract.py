"""Landing throughput of `extract/` against the floor: DuckDB reading the same CSV files into Parquet.

Two ways to run it:

* `.venv/bin/python bench/bench_extract.py [organisations] [workers]` (defaults 10, 1): generates that many
  default-sized organisations (1 monthly delivery, 3 history years, every family) in a temporary folder first.
* `.venv/bin/python bench/bench_extract.py --inbound-dir DIR --as-of 2026-10-31 [--workers 2] [--sample N]`: lands an
  inbound folder that already exists, e.g. the national set of `python -m synth national` (150 organisations of
  realistic sizes); `--sample N` lands only N of its organisations (every k-th, so the size mix is kept).
* `.venv/bin/python bench/bench_extract.py --national-sample N [--workers 2]`: generates N organisations of the
  national mix (`synth.national.national_sizes(150)`, every 150/N-th by size rank, so the sample keeps the spread of
  sizes) with `workers` processes, then lands them. For a machine too busy to generate all 150 in the session.
  `--generate-to DIR` only generates that sample into DIR (kept), so that two versions of `extract/` can be timed on
  the same files with `--inbound-dir DIR` (put the other version first on PYTHONPATH).

Either way `extract.extract_all` lands everything (with `workers` processes), then DuckDB `read_csv`s every
delivered CSV into Parquet (all text, no checks; DuckDB's own threads set to `workers`). Prints a markdown table of
rows/s and MB/s, the ratio to the floor and the load average before and after; figures go to docs/benchmarks.md by
hand. Besides wall seconds it reports CPU seconds (user + system, worker processes included): on a machine shared
with other work the wall clock measures the neighbours as much as the code, the CPU seconds much less. The CIN
census XML is landed by extract (its time is in extract's seconds) but has no CSV floor: its rows and bytes are left
out of both rates, which makes the ratio slightly unfavourable to extract.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import tempfile
import time
from datetime import date
from pathlib import Path

import duckdb

from extract import extract_all

AS_OF = date(2026, 10, 31)


def _la_codes(count: int) -> list[str]:
    return [f"E06{number:06d}" for number in range(100, 100 + count)]


def _generate(inbound: Path, organisations: int) -> None:
    from synth import generate_organisation

    for seed, la_code in enumerate(_la_codes(organisations), start=1):
        generate_organisation(inbound, la_code, AS_OF, seed=seed, months=1, history_years=3)


def _national_sample(inbound: Path, count: int, workers: int) -> None:
    from concurrent.futures import ProcessPoolExecutor

    from synth.national import national_sizes

    ranked = national_sizes(150)
    step = len(ranked) // count
    chosen = ranked[step // 2 :: step][:count]  # the middle of each size band
    with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
        list(pool.map(_generate_one, [(inbound, org.la_code, org.size) for org in chosen]))


def _generate_one(job: tuple) -> None:
    from synth import generate_organisation

    inbound, la_code, size = job
    generate_organisation(inbound, la_code, AS_OF, 42, 1, 3, size=size)


def _sample(inbound: Path, target: Path, count: int) -> Path:
    """Every k-th organisation of `inbound` (sorted by LA code), linked into `target`, so that the sample keeps the
    national spread of sizes."""
    organisations = sorted(path for path in inbound.iterdir() if path.is_dir())
    step = max(1, len(organisations) // count)
    target.mkdir(parents=True)
    for organisation in organisations[::step][:count]:
        (target / organisation.name).symlink_to(organisation, target_is_directory=True)
    return target


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its finished child processes (the extract workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _floor(csv_files: list[Path], out: Path, threads: int) -> float:
    connection = duckdb.connect(config={"threads": threads})
    out.mkdir()
    started = time.perf_counter()
    for number, path in enumerate(csv_files):
        connection.execute(
            f"copy (select * from read_csv('{path}', all_varchar = true, header = true)) "
            f"to '{out / f'{number}.parquet'}' (format parquet)"
        )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("organisations", nargs="?", type=int, default=10)
    parser.add_argument("workers", nargs="?", type=int, default=1)
    parser.add_argument("--inbound-dir", type=Path, help="an existing inbound folder (nothing is generated)")
    parser.add_argument("--as-of", type=date.fromisoformat, default=AS_OF)
    parser.add_argument("--workers", dest="workers_option", type=int)
    parser.add_argument("--sample", type=int, help="land only this many organisations of --inbound-dir")
    parser.add_argument("--national-sample", type=int, help="generate this many organisations of the national mix")
    parser.add_argument("--generate-to", type=Path, help="with --national-sample: only generate, into this folder")
    parser.add_argument(
        "--work-dir", type=Path, help="where landing, archive and floor go (default: a temporary folder)"
    )
    args = parser.parse_args()
    workers = args.workers_option or args.workers
    if args.generate_to:
        started = time.perf_counter()
        _national_sample(args.generate_to, args.national_sample, workers)
        print(f"generated {args.national_sample} organisations in {time.perf_counter() - started:.0f} s")
        return
    work = Path(tempfile.mkdtemp(dir=args.work_dir))
    try:
        inbound = work / "inbound"
        if args.national_sample:
            started = time.perf_counter()
            _national_sample(inbound, args.national_sample, workers)
            seconds = time.perf_counter() - started
            print(f"generated {args.national_sample} organisations of the national mix in {seconds:.0f} s")
        elif args.inbound_dir is None:
            _generate(inbound, args.organisations)
        elif args.sample:
            inbound = _sample(args.inbound_dir, inbound, args.sample)
        else:
            inbound = args.inbound_dir
        organisations = len([path for path in inbound.iterdir() if path.is_dir()])
        csv_files = sorted(inbound.rglob("*.csv"))
        megabytes = sum(path.stat().st_size for path in csv_files) / 1e6
        load_before = os.getloadavg()

        started, cpu_started = time.perf_counter(), _cpu_seconds()
        outcomes = extract_all(inbound, work / "landing", work / "archive", args.as_of, workers=workers)
        extract_seconds, extract_cpu = time.perf_counter() - started, _cpu_seconds() - cpu_started
        rows = sum(outcome.rows_read for outcome in outcomes if outcome.source_file.endswith(".csv"))
        load_middle = os.getloadavg()
        cpu_started = _cpu_seconds()
        floor_seconds = _floor(csv_files, work / "floor", workers)
        floor_cpu = _cpu_seconds() - cpu_started
        load_after = os.getloadavg()
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print("| reader | organisations | workers | CSV files | CSV rows | CSV MB | seconds | rows/s | MB/s | CPU s |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name, seconds, cpu in (
        ("extract/ (every check, ledger, delivery pass)", extract_seconds, extract_cpu),
        ("DuckDB read_csv", floor_seconds, floor_cpu),
    ):
        print(
            f"| {name} | {organisations} | {workers} | {len(csv_files)} | {rows} | {megabytes:.1f} | {seconds:.1f} "
            f"| {rows / seconds:,.0f} | {megabytes / seconds:.1f} | {cpu:.1f} |"
        )
    print(f"\nextract / floor: {extract_seconds / floor_seconds:.2f}x wall, {extract_cpu / floor_cpu:.2f}x CPU seconds")
    print(
        "load average (1, 5, 15 min) before, between, after: "
        + "; ".join(", ".join(f"{value:.1f}" for value in load) for load in (load_before, load_middle, load_after))
    )


if __name__ == "__main__":
    main()
