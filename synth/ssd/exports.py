"""Write the SSD-shaped extracts of one organisation's deliveries: `write_ssd_exports` (input contract §2, §0.7)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from synth.calendar import add_months, month_end
from synth.cin.model import CINChild
from synth.population import Child
from synth.ssd.frozen import freeze_built, truth_frozen
from synth.ssd.lines import write_lines
from synth.ssd.tables import COLUMNS, Cut
from synth.ssd.truth import build_casework
from synth.ssd.visits import VisitParams
from synth.workforce.staffing import Workforce

# Recommended full-refresh window of SSD and local event tables (§0.7): as_at - 72 months.
WINDOW_MONTHS = 72


def period_ends(as_of: date, months: int) -> list[date]:
    return [month_end(*add_months(as_of, -back)) for back in range(months - 1, -1, -1)]


def window_start(as_at: date, window_months: int = WINDOW_MONTHS) -> date:
    year, month = add_months(as_at, -window_months)
    return date(year, month, 1)


def write_ssd_exports(
    inbound_dir: Path,
    la_code: str,
    as_of: date,
    months: int,
    seed: int,
    children: list[Child],
    workforce: Workforce,
    cin_children: list[CINChild],
    window_months: int = WINDOW_MONTHS,
    visit_params: VisitParams | None = None,
) -> dict[str, list[dict]]:
    """Write `inbound/<la>/<YYYY-MM>/ssd/<table>.csv` for the `months` deliveries ending at `as_of` (each as at its
    period end) and return their manifest entries keyed by delivery folder, paths relative to the folder.
    `visit_params`: the casework's visits (give write_local_exports the same)."""
    with truth_frozen():
        casework = build_casework(la_code, as_of, seed, children, workforce, cin_children, visit_params)
        freeze_built()
        entries: dict[str, list[dict]] = {}
        for end in period_ends(as_of, months):
            folder = Path(inbound_dir) / la_code / f"{end:%Y-%m}"
            tables = Cut(casework, end, window_start(end, window_months)).tables()
            entries[f"{end:%Y-%m}"] = [
                {"path": f"ssd/{name}.csv", "table": name,
                 **write_lines(folder / "ssd" / f"{name}.csv", COLUMNS[name], lines)}
                for name, lines in sorted(tables.items())
            ]  # fmt: skip
    return entries
