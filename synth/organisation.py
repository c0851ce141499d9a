"""Write every export of one synthetic organisation: monthly deliveries, history returns and reference files.

One simulated truth (the children's lives, the workforce) is cut into every file, so the same child, worker or
placement means the same thing in the 903 return, the CIN census, the HR and the finance exports.

    inbound/<la>/<YYYY-MM>/     _delivery.json, 903/ (the in-year 903 set), cin/, ssd/, local/, hr/, fin/
    inbound/<la>/history/903/<CY>/, history/cin/<CY>/   complete returns of earlier collection years
    inbound/<la>/ref/           slowly-changing reference files (ONSPD extract, bank holidays, maps)
"""

from __future__ import annotations

import functools
import gc
import re
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from synth.calendar import add_months, collection_year, month_end, shift_collection_year
from synth.cin.census import simulate_for_span, write_cin_exports
from synth.cin.params import CINParams
from synth.dirty import make_dirty
from synth.finance.exports import write_finance_exports
from synth.local.exports import write_local_exports
from synth.params import OrganisationSize, SynthParams
from synth.population import simulate_population
from synth.reference.exports import write_reference_exports
from synth.settings_pool import build_settings
from synth.ssd.exports import write_ssd_exports
from synth.ssd.truth import build_casework
from synth.ssda903.lives import ChildLives
from synth.ssda903.social_workers import allocated_social_workers
from synth.ssda903.tables import write_903_year
from synth.workforce.exports import write_workforce_exports
from synth.workforce.params import WorkforceParams
from synth.workforce.pool import build_workforce
from synth.writer import write_manifest

CONTRACT_VERSION = "1.0"
SOURCE_SYSTEMS = {
    "case": "synthetic (csc-warehouse synth)",
    "hr": "synthetic (csc-warehouse synth)",
    "finance": "synthetic (csc-warehouse synth)",
}
_LA_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")

Entries = dict[str, list[dict]]


def _cyclic_gc_paused(function: Callable[..., list[Path]]) -> Callable[..., list[Path]]:
    """Run `function` with Python's cyclic garbage collector paused, then collect once. A generation allocates
    millions of small objects, and each automatic collection walks every live one: pausing saves about a fifth of
    the time. The one collection at the end frees the cycles let go during the run (such as the previous
    organisation's cached casework), so a process generating one organisation after another does not grow."""

    @functools.wraps(function)
    def paused(*args: object, **kwargs: object) -> list[Path]:
        enabled = gc.isenabled()
        gc.disable()
        try:
            return function(*args, **kwargs)
        finally:
            if enabled:
                gc.enable()
                gc.collect()

    return paused


@_cyclic_gc_paused
def generate_organisation(
    inbound_dir: Path,
    la_code: str,
    as_of: date,
    seed: int = 42,
    months: int = 1,
    history_years: int = 3,
    params: SynthParams | None = None,
    dirty: bool = False,
    size: OrganisationSize | float = 1.0,
) -> list[Path]:
    """Write the exports of one synthetic organisation; returns the written files, sorted.

    `months` monthly deliveries end at `as_of` (a month end), each holding the extracts as at its period end;
    `history_years` complete statutory returns go to history for the collection years before the earliest
    delivery's. `dirty` then injects real-world defects and writes `inbound/<la>/_dirty_truth.jsonl` (synth.dirty).
    `size` (a multiplier, or an OrganisationSize with separate looked-after and children-in-need sizes) scales
    the entries to care, the referrals and the establishment together; 1.0 is the default, Slough-sized LA.
    """
    _check_arguments(la_code, as_of, months, history_years)
    size = OrganisationSize.of(size)
    params = replace(params or SynthParams(), scale=(params or SynthParams()).scale * size.cla)
    cin_params = CINParams(scale=size.cin)
    inbound_dir = Path(inbound_dir)
    root = inbound_dir / la_code
    period_ends = [month_end(*add_months(as_of, -back)) for back in range(months - 1, -1, -1)]
    first_cy = collection_year(period_ends[0])
    history = [shift_collection_year(first_cy, -back) for back in range(history_years, 0, -1)]
    first_year = int((history or [first_cy])[0][:4]) - params.lead_in_years
    children = simulate_population(seed, la_code, date(first_year, 4, 1), as_of, params, build_settings(seed, la_code))
    workforce = build_workforce(seed, la_code, as_of, WorkforceParams(cin_scale=size.cin, cla_scale=size.cla))

    deliveries: Entries = {f"{end:%Y-%m}": [] for end in period_ends}
    written: list[Path] = []
    cin_children = simulate_for_span(la_code, as_of, children, seed, months, history_years, cin_params)
    # 903 SWEpisodes are the looked-after children's allocations in the case system (the SSD writers reuse the
    # cached casework truth).
    allocations = allocated_social_workers(build_casework(la_code, as_of, seed, children, workforce, cin_children))
    lives = ChildLives(seed, la_code, allocations)  # each child's 903 records, drawn once for every year's files
    for cy in history:
        folder = root / "history" / "903" / cy
        entries = write_903_year(folder, la_code, cy, children, date(int(cy[:4]) + 1, 3, 31), seed, lives)
        written += [folder / Path(entry["path"]).name for entry in entries]
    for end in period_ends:
        deliveries[f"{end:%Y-%m}"] += write_903_year(root / f"{end:%Y-%m}" / "903", la_code, collection_year(end),
                                                     children, end, seed, lives)  # fmt: skip

    casework = (children, workforce, cin_children)
    for family in (
        write_cin_exports(inbound_dir, la_code, as_of, children, seed, months, history_years, cin_params, cin_children),
        write_ssd_exports(inbound_dir, la_code, as_of, months, seed, *casework),
        write_local_exports(inbound_dir, la_code, as_of, months, seed, *casework),
        write_workforce_exports(inbound_dir, la_code, as_of, months, seed, workforce=workforce),
        write_finance_exports(inbound_dir, la_code, as_of, months, seed, children, workforce=workforce),
    ):
        for folder_name, entries in family.items():
            if folder_name in deliveries:
                deliveries[folder_name] += entries
            else:  # a history folder: its files have no manifest
                written += [root / folder_name / Path(entry["path"]).name for entry in entries]
    reference = write_reference_exports(inbound_dir, la_code, as_of, months, seed, workforce=workforce)
    written += [root / "ref" / entry["path"] for entry in reference["ref"]]

    for end in period_ends:
        folder = root / f"{end:%Y-%m}"
        files = sorted(deliveries[f"{end:%Y-%m}"], key=lambda entry: entry["path"])
        write_manifest(folder / "_delivery.json", _manifest(la_code, end, files))
        written += [folder / "_delivery.json", *(folder / entry["path"] for entry in files)]
    if dirty:
        make_dirty(written, inbound_dir, seed)
    return sorted(written)


def _manifest(la_code: str, period_end: date, files: list[dict]) -> dict:
    return {
        "contract_version": CONTRACT_VERSION,
        "la_code": la_code,
        "reporting_month": f"{period_end:%Y-%m}",
        "as_at_date": period_end.isoformat(),
        "collection_year": collection_year(period_end),
        "source_systems": SOURCE_SYSTEMS,
        "files": files,
    }


def _check_arguments(la_code: str, as_of: date, months: int, history_years: int) -> None:
    if not _LA_CODE.match(la_code):
        raise ValueError(f"la_code {la_code!r} is not an upper-tier LA code like E06000039")
    if as_of != month_end(as_of.year, as_of.month):
        raise ValueError(f"as_of {as_of} is not a month end")
    if months < 1 or history_years < 0:
        raise ValueError("months must be >= 1 and history_years >= 0")
