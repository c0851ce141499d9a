"""The HTML dashboard: self-contained and offline, and what a reader sees in a real (headless) Chromium.

The candidate is tests/publish/candidate.py: every live TSG indicator of the register, 13 months each (so 13
points per chart), b17 broken down by service (RA 20/25, SFS 25/25), finance values in FINANCE_VALUES.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from expectations.kpi_register import definitions, load_register, tsg_kpis_due
from publish.dashboard import render_dashboard
from tests.publish.browser import chromium_executable, open_page
from tests.publish.candidate import AS_OF, LA_CODE, SERVICE_KPI, good_rows, write_candidate

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "tsg_dashboard.png"

# What a reader sees on each tile, by the register's unit and precision: % at 1 dp, 45/50 -> "90.0%" (at 2 dp, the
# workforce mix as S2 states it, "90.00%"); count (0 dp) 3 -> "3"; cases -> "3.0 cases"; fte -> "3.0 FTE"; gbp_000
# 3.0 thousand -> "£3.0k".
TILE_TEXT_BY_UNIT = {
    ("%", 1): "90.0%",
    ("%", 2): "90.00%",
    ("count", 0): "3",
    ("cases", 1): "3.0 cases",
    ("fte", 1): "3.0 FTE",
    ("gbp_000", 1): "£3.0k",
}
# The finance tiles of FINANCE_VALUES, worked by hand: £16,995k is £16.995m -> two decimals half-up "£17.00m"; a
# -250.5 (£000) surplus in brackets as the P&L prints it; £52,340 a child (precision 0) with a thousands separator;
# £4,801 a week; +1.5 % of budget (a variance keeps its sign); b25 1 -> "Yes".
MONEY_TILE_TEXT = {
    "f_plc_cost_forecast": "£17.00m",
    "f_net_position_forecast": "(£250.5k)",
    "s_unit_cost_per_child_ytd": "£52,340",
    "f_plc_avg_weekly_rate": "£4,801 a week",
    "f_plc_variance_pct": "+1.5% of budget",
    "b25_forecast_within_budget": "Yes",
}

RENDER_CHECK = """(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const tiles = [...document.querySelectorAll('article.tile')];
  return tiles.map((tile) => {
    const chart = tile.querySelector('svg.trend');
    return {
      kpi: tile.dataset.kpi,
      tile: box(tile),
      value: (tile.querySelector('.value') || {}).textContent || '',
      facts: (tile.querySelector('.facts') || {}).textContent || '',
      axis: chart ? [...chart.querySelectorAll('text.axis')].map((t) => t.textContent) : [],
      chart: !!chart && box(chart),
      points: chart ? chart.querySelectorAll('circle.point').length : 0,
      valueLine: chart ? chart.querySelectorAll('polyline.values').length : 0,
      targetLine: chart ? chart.querySelectorAll('polyline.target').length : 0,
      services: tile.querySelectorAll('table.services tbody tr').length,
      definitionHidden: !tile.querySelector('details.definition p').checkVisibility(),
    };
  });
})()"""


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("dashboard")
    dataset, series = good_rows()
    write_candidate(folder, dataset, series)
    return render_dashboard(
        folder, as_of=AS_OF, warnings=["b08 moved +20.0 pp"], not_yet_measured=["b09_yj_reoffending"]
    )


def test_the_page_is_self_contained(dashboard: Path) -> None:
    page = dashboard.read_text(encoding="utf-8")
    # Nothing to fetch: no script, stylesheet link, image, font or frame; only inline CSS and SVG.
    assert not re.search(r"<(script|link|img|iframe|object|embed)\b", page, re.IGNORECASE)
    assert not re.search(r"(src|href)\s*=", page, re.IGNORECASE)
    assert "url(" not in page and "@import" not in page
    assert page.count('<article class="tile"') == len(tsg_kpis_due(AS_OF, la_code=LA_CODE))
    assert "Check before sign-off" in page and "b09_yj_reoffending" in page
    # Targets not set are shown as such; a TRACK indicator says it has no target by design.
    register = definitions(AS_OF)
    due = tsg_kpis_due(AS_OF, la_code=LA_CODE)
    tracked = {kpi for kpi in due if register[kpi].rag_rule == "TRACK"}
    assert {"s_cla_count", "b24b_inhouse_share_of_fostered", "b03v_assess_45wd_from_referral"} <= tracked
    assert page.count("Tracked: no target") == len(tracked)
    # The service table speaks the tile's units: RA 20 / 25 = 80.0 %, SFS 25 / 25 = 100.0 %.
    assert "<td class='num'>80.0%</td><td class='num'>20 / 25</td>" in page
    assert "<td class='num'>100.0%</td><td class='num'>25 / 25</td>" in page


@pytest.fixture(scope="module")
def chromium() -> str:
    executable, reason = chromium_executable()
    if executable is None:
        pytest.skip(f"headless Chromium unavailable: {reason}")
    return executable


def test_every_tile_and_chart_renders_in_chromium_without_console_errors(dashboard: Path, chromium: str) -> None:
    with open_page(chromium, dashboard.as_uri()) as page:
        tiles = page.evaluate(RENDER_CHECK)
        # The definition is one click away: hidden until its summary is clicked.
        page.evaluate(f"document.querySelector('#tile-{SERVICE_KPI} details.definition summary').click()")
        definition = page.evaluate(
            f"(() => {{ const d = document.querySelector('#tile-{SERVICE_KPI} details.definition');"
            " return [d.open, d.querySelector('p').checkVisibility(), d.textContent]; })()"
        )
        errors = page.console_errors()
        if os.environ.get("CSC_UPDATE_DOCS_SCREENSHOT") == "1":  # a screenshot of this candidate for docs/
            DOCS_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            page.evaluate(f"document.querySelector('#tile-{SERVICE_KPI} details.definition').open = false")
            page.screenshot(DOCS_SCREENSHOT)

    due = tsg_kpis_due(AS_OF, la_code=LA_CODE)
    assert sorted(tile["kpi"] for tile in tiles) == sorted(due)
    for tile in tiles:
        assert tile["tile"] and tile["chart"], tile
        assert tile["points"] == 13 and tile["valueLine"] == 1, tile  # 13 months, one unbroken line
        assert tile["definitionHidden"], tile
    units = {row.kpi_id: (row.unit, row.precision) for row in load_register()}
    shown = {tile["kpi"]: tile["value"] for tile in tiles}
    assert {kpi: shown[kpi] for kpi in MONEY_TILE_TEXT} == MONEY_TILE_TEXT
    assert {kpi: text for kpi, text in shown.items() if kpi not in MONEY_TILE_TEXT} == {
        kpi: TILE_TEXT_BY_UNIT[units[kpi]] for kpi in shown if kpi not in MONEY_TILE_TEXT
    }
    by_kpi = {tile["kpi"]: tile for tile in tiles}
    # The trend chart's axis and the target speak the same units: £0k to £17.00m; 0% to 100%; the variance's
    # target 0.0 % of budget with a 2.0 pp tolerance.
    assert by_kpi["f_plc_cost_forecast"]["axis"] == ["£0k", "£17.00m"]
    assert by_kpi[SERVICE_KPI]["axis"] == ["0%", "100%"]
    assert by_kpi["f_plc_variance_pct"]["facts"].startswith("Target 0.0% of budget (tolerance 2.0 pp)")
    with_target = [tile for tile in tiles if tile["targetLine"] == 1]
    assert with_target and all(tile["targetLine"] in (0, 1) for tile in tiles)
    assert {tile["kpi"]: tile["services"] for tile in tiles if tile["services"]} == {SERVICE_KPI: 2}
    assert definition[0] is True and definition[1] is True
    assert "Reviews of looked-after children" in definition[2]
    assert errors == []


def test_a_console_error_would_be_caught(tmp_path: Path, chromium: str) -> None:
    """The check above can fail: a page that logs an error and fails a load is reported."""
    page_path = tmp_path / "broken.html"
    page_path.write_text(
        "<!DOCTYPE html><html><body><script>console.error('boom')</script><img src='missing.png'></body></html>",
        encoding="utf-8",
    )
    with open_page(chromium, page_path.as_uri()) as page:
        page.evaluate("new Promise((done) => setTimeout(done, 300))")
        errors = page.console_errors()
    assert "boom" in errors
    assert any("missing.png" in error or "ERR_FILE_NOT_FOUND" in error for error in errors), errors
