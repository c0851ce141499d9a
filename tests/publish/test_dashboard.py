"""The HTML dashboard: self-contained and offline, and what a reader sees in a real (headless) Chromium.

The candidate is tests/publish/candidate.py: every live TSG indicator of the register, 13 months each (so 13
points per chart), b17 broken down by service (RA 20/25, SFS 25/25).
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from expectations.kpi_register import definitions, tsg_kpis_due
from publish.dashboard import render_dashboard
from tests.publish.browser import chromium_executable, open_page
from tests.publish.candidate import AS_OF, LA_CODE, SERVICE_KPI, good_rows, write_candidate

DOCS_SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "images" / "tsg_dashboard.png"

RENDER_CHECK = """(() => {
  const box = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const tiles = [...document.querySelectorAll('article.tile')];
  return tiles.map((tile) => {
    const chart = tile.querySelector('svg.trend');
    return {
      kpi: tile.dataset.kpi,
      tile: box(tile),
      value: (tile.querySelector('.value') || {}).textContent || '',
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
        assert tile["value"] in ("90.0%", "3.0"), tile
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
