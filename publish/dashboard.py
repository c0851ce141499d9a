"""The TSG dashboard: one self-contained HTML file that works offline (no script, no font, no request).

One tile per indicator of the month: value, target and tolerance, a trend arrow against the previous month, the
RAG colour and state in words (colour is never the only signal), a 13-month trend chart with the target line
(inline SVG drawn here), the breakdown by service where the marts attribute items to services, and the
indicator's definition one click away (<details>). Tiles are ordered worst first by RAG severity. The page holds
no timestamp, so the same candidate always renders the same bytes.
"""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from expectations.kpi_register import RegisterRow, definitions
from publish.suppression import CONFIDENTIAL, row_is_suppressed
from publish.units import format_axis, format_difference, format_value

DASHBOARD_NAME = "dashboard.html"

# GOV.UK design-system colours, with a text colour that keeps each badge readable.
RAG_STYLES = {
    "Green": ("#00703c", "#ffffff"),
    "Amber": ("#f47738", "#0b0c0c"),
    "Yellow": ("#ffdd00", "#0b0c0c"),
    "Red": ("#d4351c", "#ffffff"),
    "Grey": ("#b1b4b6", "#0b0c0c"),
    "To be confirmed": ("#b1b4b6", "#0b0c0c"),
    "No data": ("#f3f2f1", "#0b0c0c"),
}
STATE_WORDS = {
    "ON_TARGET": "on or beyond target",
    "WITHIN_TOLERANCE": "not on target, within tolerance",
    "OUTSIDE_IMPROVING": "outside tolerance, improving on last month",
    "OUTSIDE_NOT_IMPROVING": "outside tolerance, not improving",
    "OFF_TARGET_NOT_IMPROVING": "target not met",
    "TBC": "target not yet set",
    "NO_DATA": "no data this month",
    "NOT_YET_DUE": "impact not yet due",
}
SEVERITY = {
    "OUTSIDE_NOT_IMPROVING": 0,
    "OFF_TARGET_NOT_IMPROVING": 0,
    "OUTSIDE_IMPROVING": 1,
    "WITHIN_TOLERANCE": 2,
    "ON_TARGET": 3,
    "NO_DATA": 4,
    "NOT_YET_DUE": 5,
    "TBC": 6,
}
DIRECTION_WORDS = {"H": "higher is better", "L": "lower is better", "M": "must be met"}
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

CHART_WIDTH, CHART_HEIGHT = 340, 130
PLOT_LEFT, PLOT_RIGHT, PLOT_TOP, PLOT_BOTTOM = 52, 8, 10, 22  # room for a money axis label (£17.00m)

STYLE = """
body { font-family: Arial, Helvetica, sans-serif; margin: 1.5rem; color: #0b0c0c; background: #ffffff; }
h1 { font-size: 1.6rem; margin: 0 0 0.3rem; }
.meta, .note { color: #505a5f; font-size: 0.9rem; }
.legend span, .badge { display: inline-block; padding: 0.1rem 0.45rem; margin: 0 0.3rem 0.3rem 0; font-weight: bold; }
.panel { border-left: 5px solid #1d70b8; background: #f3f2f1; padding: 0.5rem 1rem; margin: 0.8rem 0; }
.panel.warn { border-color: #f47738; }
.tiles { display: grid; grid-template-columns: repeat(auto-fill, minmax(370px, 1fr)); gap: 1rem; }
.tile { border: 1px solid #b1b4b6; border-top-width: 8px; padding: 0.7rem 0.9rem; }
.tile h2 { font-size: 1.05rem; margin: 0 0 0.2rem; }
.kpi-id { color: #505a5f; font-size: 0.8rem; margin: 0; }
.figure { font-size: 2rem; font-weight: bold; margin: 0.3rem 0; }
.arrow { font-size: 1.4rem; margin-left: 0.4rem; }
.facts { margin: 0.2rem 0; font-size: 0.9rem; }
table.services { border-collapse: collapse; width: 100%; font-size: 0.85rem; margin-top: 0.4rem; }
table.services th, table.services td { border-bottom: 1px solid #b1b4b6; padding: 0.15rem 0.3rem; text-align: left; }
table.services td.num { text-align: right; font-variant-numeric: tabular-nums; }
details { margin-top: 0.4rem; font-size: 0.9rem; }
summary { cursor: pointer; color: #1d70b8; text-decoration: underline; }
svg.trend { display: block; margin-top: 0.3rem; }
svg.trend text { font-size: 10px; fill: #505a5f; }
"""


