"""Command line: write an organisation's complete SSDA903 set (every table) for the oracle.

    python -m synth.ssda903 --inbound-dir DIR --la-code E06000039 --as-of 2026-10-31 [--seed 42] [--history-years 3]

Same population, layout and manifest as `python -m synth` (synth.organisation), with all twelve 903 tables instead
of Header and Episodes alone; once the organisation writer calls `write_903_year`, the two agree file for file.
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path

from synth.calendar import add_months, collection_year, month_end, shift_collection_year
from synth.organisation import CONTRACT_VERSION, SOURCE_SYSTEMS
from synth.params import SynthParams
from synth.population import simulate_population
from synth.settings_pool import build_settings
from synth.ssda903.tables import write_903_year
from synth.writer import write_manifest


def write_903_organisation(
    inbound_dir: Path, la_code: str, as_of: date, seed: int = 42, months: int = 1, history_years: int = 3
) -> list[Path]:
    """Write history returns and monthly in-year deliveries with every 903 table; returns the files written."""
    params = SynthParams()
    period_ends = [month_end(*add_months(as_of, -back)) for back in range(months - 1, -1, -1)]
    first_cy = collection_year(period_ends[0])
    history = [shift_collection_year(first_cy, -back) for back in range(history_years, 0, -1)]
    first_year = int((history or [first_cy])[0][:4]) - params.lead_in_years
    children = simulate_population(seed, la_code, date(first_year, 4, 1), as_of, params, build_settings(seed, la_code))
    root, written = Path(inbound_dir) / la_code, []
    for cy in history:
        folder = root / "history" / "903" / cy
        entries = write_903_year(folder, la_code, cy, children, date(int(cy[:4]) + 1, 3, 31), seed)
        written += [folder / Path(entry["path"]).name for entry in entries]
    for period_end in period_ends:
        cy, folder = collection_year(period_end), root / f"{period_end:%Y-%m}"
        entries = write_903_year(folder / "903", la_code, cy, children, period_end, seed)
        manifest = {
            "contract_version": CONTRACT_VERSION,
            "la_code": la_code,
            "reporting_month": f"{period_end:%Y-%m}",
            "as_at_date": period_end.isoformat(),
            "collection_year": cy,
            "source_systems": SOURCE_SYSTEMS,
            "files": entries,
        }
        write_manifest(folder / "_delivery.json", manifest)
        written += [folder / "_delivery.json", *(folder / entry["path"] for entry in entries)]
    return sorted(written)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m synth.ssda903", description=__doc__.splitlines()[0])
    parser.add_argument("--inbound-dir", type=Path, required=True)
    parser.add_argument("--la-code", required=True)
    parser.add_argument("--as-of", type=date.fromisoformat, required=True, help="last period end, a month end")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--months", type=int, default=1)
    parser.add_argument("--history-years", type=int, default=3)
    args = parser.parse_args(argv)
    files = write_903_organisation(
        args.inbound_dir, args.la_code, args.as_of, args.seed, args.months, args.history_years
    )
    print(f"wrote {len(files)} SSDA903 files for {args.la_code} under {args.inbound_dir}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
