"""A national set of synthetic organisations, generated in parallel: `python -m synth.national --inbound-dir DIR
--as-of 2026-10-31 --organisations 150 --workers 2` (also `python -m synth national ...`).

Sizes (relative to the default, Slough-sized organisation; see `national_sizes`): England has ~150 children's
services authorities with ~650,000 referrals and ~80,000 children looked after (31 March stock) a year. The default
organisation has ~2,870 referrals and ~210 children looked after, so the national mean is ~1.5x on children in
need and ~2.5x on children looked after (Slough refers many children but looks after relatively few). Authorities
differ a lot in size - from a few dozen children looked after to ~2,000 - and somewhat in mix, so each one's size
is a log-normal quantile (sigma 0.6: the largest ~4x the mean, the smallest ~0.15x) and its looked-after/in-need
mix a second, independently ordered log-normal factor (sigma 0.25). Quantiles, not draws: the totals hit the
national figures for any seed.
"""

from __future__ import annotations

import argparse
import math
import random
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from statistics import NormalDist
from typing import NamedTuple

from synth.organisation import generate_organisation
from synth.params import OrganisationSize

# National means per organisation, relative to the default organisation (see the module docstring).
MEAN_CIN_SIZE = 1.5
MEAN_CLA_SIZE = 2.5
SIZE_SIGMA = 0.6
MIX_SIGMA = 0.25


@dataclass(frozen=True)
class NationalOrganisation:
    la_code: str
    size: OrganisationSize


def la_codes(count: int) -> list[str]:
    """`count` distinct upper-tier-style LA codes (E06/E08/E09/E10 + 6 digits), synthetic beyond the first."""
    prefixes = ("E06", "E08", "E09", "E10")
    return [f"{prefixes[number % 4]}{900001 + number // 4:06d}" for number in range(count)]


def national_sizes(count: int, seed: int = 42) -> list[NationalOrganisation]:
    """The organisations of a national run and their sizes (deterministic for a seed), largest first."""
    normal = NormalDist()
    quantiles = [normal.inv_cdf((number + 0.5) / count) for number in range(count)]
    mixes = list(quantiles)
    random.Random(f"{seed}|national-mix").shuffle(mixes)
    raw = [
        (math.exp(SIZE_SIGMA * z + MIX_SIGMA * m / 2), math.exp(SIZE_SIGMA * z - MIX_SIGMA * m / 2))
        for z, m in zip(quantiles, mixes, strict=True)
    ]
    cla_total, cin_total = sum(cla for cla, _ in raw), sum(cin for _, cin in raw)
    cla_factor, cin_factor = MEAN_CLA_SIZE * count / cla_total, MEAN_CIN_SIZE * count / cin_total
    sizes = [OrganisationSize(round(cla * cla_factor, 3), round(cin * cin_factor, 3)) for cla, cin in raw]
    codes = la_codes(count)
    organisations = [NationalOrganisation(code, size) for code, size in zip(codes, sizes, strict=True)]
    # Largest first: the pool then finishes with small organisations and the workers end together.
    return sorted(organisations, key=lambda org: -(org.size.cla + org.size.cin))


class OrganisationRun(NamedTuple):
    """One organisation's run: wall seconds, and the worker's own CPU seconds (what a busy machine does not
    inflate), peak memory of the worker so far."""

    la_code: str
    files: int
    seconds: float
    cpu_seconds: float
    peak_kib: int


def _one(job: tuple[Path, NationalOrganisation, date, int, int, int]) -> OrganisationRun:
    inbound_dir, organisation, as_of, seed, months, history_years = job
    started, cpu_started = time.perf_counter(), time.process_time()
    files = generate_organisation(inbound_dir, organisation.la_code, as_of, seed, months, history_years,
                                  size=organisation.size)  # fmt: skip
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
    return OrganisationRun(organisation.la_code, len(files), seconds, cpu, peak_kib)


def generate_national(
    inbound_dir: Path,
    as_of: date,
    organisations: int = 150,
    workers: int = 2,
    seed: int = 42,
    months: int = 1,
    history_years: int = 3,
) -> list[OrganisationRun]:
    """Generate `organisations` organisations with `workers` processes; returns one OrganisationRun per
    organisation, largest first. Each organisation has its own seed-derived draws (the seed
    and its la_code), so the output does not depend on the number of workers."""
    jobs = [(Path(inbound_dir), org, as_of, seed, months, history_years) for org in national_sizes(organisations, seed)]
    if workers <= 1:
        return [_one(job) for job in jobs]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_one, jobs, chunksize=1))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth.national", description=__doc__.split("\n\n")[0])
    parser.add_argument("--inbound-dir", type=Path, required=True, help="the inbound folder (LA folders go inside)")
    parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="last period end, a month end")
    parser.add_argument("--organisations", type=int, default=150, help="number of organisations (default 150)")
    parser.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--months", type=int, default=1, help="monthly deliveries ending at --as-of (default 1)")
    parser.add_argument("--history-years", type=int, default=3, help="complete earlier years (default 3)")
    args = parser.parse_args(argv)
    started = time.perf_counter()
    try:
        results = generate_national(
            args.inbound_dir, args.as_of, args.organisations, args.workers, args.seed, args.months, args.history_years
        )
    except ValueError as error:
        parser.error(str(error))
    files = sum(run.files for run in results)
    print(f"wrote {files} files for {len(results)} organisations under {args.inbound_dir} "
          f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