def render_dashboard(
    candidate_dir: Path,
    *,
    as_of: date,
    suppress_below: int = 0,
    warnings: list[str] | None = None,
    not_yet_measured: list[str] | None = None,
) -> Path:
    """Render `dashboard.html` in `candidate_dir` from its tsg_dataset.parquet (and tsg_series.parquet)."""
    rows = pq.read_table(candidate_dir / "tsg_dataset.parquet").to_pylist()
    series_path = candidate_dir / "tsg_series.parquet"
    series = pq.read_table(series_path).to_pylist() if series_path.exists() else []
    register = definitions(as_of)
    first = rows[0] if rows else {}
    rows = sorted(rows, key=lambda r: (SEVERITY.get(r["rag_state"], 9), r["kpi_id"]))
    tiles = "\n".join(
        _tile(row, [s for s in series if s["kpi_id"] == row["kpi_id"]], register.get(row["kpi_id"]), suppress_below)
        for row in rows
    )
    counts: dict[str, int] = {}
    for row in rows:
        counts[row["rag_colour"]] = counts.get(row["rag_colour"], 0) + 1
    page = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>TSG dashboard {_e(first.get("la_code", ""))} {as_of:%B %Y}</title>
<style>{STYLE}</style>
</head>
<body>
<header>
<h1>Children's services TSG dashboard: {as_of:%B %Y}</h1>
<p class="meta">Organisation <strong>{_e(first.get("la_code", ""))}</strong>, month ending
<strong>{as_of.isoformat()}</strong>. RAG scheme {_e(first.get("rag_scheme", ""))}: Green on or beyond target,
Amber within tolerance, Yellow outside tolerance but improving on last month, Red outside tolerance and not
improving, Grey target not yet set or impact not yet due.</p>
<p class="legend">{_legend(counts)}</p>
</header>
{_panels(warnings or [], not_yet_measured or [], register, suppress_below)}
<main class="tiles">
{tiles}
</main>
<p class="note">Values are rounded half-up to the precision shown and the RAG compares those rounded values.
"Small n" marks a denominator below 10: read the figure with its count. Arrows compare with the previous month
under the same definition. Trend charts show the 13 months to the reporting month; the dashed line is the target
in force each month.</p>
</body>
</html>
"""
    path = candidate_dir / DASHBOARD_NAME
    path.write_text(page, encoding="utf-8")
    return path


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value))


def _legend(counts: dict[str, int]) -> str:
    parts = []
    for colour, number in sorted(counts.items()):
        background, foreground = RAG_STYLES.get(colour, RAG_STYLES["No data"])
        parts.append(f'<span style="background:{background};color:{foreground}">{_e(colour)}: {number}</span>')
    return "".join(parts)


def _panels(warnings: list[str], planned: list[str], register: dict[str, RegisterRow], suppress_below: int) -> str:
    blocks = []
    if warnings:
        items = "".join(f"<li>{_e(w)}</li>" for w in warnings)
        blocks.append(
            f'<section class="panel warn" id="volatility"><h2>Check before sign-off</h2><ul>{items}</ul></section>'
        )
    if planned:
        items = "".join(
            f"<li>{_e(register[k].kpi_name if k in register else k)} <span class='kpi-id'>({_e(k)})</span></li>"
            for k in planned
        )
        blocks.append(
            '<section class="panel" id="not-yet-measured"><h2>TSG indicators not yet measured</h2>'
            f"<p class='note'>In the KPI register, with no data source built yet.</p><ul>{items}</ul></section>"
        )
    if suppress_below > 0:
        blocks.append(
            f'<section class="panel" id="suppression"><p>Counts from 1 to {suppress_below - 1} and the figures '
            f"derived from them are withheld and shown as <strong>{CONFIDENTIAL}</strong> (DfE symbol: "
            "confidential).</p></section>"
        )
    return "\n".join(blocks)


def _number(value: object, unit: str | None, precision: int | None = None) -> str:
    """Every figure on the page (tiles, arrows, chart labels, service tables) goes through the unit formatter."""
    return format_value(value, unit, precision)


def _count(value: object) -> str:
    return "" if value is None else f"{Decimal(str(value)):,f}"


def _arrow(row: dict, precision: int | None) -> str:
    value, previous = row.get("value"), row.get("prev_value")
    if value is None or previous is None:
        return '<span class="arrow" title="no comparable previous month" aria-label="no previous month">–</span>'
    if value == previous:
        symbol, move = "→", "unchanged"
    else:
        symbol, move = ("↑", "up") if value > previous else ("↓", "down")
    better = {"H": value > previous, "L": value < previous}.get(row.get("direction") or "")
    judgement = "" if move == "unchanged" or better is None else (", better" if better else ", worse")
    label = f"{move} from {_number(previous, row.get('unit'), precision)}{judgement}"
    return f'<span class="arrow" title="{_e(label)}" aria-label="{_e(label)}">{symbol}</span>'


def _tile(row: dict, points: list[dict], register: RegisterRow | None, suppress_below: int) -> str:
    colour = row.get("rag_colour") or "No data"
    background, foreground = RAG_STYLES.get(colour, RAG_STYLES["No data"])
    unit = row.get("unit")
    precision = register.precision if register is not None else None
    suppressed = row_is_suppressed(row, suppress_below)
    value_text = CONFIDENTIAL if suppressed else _number(row.get("value"), unit, precision)
    if row.get("target") is None:  # a TRACK indicator has no target by design; a TBC one is still to be set
        tracked = register is not None and register.rag_rule == "TRACK"
        target_text = "Tracked: no target" if tracked else "Target not yet set"
    else:
        tolerance = row.get("tolerance")
        target_text = f"Target {_number(row['target'], unit, precision)}" + (
            f" (tolerance {format_difference(tolerance, unit, precision)})" if tolerance is not None else ""
        )
    direction = DIRECTION_WORDS.get(row.get("direction") or "", "")
    if suppressed:
        count = f"n = {CONFIDENTIAL}"
    elif row.get("denominator") is not None:
        count = f"n = {_count(row['numerator'])} / {_count(row['denominator'])}"
    else:
        count = ""
    facts = [target_text, direction, count, "small n" if row.get("low_n_flag") else ""]
    if row.get("data_quality_flag"):
        facts.append(f"notes: {row['data_quality_flag']}")
    company = sorted((p for p in points if p["grain"] == "company"), key=lambda p: p["period_end"])
    services = sorted(
        (p for p in points if p["grain"] == "service" and p["period_end"] == row["period_end"]),
        key=lambda p: p["grain_key"],
    )
    return f"""<article class="tile" id="tile-{_e(row["kpi_id"])}" data-kpi="{_e(row["kpi_id"])}"
 data-rag-state="{_e(row["rag_state"])}" style="border-top-color:{background}">
