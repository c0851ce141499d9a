"""Command line: `python -m synth.cin --out DIR --la-code E06000039 --as-of 2026-10-31` writes one organisation's
CIN census files (the 903 population is simulated as `python -m synth` does) into DIR/<la>/..."""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from synth.calendar import add_months, collection_year, month_end, shift_collection_year
from synth.cin.census import write_cin_exports
from synth.params import SynthParams
from synth.population import simulate_population
from synth.settings_pool import build_settings


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth.cin", description=__doc__)
    parser.add_argument("--out", type=Path, required=True, help="the inbound folder (LA folders go inside)")
    parser.add_argument("--la-code", required=True, help="ONS code of the LA, e.g. E06000039")
    parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="last period end, a month end")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--history-years", type=int, default=3)
    args = parser.parse_args(argv)
    params = SynthParams()
    first_cy = collection_year(month_end(*add_months(args.as_of, -(args.months - 1))))
    first_year = int(shift_collection_year(first_cy, -args.history_years)[:4]) - params.lead_in_years
    settings = build_settings(args.seed, args.la_code)
    children = simulate_population(args.seed, args.la_code, date(first_year, 4, 1), args.as_of, params, settings)
    entries = write_cin_exports(
        args.out, args.la_code, args.as_of, children, args.seed, args.months, args.history_years
    )
    for folder, files in entries.items():
        for entry in files:
            print(f"{args.la_code}/{folder}/{entry['path']}: {entry['rows']} children")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
