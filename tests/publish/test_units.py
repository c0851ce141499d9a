"""The unit formatter behind every figure on the dashboard (tiles, arrows, chart labels, service tables)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from publish.units import format_axis, format_difference, format_value


@pytest.mark.parametrize(
    ("value", "unit", "precision", "shown"),
    [
        # money in £000 (the P&L's unit): under £1m in £k with the register's decimals; from £1m in £m, 2 dp
        (Decimal("636.0"), "gbp_000", 1, "£636.0k"),
        (Decimal("999.9"), "gbp_000", 1, "£999.9k"),  # £999,900: still £k
        (Decimal("1000.0"), "gbp_000", 1, "£1.00m"),  # exactly £1m
        (Decimal("46195.0"), "gbp_000", 1, "£46.20m"),  # 46.195 half-up
        (Decimal("-250.5"), "gbp_000", 1, "(£250.5k)"),  # a surplus, in brackets as the P&L prints it
        # money in pounds: thousands separators, the register's precision (the dataset carries one decimal)
        (Decimal("52340.0"), "gbp", 0, "£52,340"),
        (Decimal("1250000.0"), "gbp", 0, "£1.25m"),
        (Decimal("4801.0"), "gbp_per_week", 0, "£4,801 a week"),
        # the other units
        (Decimal("90.0"), "%", 1, "90.0%"),
        (Decimal("51.32"), "%", 2, "51.32%"),
        (Decimal("1.5"), "pct_of_budget", 1, "+1.5% of budget"),
        (Decimal("-2.0"), "pct_of_budget", 1, "-2.0% of budget"),
        (Decimal("1644.0"), "count", 0, "1,644"),
        (Decimal("18.2"), "cases", 1, "18.2 cases"),
        (Decimal("195.3"), "fte", 1, "195.3 FTE"),
        (Decimal("46.4"), "rate_per_10k", 1, "46.4 per 10k"),
        (Decimal("1.0"), "yes_no", 0, "Yes"),
        (Decimal("0.0"), "yes_no", 0, "No"),
        (Decimal("12.25"), "points", 1, "12.3 pts"),  # half-up to the register's one decimal
        (None, "gbp_000", 1, "no data"),
    ],
)
def test_values_read_in_their_unit(value: Decimal | None, unit: str, precision: int, shown: str) -> None:
    assert format_value(value, unit, precision) == shown


def test_tolerances_are_points_for_percentages_and_money_for_money() -> None:
    assert format_difference(Decimal("5.0"), "%", 1) == "5.0 pp"
    assert format_difference(Decimal("2.0"), "pct_of_budget", 1) == "2.0 pp"
    assert format_difference(Decimal("10.0"), "gbp_000", 1) == "£10.0k"
    assert format_difference(None, "%", 1) == ""


def test_axis_labels_drop_decimals_that_add_nothing() -> None:
    assert [format_axis(0.0, "%"), format_axis(100.0, "%"), format_axis(36.5, "%")] == ["0%", "100%", "36.5%"]
    assert [format_axis(0.0, "gbp_000"), format_axis(16995.0, "gbp_000")] == ["£0k", "£17.00m"]
    assert format_axis(2000.0, "count") == "2,000"
    # short enough for the chart's margin: no unit words (the tile says them), money keeps its £
    assert [format_axis(1.5, "pct_of_budget"), format_axis(4801.0, "gbp_per_week"), format_axis(18.0, "cases")] == [
        "1.5%",
        "£4,801",
        "18",
    ]