<h2>{_e(row.get("kpi_name") or row["kpi_id"])}</h2>
<p class="kpi-id">{_e(row["kpi_id"])}</p>
<p class="figure"><span class="value">{_e(value_text)}</span>{"" if suppressed else _arrow(row, precision)}</p>
<p class="facts">{" · ".join(_e(f) for f in facts if f)}</p>
<p><span class="badge" style="background:{background};color:{foreground}">{_e(colour)}</span>
{_e(_state_words(row, register))}</p>
{_chart(row, company, suppress_below, precision)}
{_services(services, unit, suppress_below, precision)}
{_definition(row, register)}
</article>"""


def _state_words(row: dict, register: RegisterRow | None) -> str:
    if row["rag_state"] == "TBC" and register is not None and register.rag_rule == "TRACK":
        return "tracked for context, no RAG"
    return STATE_WORDS.get(row["rag_state"], row["rag_state"])


def _chart(row: dict, company: list[dict], suppress_below: int, precision: int | None) -> str:
    """An inline SVG line chart of the company value over the months of the series, with the target line."""
    if not company:  # no series for this indicator yet: the month's own point
        company = [row]
    points = [
        (p["period_end"], None if row_is_suppressed(p, suppress_below) else p.get("value"), p.get("target"))
        for p in company
    ]
    numbers = [float(v) for _, v, _ in points if v is not None] + [float(t) for _, _, t in points if t is not None]
    low, high = (min(numbers), max(numbers)) if numbers else (0.0, 1.0)
    if row.get("unit") == "%":
        low, high = min(low, 0.0), max(high, 100.0) if high > 50 else max(high * 1.2, 1.0)
    low, high = min(low, 0.0), max(high, 0.0)  # the zero line is always on the chart (a surplus is below it)
    if high <= low:
        high = low + 1.0
    width = CHART_WIDTH - PLOT_LEFT - PLOT_RIGHT
    height = CHART_HEIGHT - PLOT_TOP - PLOT_BOTTOM
    step = width / max(len(points) - 1, 1)

    def x(i: int) -> float:
        return PLOT_LEFT + (i * step if len(points) > 1 else width / 2)

    def y(v: float) -> float:
        return PLOT_TOP + height - (v - low) / (high - low) * height

    parts = [
        f'<line x1="{PLOT_LEFT}" y1="{PLOT_TOP + height}" x2="{PLOT_LEFT + width}" y2="{PLOT_TOP + height}" '
        'stroke="#b1b4b6"/>',
        f'<text class="axis" x="{PLOT_LEFT - 4}" y="{PLOT_TOP + height}" text-anchor="end">'
        f"{_e(format_axis(low, row.get('unit')))}</text>",
        f'<text class="axis" x="{PLOT_LEFT - 4}" y="{PLOT_TOP + 8}" text-anchor="end">'
        f"{_e(format_axis(high, row.get('unit')))}</text>",
    ]
    for segment in _segments([(x(i), None if t is None else y(float(t))) for i, (_, _, t) in enumerate(points)]):
        parts.append(
            f'<polyline class="target" points="{segment}" fill="none" stroke="#505a5f" stroke-dasharray="4 3"/>'
        )
    for segment in _segments([(x(i), None if v is None else y(float(v))) for i, (_, v, _) in enumerate(points)]):
        parts.append(f'<polyline class="values" points="{segment}" fill="none" stroke="#1d70b8" stroke-width="2"/>')
    for i, (period_end, value, _) in enumerate(points):
        label = f"{_month(period_end)}: {_number(value, row.get('unit'), precision)}"
        if value is not None:
            parts.append(
                f'<circle class="point" cx="{x(i):.1f}" cy="{y(float(value)):.1f}" r="3" fill="#1d70b8">'
                f"<title>{_e(label)}</title></circle>"
            )
    parts.append(f'<text x="{PLOT_LEFT}" y="{CHART_HEIGHT - 6}">{_e(_month(points[0][0]))}</text>')
    if len(points) > 1:
        parts.append(
            f'<text x="{PLOT_LEFT + width}" y="{CHART_HEIGHT - 6}" text-anchor="end">{_e(_month(points[-1][0]))}</text>'
        )
    title = f"{row['kpi_id']}: {len(points)}-month trend with the target line"
    return (
        f'<svg class="trend" role="img" aria-label="{_e(title)}" width="{CHART_WIDTH}" height="{CHART_HEIGHT}" '
        f'viewBox="0 0 {CHART_WIDTH} {CHART_HEIGHT}" data-points="{len(points)}"><title>{_e(title)}</title>'
        + "".join(parts)
        + "</svg>"
    )


def _segments(coordinates: list[tuple[float, float | None]]) -> list[str]:
    """Runs of known points as SVG polyline point lists (a month with no figure breaks the line)."""
    runs: list[list[str]] = [[]]
    for px, py in coordinates:
        if py is None:
            runs.append([])
        else:
            runs[-1].append(f"{px:.1f},{py:.1f}")
    return [" ".join(run) for run in runs if len(run) > 1]


def _month(period_end: object) -> str:
    day = period_end if isinstance(period_end, date) else date.fromisoformat(str(period_end)[:10])
    return f"{MONTHS[day.month - 1]} {day.year % 100:02d}"


def _services(services: list[dict], unit: str | None, suppress_below: int, precision: int | None) -> str:
    if not services:
        return '<p class="note services-none">No breakdown by service for this indicator.</p>'
    body = []
    for point in services:
        suppressed = row_is_suppressed(point, suppress_below)
        value = CONFIDENTIAL if suppressed else _number(point.get("value"), unit, precision)
        if suppressed:
            count = CONFIDENTIAL
        elif point.get("denominator") is None:
            count = ""
        else:
            count = f"{_count(point['numerator'])} / {_count(point['denominator'])}"
        background, foreground = RAG_STYLES.get(point.get("rag_colour") or "No data", RAG_STYLES["No data"])
        body.append(
            f"<tr><td>{_e(point['grain_key'])}</td><td class='num'>{_e(value)}</td><td class='num'>{_e(count)}</td>"
            f"<td><span class='badge' style='background:{background};color:{foreground}'>"
            f"{_e(point.get('rag_colour'))}</span></td></tr>"
        )
    return (
        '<table class="services"><caption class="note">By service</caption>'
        "<thead><tr><th>Service</th><th>Value</th><th>n</th><th>RAG</th></tr></thead>"
        f"<tbody>{''.join(body)}</tbody></table>"
    )


def _definition(row: dict, register: RegisterRow | None) -> str:
    text = register.definition if register and register.definition else "No definition recorded in the register."
    source = register.seed_ref if register else ""
    rule = register.rag_rule if register else ""
    return (
        '<details class="definition"><summary>Definition</summary>'
        f"<p>{_e(text)}</p>"
        f"<p class='note'>RAG rule {_e(rule)}, scheme {_e(row.get('rag_scheme'))}, definition version "
        f"{_e(row.get('definition_version'))}. Source: {_e(source)}.</p></details>"
    )
