"""Command line: `python -m synth --inbound-dir DIR --la-code E06000039 --as-of 2026-10-31` for one organisation,
`python -m synth national --inbound-dir DIR --as-of 2026-10-31 --organisations 150 --workers 2` for many."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from synth.organisation import generate_organisation


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["national"]:  # `python -m synth national ...`: many organisations in parallel
        from synth.national import main as national_main

        return national_main(argv[1:])
    parser = argparse.ArgumentParser(
        prog="python -m synth",
        description="Write a synthetic organisation's exports (903, CIN, HR, finance, reference) into an inbound dir.",
    )
    parser.add_argument("--inbound-dir", type=Path, required=True, help="the inbound folder (LA folders go inside)")
    parser.add_argument("--la-code", required=True, help="ONS code of the LA, e.g. E06000039")
    parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="last period end, a month end")
    parser.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    parser.add_argument("--months", type=int, default=1, help="monthly deliveries ending at --as-of (default 1)")
    parser.add_argument("--history-years", type=int, default=3, help="complete earlier years (default 3)")
    parser.add_argument(
        "--dirty", action="store_true", help="inject defects at the default rates, listed in <la>/_dirty_truth.jsonl"
    )
    args = parser.parse_args(argv)
    try:
        files = generate_organisation(
            args.inbound_dir, args.la_code, args.as_of, args.seed, args.months, args.history_years, dirty=args.dirty
        )
    except ValueError as error:
        parser.error(str(error))
    print(f"wrote {len(files)} files for {args.la_code} under {args.inbound_dir}")
    if args.dirty:
        truth = Path(args.inbound_dir) / args.la_code / "_dirty_truth.jsonl"
        print(f"made them dirty: {len(truth.read_text().splitlines())} defects listed in {truth}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
