"""Figures as people read them: a value formatted by its unit in the KPI register (the dashboard's one formatter).

Money is shown at the scale its unit is kept in: pounds with thousands separators (`gbp`, `gbp_per_week`), £k for
the P&L's thousands (`gbp_000`), and £m for either from a million; a negative sum of money is in brackets, as the
P&L prints a surplus. Percentages carry %, counts thousands separators, and other
units their name. The value's own decimals (the register's precision, applied in dbt) are kept except where a
money amount is rescaled.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MILLION = Decimal(1_000_000)
THOUSAND = Decimal(1_000)
SUFFIXES = {
    "%": "%",
    "pct_of_budget": "% of budget",
    "rate_per_10k": " per 10k",
    "days": " days",
    "points": " pts",
    "cases": " cases",
    "fte": " FTE",
    "gbp_per_week": " a week",
    "ratio": ":1",
}
MONEY_UNITS = {"gbp": Decimal(1), "gbp_000": THOUSAND, "gbp_per_week": Decimal(1)}  # pounds per unit


def format_value(value: object, unit: str | None, precision: int | None = None) -> str:
    """The value as the dashboard shows it, e.g. 90.0%, 1,234, £16.99m, (£250.5k), £4,801 a week, Yes. With the
    register's `precision` the decimals are that many (the dataset's numeric(18, 1) carries one for every unit)."""
    if value is None:
        return "no data"
    number = Decimal(str(value))
    if precision is not None:
        number = number.quantize(Decimal(1).scaleb(-precision), ROUND_HALF_UP)
    unit = unit or ""
    if unit == "yes_no":
        return "Yes" if number == 1 else "No" if number == 0 else _grouped(number)
    if unit in MONEY_UNITS:
        return _money(number, MONEY_UNITS[unit]) + SUFFIXES.get(unit, "")
    if unit == "pct_of_budget" and number > 0:  # a variance: the sign says over or under budget
        return f"+{_grouped(number)}{SUFFIXES[unit]}"
    return _grouped(number) + SUFFIXES.get(unit, "")


def format_difference(value: object, unit: str | None, precision: int | None = None) -> str:
    """A tolerance or a gap in the value's unit: percentage points for percentages, money as money."""
    if value is None:
        return ""
    if unit in ("%", "pct_of_budget"):
        return f"{format_value(value, None, precision)} pp"
    return format_value(value, unit, precision)


def format_axis(value: float, unit: str | None) -> str:
    """A chart axis label, kept short for the chart's margin: money and % as on the tile, other units as a plain
    number (the tile above says what it counts), without decimals that add nothing (0%, 100%, £17.00m, 2,000)."""
    number = Decimal(str(value)).normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    if unit in ("%", "pct_of_budget"):
        return f"{_grouped(number)}%"
    if unit in MONEY_UNITS or unit == "yes_no":
        text, suffix = format_value(number, unit), SUFFIXES.get(unit or "")
        return text.removesuffix(suffix) if suffix else text  # £4,801, not £4,801 a week
    return _grouped(number)


def _money(amount: Decimal, pounds_per_unit: Decimal) -> str:
    """£m with two decimals from £1m; below that the unit's own scale (£ or £k) with its decimals."""
    size = abs(amount)
    if size * pounds_per_unit >= MILLION:
        text = f"£{_grouped((size * pounds_per_unit / MILLION).quantize(Decimal('0.01'), ROUND_HALF_UP))}m"
    elif pounds_per_unit == THOUSAND:
        text = f"£{_grouped(size)}k"
    else:
        text = f"£{_grouped(size)}"
    return f"({text})" if amount < 0 else text


def _grouped(number: Decimal) -> str:
    """Thousands separators, the decimals the value carries (no exponent, no float noise)."""
    places = max(-number.as_tuple().exponent, 0) if isinstance(number.as_tuple().exponent, int) else 0
    return f"{number:,.{places}f}"
