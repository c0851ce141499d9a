"""Generate a national set of organisations (1 monthly delivery + 3 history years each, every family, sizes from
synth.national) with a process pool, and print wall time and peak memory as a markdown table.

Run: .venv/bin/python bench/bench_synth_national.py [--organisations 150] [--workers 2] [--keep DIR]
Targets (issue 3): 150 organisations in <= 5 minutes and <= 8 GB on 2 cores.

Wall time depends on whatever else runs on the machine, so the table also gives the organisations' own CPU seconds
(summed over the workers) and the load average before and after: on a quiet machine, wall time is about that
CPU sum / workers.
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

from synth.national import generate_national, national_sizes

AS_OF = date(2026, 10, 31)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--organisations", type=int, default=150)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--keep", type=Path, help="write here and keep the files (default: a temporary folder)")
    args = parser.parse_args()
    inbound = args.keep or Path(tempfile.mkdtemp(prefix="synth-national-"))
    sizes = national_sizes(args.organisations)
    load_before = os.getloadavg()[0]
    started = time.perf_counter()
    results = generate_national(inbound, AS_OF, args.organisations, args.workers)
    wall = time.perf_counter() - started
    load_after = os.getloadavg()[0]
    bytes_written = sum(path.stat().st_size for path in inbound.rglob("*") if path.is_file())
    if args.keep is None:
        shutil.rmtree(inbound)
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN reports the largest finished worker, so at most `workers` of them
    # were alive at once next to the parent.
    self_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    bound_mib = self_mib + args.workers * worker_mib
    org_seconds = sum(run.seconds for run in results)
    cpu = sum(run.cpu_seconds for run in results)
    largest = max(results, key=lambda run: run.seconds)
    print(
        "| organisations | workers | mean size CLA / CIN | files | GB written | wall s | sum of org s "
        "| sum of org CPU s | CPU s / workers | slowest org s | peak MiB parent | peak MiB per worker "
        "| peak MiB bound (parent + workers) | load average before / after |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|")
    mean_cla = sum(org.size.cla for org in sizes) / len(sizes)
    mean_cin = sum(org.size.cin for org in sizes) / len(sizes)
    print(f"| {len(results)} | {args.workers} | {mean_cla:.2f} / {mean_cin:.2f} | "
          f"{sum(run.files for run in results)} | {bytes_written / 1e9:.2f} | {wall:.1f} | {org_seconds:.1f} | "
          f"{cpu:.1f} | {cpu / args.workers:.1f} | {largest.seconds:.1f} ({largest.la_code}) | {self_mib:.0f} | "
          f"{worker_mib:.0f} | {bound_mib:.0f} | {load_before:.1f} / {load_after:.1f} |")  # fmt: skip


if __name__ == "__main__":
    main()
