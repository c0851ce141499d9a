"""A static, self-contained HTML dashboard of the TSG dataset: one table a steering group can read.

Colour is never the only signal: each RAG cell also carries its colour name and state in words.
"""

from __future__ import annotations

import html
from pathlib import Path

import pyarrow.parquet as pq

DASHBOARD_NAME = "dashboard.html"

# GOV.UK design-system colours, with a text colour that keeps each cell readable.
RAG_STYLES = {
    "Green": ("#00703c", "#ffffff"),
    "Amber": ("#f47738", "#0b0c0c"),
    "Yellow": ("#ffdd00", "#0b0c0c"),
    "Red": ("#d4351c", "#ffffff"),
    "Grey": ("#b1b4b6", "#0b0c0c"),
    "To be confirmed": ("#b1b4b6", "#0b0c0c"),
    "No data": ("#f3f2f1", "#0b0c0c"),
}
DIRECTION_WORDS = {"H": "higher is better", "L": "lower is better", "M": "maintain"}

PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{title}</title>
<style>
body {{ font-family: Arial, sans-serif; margin: 2rem; color: #0b0c0c; }}
table {{ border-collapse: collapse; width: 100%; }}
th, td {{ border: 1px solid #b1b4b6; padding: 0.4rem 0.6rem; text-align: left; vertical-align: top; }}
th {{ background: #f3f2f1; }}
td.num {{ text-align: right; font-variant-numeric: tabular-nums; }}
.rag {{ font-weight: bold; }}
.note {{ color: #505a5f; font-size: 0.9rem; }}
</style>
</head>
<body>
<h1>{title}</h1>
<p>Organisation <strong>{la_code}</strong>, reporting month ending <strong>{period_end}</strong>.
RAG scheme: {scheme}.</p>
<table>
<thead><tr><th>Indicator</th><th>Value</th><th>n (numerator / denominator)</th><th>Target</th>
<th>Tolerance</th><th>Direction</th><th>Previous month</th><th>RAG</th><th>Notes</th></tr></thead>
<tbody>
{rows}
</tbody>
</table>
<p class="note">Values are rounded half-up to the precision shown; the RAG compares those rounded values.
"Small n" marks a denominator below 10: read the figure with its count.</p>
</body>
</html>
"""


def render_dashboard(dataset_path: Path, output_dir: Path) -> Path:
    """Render the dataset at `dataset_path` to `dashboard.html` in `output_dir`."""
    rows = pq.read_table(dataset_path).to_pylist()
    first = rows[0] if rows else {}
    page = PAGE.format(
        title="Children's services TSG dashboard",
        la_code=html.escape(str(first.get("la_code", ""))),
        period_end=html.escape(str(first.get("period_end", ""))),
        scheme=html.escape(str(first.get("rag_scheme", ""))),
        rows="\n".join(_row_html(row) for row in rows),
    )
    path = output_dir / DASHBOARD_NAME
    path.write_text(page, encoding="utf-8")
    return path


def _format(value: object, unit: str | None) -> str:
    if value is None:
        return "–"
    text = f"{value:g}" if isinstance(value, float) else str(value)
    return f"{text}%" if unit == "%" else text


def _row_html(row: dict) -> str:
    colour = row.get("rag_colour") or "No data"
    background, foreground = RAG_STYLES.get(colour, RAG_STYLES["No data"])
    notes = [note for note in (row.get("data_quality_flag"), "small n" if row.get("low_n_flag") else None) if note]
    count = "" if row.get("denominator") is None else f"{row.get('numerator')} / {row.get('denominator')}"
    cells = [
        f"<td>{html.escape(str(row.get('kpi_name') or row.get('kpi_id')))}<br>"
        f"<span class='note'>{html.escape(str(row.get('kpi_id')))}</span></td>",
        f"<td class='num'>{html.escape(_format(row.get('value'), row.get('unit')))}</td>",
        f"<td class='num'>{html.escape(count)}</td>",
        f"<td class='num'>{html.escape(_format(row.get('target'), row.get('unit')))}</td>",
        f"<td class='num'>{html.escape(_format(row.get('tolerance'), None))}</td>",
        f"<td>{html.escape(DIRECTION_WORDS.get(str(row.get('direction')), '–'))}</td>",
        f"<td class='num'>{html.escape(_format(row.get('prev_value'), row.get('unit')))}</td>",
        f"<td class='rag' style='background:{background};color:{foreground}'>"
        f"{html.escape(colour)}<br><span>{html.escape(str(row.get('rag_state') or ''))}</span></td>",
        f"<td>{html.escape(', '.join(str(note) for note in notes))}</td>",
    ]
    return "<tr>" + "".join(cells) + "</tr>"
