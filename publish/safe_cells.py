"""Formula-injection guard for files opened in Excel (CSV and XLSX): no text cell may start a formula.

Text reaching the outputs partly comes from the organisations' own deliveries (team and service codes, flags),
so a value such as `=HYPERLINK(...)` or `@SUM(...)` must never be evaluated when an analyst opens the file.
OWASP's rule: a text cell starting with = + - @ or a tab or carriage return is prefixed with a single quote,
which Excel shows as text. Numbers are written as numbers and never touched.
"""

from __future__ import annotations

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def starts_formula(text: str) -> bool:
    return text.startswith(FORMULA_TRIGGERS)


def neutralise(value: object) -> object:
    """`value` unchanged unless it is text that would start a formula, which gets a leading single quote."""
    if isinstance(value, str) and starts_formula(value):
        return "'" + value
    return value
