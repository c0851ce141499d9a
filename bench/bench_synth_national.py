"""Generate a national set of organisations (1 monthly delivery + 3 history years each, every family, sizes from
synth.national) with a process pool, and print wall time and peak memory as a markdown table.

Run: .venv/bin/python bench/bench_synth_national.py [--organisations 150] [--workers 2] [--keep DIR]
Targets (issue 3): 150 organisations in <= 5 minutes and <= 8 GB on 2 cores.
"""

from __future__ import annotations

import argparse
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
    started = time.perf_counter()
    results = generate_national(inbound, AS_OF, args.organisations, args.workers)
    wall = time.perf_counter() - started
    bytes_written = sum(path.stat().st_size for path in inbound.rglob("*") if path.is_file())
    if args.keep is None:
        shutil.rmtree(inbound)
    # ru_maxrss is in KiB on Linux; RUSAGE_CHILDREN reports the largest finished worker, so at most `workers` of them
    # were alive at once next to the parent.
    self_mib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    worker_mib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    bound_mib = self_mib + args.workers * worker_mib
    cpu = sum(seconds for _, _, seconds, _ in results)
    largest = max(results, key=lambda result: result[2])
    print(
        "| organisations | workers | mean size CLA / CIN | files | GB written | wall s | sum of org s "
        "| slowest org s | peak MiB parent | peak MiB per worker | peak MiB bound (parent + workers) |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    mean_cla = sum(org.size.cla for org in sizes) / len(sizes)
    mean_cin = sum(org.size.cin for org in sizes) / len(sizes)
    print(f"| {len(results)} | {args.workers} | {mean_cla:.2f} / {mean_cin:.2f} | "
          f"{sum(files for _, files, _, _ in results)} | {bytes_written / 1e9:.2f} | {wall:.1f} | {cpu:.1f} | "
          f"{largest[2]:.1f} ({largest[0]}) | {self_mib:.0f} | {worker_mib:.0f} | {bound_mib:.0f} |")  # fmt: skip


if __name__ == "__main__":
    main()
