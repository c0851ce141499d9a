"""Write the SSDA903 exports of one synthetic organisation: monthly in-year deliveries plus history years."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from synth.calendar import add_months, collection_year, month_end, shift_collection_year
from synth.extracts import EPISODE_COLUMNS, HEADER_COLUMNS, cut_903
from synth.params import SynthParams
from synth.population import Child, simulate_population
from synth.settings_pool import build_settings
from synth.writer import write_csv, write_manifest

CONTRACT_VERSION = "1.0"
SOURCE_SYSTEMS = {"case": "synthetic (csc-warehouse synth)"}
_LA_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")


def _write_903_pair(folder: Path, la_code: str, cy: str, children: list[Child], as_at: date) -> list[dict]:
    """Write the Header and Episodes files of `cy` as at `as_at`; return their manifest entries."""
    headers, episodes = cut_903(children, cy, as_at)
    entries = []
    for table, columns, rows in (("header", HEADER_COLUMNS, headers), ("episodes", EPISODE_COLUMNS, episodes)):
        name = f"{la_code}_903_{cy}_{table}.csv"
        facts = write_csv(folder / name, columns, rows)
        entries.append({"path": f"903/{name}", "table": table, **facts})
    return entries


def generate_organisation(
    inbound_dir: Path,
    la_code: str,
    as_of: date,
    seed: int = 42,
    months: int = 1,
    history_years: int = 3,
    params: SynthParams | None = None,
) -> list[Path]:
    """Write the exports of one synthetic organisation; returns the written files, sorted.

    `months` monthly deliveries end at `as_of` (a month end), each the in-year 903 extract as at its period end;
    `history_years` complete returns go to history for the collection years before the earliest delivery's.
    """
    if not _LA_CODE.match(la_code):
        raise ValueError(f"la_code {la_code!r} is not an upper-tier LA code like E06000039")
    if as_of != month_end(as_of.year, as_of.month):
        raise ValueError(f"as_of {as_of} is not a month end")
    if months < 1 or history_years < 0:
        raise ValueError("months must be >= 1 and history_years >= 0")
    params = params or SynthParams()
    inbound_dir = Path(inbound_dir)
    period_ends = [month_end(*add_months(as_of, -back)) for back in range(months - 1, -1, -1)]
    first_cy = collection_year(period_ends[0])
    history = [shift_collection_year(first_cy, -back) for back in range(history_years, 0, -1)]
    first_year = int((history or [first_cy])[0][:4]) - params.lead_in_years
    children = simulate_population(seed, la_code, date(first_year, 4, 1), as_of, params, build_settings(seed, la_code))

    written: list[Path] = []
    root = inbound_dir / la_code
    for cy in history:
        folder = root / "history" / "903" / cy
        _write_903_pair(folder, la_code, cy, children, date(int(cy[:4]) + 1, 3, 31))
        written += [folder / f"{la_code}_903_{cy}_{table}.csv" for table in ("header", "episodes")]
    for period_end in period_ends:
        cy = collection_year(period_end)
        folder = root / f"{period_end:%Y-%m}"
        files = _write_903_pair(folder / "903", la_code, cy, children, period_end)
        manifest = {
            "contract_version": CONTRACT_VERSION,
            "la_code": la_code,
            "reporting_month": f"{period_end:%Y-%m}",
            "as_at_date": period_end.isoformat(),
            "collection_year": cy,
            "source_systems": SOURCE_SYSTEMS,
            "files": files,
        }
        write_manifest(folder / "_delivery.json", manifest)
        written += [folder / "_delivery.json", *(folder / entry["path"] for entry in files)]
    return sorted(written)
