"""Write the local tables of one organisation's deliveries: `write_local_exports` (input contract §3)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from synth.cin.model import CINChild
from synth.local.tables import COLUMNS, LocalCut, LocalParams
from synth.population import Child
from synth.ssd.exports import WINDOW_MONTHS, period_ends, window_start
from synth.ssd.frozen import freeze_built, truth_frozen
from synth.ssd.lines import write_lines
from synth.ssd.truth import build_casework
from synth.ssd.visits import VisitParams
from synth.workforce.staffing import Workforce


def write_local_exports(
    inbound_dir: Path,
    la_code: str,
    as_of: date,
    months: int,
    seed: int,
    children: list[Child],
    workforce: Workforce,
    cin_children: list[CINChild],
    window_months: int = WINDOW_MONTHS,
    params: LocalParams | None = None,
    visit_params: VisitParams | None = None,
) -> dict[str, list[dict]]:
    """Write `inbound/<la>/<YYYY-MM>/local/<table>.csv` for the `months` deliveries ending at `as_of`; returns their
    manifest entries keyed by delivery folder (paths relative to the folder). `visit_params`: the casework's visits
    (give write_ssd_exports the same)."""
    with truth_frozen():
        casework = build_casework(la_code, as_of, seed, children, workforce, cin_children, visit_params)
        freeze_built()
        params = params or LocalParams()
        entries: dict[str, list[dict]] = {}
        for end in period_ends(as_of, months):
            folder = Path(inbound_dir) / la_code / f"{end:%Y-%m}"
            tables = LocalCut(casework, end, window_start(end, window_months), params).tables()
            entries[f"{end:%Y-%m}"] = [
                {"path": f"local/{name}.csv", "table": name,
                 **write_lines(folder / "local" / f"{name}.csv", COLUMNS[name], lines)}
                for name, lines in sorted(tables.items())
            ]  # fmt: skip
    return entries
