"""The finance exports (input contract §4.2) of each monthly delivery.

Window (§0.7): the current and the previous financial year of the delivery's as_at_date (its period end). The
ledger, trial balance and forecasts run to the reporting month; budgets cover both years whole. Commitments show
what was known at as_at_date: a later end is blank and the commitment ACTIVE.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from operator import attrgetter
from pathlib import Path

from synth.finance.commitments import Commitment, build_commitments, fy_of
from synth.finance.ledger import Books, build_books, forecasts, fy_label, fy_months
from synth.finance.params import FinanceParams
from synth.finance.providers import ProviderRegistry
from synth.population import Child
from synth.rng import Rng
from synth.settings_pool import build_settings
from synth.workforce.exports import delivery_period_ends, iso, write_tables, yn
from synth.workforce.pool import build_workforce
from synth.workforce.staffing import Workforce

FIN_COLUMNS: dict[str, tuple[str, ...]] = {
    "fin_ledger": (
        *("ledger_line_id", "fy", "period", "fin_period", "cost_centre", "subjective_code", "amount_gbp"),
        *("line_type", "supplier_id", "description", "child_id"),
    ),
    "fin_trial_balance": ("fy", "period", "cost_centre", "subjective_code", "ytd_amount_gbp"),
    "fin_budget": ("fy", "budget_version", "cost_centre", "subjective_code", "period", "budget_gbp"),
    "fin_forecast": ("fy", "as_of_period", "cost_centre", "subjective_code", "forecast_full_year_gbp"),
    "fin_placement_budget": (
        *("fy", "finance_placement_type", "budget_fte", "budget_weekly_rate_gbp", "budget_total_gbp"),
    ),
    "fin_placement_commitment": (
        *("commitment_id", "rate_effective_from", "rate_effective_to", "child_id", "provider_id"),
        *("finance_placement_type", "cost_centre", "weekly_rate_gbp", "start_date", "end_date", "expected_end_date"),
        *("health_contribution_pct", "education_contribution_pct", "uasc_flag", "framework", "status", "cla_decom"),
        "placement_id",
    ),
    "fin_provider": (
        *("provider_id", "urn", "provider_name", "provider_type", "inhouse", "postcode", "registered_places"),
        *("ofsted_grade", "ofsted_date"),
    ),
    "fin_savings_tracker": ("fy", "saving_id", "description", "required_gbp", "delivered_gbp", "as_of_period"),
    "fin_balance_sheet": ("as_at_date", "line", "amount_gbp"),
}
_SAVINGS = ("Placement sufficiency", "Agency reduction", "Commissioning", "Legal costs", "Back office")


def money(value: float) -> str:
    return f"{value:.2f}"


def period(month: tuple[int, int]) -> str:
    return f"{month[0]}-{month[1]:02d}"


def _fin_period(month: tuple[int, int]) -> int:
    return (month[1] - 4) % 12 + 1


def ledger_rows(books: Books) -> list[list[str]]:
    """All ledger rows with stable ids: a month's lines never change once posted, so neither do their ids."""
    by_month: dict[tuple[int, int], list] = defaultdict(list)
    for line in books.lines:
        by_month[line.month].append(line)
    rows = []
    order = attrgetter("cost_centre", "subjective", "supplier_id", "child_id", "description", "amount")
    for month in sorted(by_month):
        lines = sorted(by_month[month], key=order)
        fy = month[0] if month[1] >= 4 else month[0] - 1
        prefix, label, month_text = f"GL{month[0]}{month[1]:02d}", fy_label(fy), period(month)
        fin_period = str(_fin_period(month))
        for number, line in enumerate(lines, start=1):
            rows.append(
                [f"{prefix}{number:06d}", label, month_text, fin_period, line.cost_centre, line.subjective,
                 money(line.amount), "ACTUAL", line.supplier_id, line.description, line.child_id]
            )  # fmt: skip
    return rows


def _commitment_rows(commitments: list[Commitment], first: int, as_at: int) -> list[list[str]]:
    rows = []
    for c in commitments:
        if c.start > as_at or c.end <= first:
            continue
        ended = c.end <= as_at
        status = "CANCELLED" if c.cancelled else ("ENDED" if ended else "ACTIVE")
        periods = c.rate_periods()
        for number, (since, until, rate) in enumerate(periods):
            if since > as_at or until <= first:
                continue
            known_next = number + 1 < len(periods) and periods[number + 1][0] <= as_at
            rows.append(
                [c.commitment_id, iso(since), iso(until - 1) if known_next else "", c.child_id, c.provider_id,
                 c.finance_type, c.cost_centre, money(rate), iso(c.start), iso(c.end) if ended else "",
                 iso(c.expected_end), "" if c.health_pct is None else money(c.health_pct),
                 "" if c.education_pct is None else money(c.education_pct), yn(c.uasc), c.framework, status,
                 iso(c.cla_decom), ""]
            )  # fmt: skip
    return rows


def _provider_rows(
    registry: ProviderRegistry, commitments: list[Commitment], first: int, as_at: int
) -> list[list[str]]:
    used = {c.provider_id for c in commitments if c.start <= as_at and c.end > first}
    rows = []
    for provider_id in sorted(registry.by_id):
        p = registry.by_id[provider_id]
        if not p.name and provider_id not in used:
            continue  # individuals appear once they have been paid
        grade_known = p.ofsted_date is not None and p.ofsted_date <= as_at
        rows.append(
            [p.provider_id, p.urn, p.name, p.provider_type, yn(p.inhouse), p.postcode,
             "" if p.registered_places is None else str(p.registered_places),
             p.ofsted_grade if grade_known or p.ofsted_grade == "NOT_INSPECTED" else ("NOT_INSPECTED" if p.urn else ""),
             iso(p.ofsted_date) if grade_known else ""]
        )  # fmt: skip
    return rows


def _savings_rows(seed: int, la_code: str, fys: list[int], last: tuple[int, int]) -> list[list[str]]:
    rows = []
    for fy in fys:
        rng = Rng(f"{seed}|{la_code}|savings|{fy}")
        plans = [(f"SV{fy}{n + 1:02d}", name, round(rng.uniform(200, 800)) * 1000.0) for n, name in enumerate(_SAVINGS)]
        achieve = {saving_id: rng.uniform(0.6, 1.05) for saving_id, _, _ in plans}
        for month in fy_months(fy):
            if month > last:
                break
            done = _fin_period(month) / 12
            for saving_id, name, required in plans:
                delivered = round(required * achieve[saving_id] * done, 2)
                rows.append([fy_label(fy), saving_id, name, money(required), money(delivered), period(month)])
    return rows


def _balance_rows(books: Books, as_at: date) -> list[list[str]]:
    """Year-end balance sheets (31 March) up to as_at_date, sized on the year's budgeted expenditure."""
    rows = []
    for fy in books.fys:
        year_end = date(fy + 1, 3, 31)
        if year_end > as_at:
            continue
        spend = sum(sum(m.values()) for (year, key), m in books.budget.items() if year == fy and key[1].startswith("E"))
        debtors, cash = round(spend * 0.12, 2), round(spend * 0.08, 2)
        creditors_short, creditors_long = round(-spend * 0.15, 2), round(-spend * 0.05, 2)
        reserves = round(-(debtors + cash + creditors_short + creditors_long), 2)
        for line, amount in (("DEBTORS", debtors), ("CASH", cash), ("CREDITORS_LT1Y", creditors_short),
                             ("CREDITORS_GT1Y", creditors_long), ("RESERVES", reserves)):  # fmt: skip
            rows.append([year_end.isoformat(), line, money(amount)])
    return rows


def finance_tables(
    seed: int,
    la_code: str,
    books: Books,
    commitments: list[Commitment],
    registry: ProviderRegistry,
    as_at: date,
    all_ledger_rows: list[list[str]] | None = None,
) -> dict[str, list[list[str]]]:
    """Every finance table as known at `as_at` (a month end); `all_ledger_rows` = ledger_rows(books), if at hand."""
    fy = fy_of(as_at.toordinal())
    fys, last = [fy - 1, fy], (as_at.year, as_at.month)
    first_day = date(fy - 1, 4, 1).toordinal()
    in_window = {period(m) for year in fys for m in fy_months(year) if m <= last}
    tables: dict[str, list[list[str]]] = {name: [] for name in FIN_COLUMNS}
    all_ledger_rows = ledger_rows(books) if all_ledger_rows is None else all_ledger_rows
    tables["fin_ledger"] = [row for row in all_ledger_rows if row[2] in in_window]
    for year in fys:
        running: dict[tuple[str, str], float] = defaultdict(float)
        for month in fy_months(year):
            if month > last:
                break
            for key, amount in books.monthly.get(month, {}).items():
                running[key] += amount
            for key in sorted(running):
                tables["fin_trial_balance"].append([fy_label(year), period(month), *key, money(running[key])])
            for key, value in forecasts(books, year, month).items():
                tables["fin_forecast"].append([fy_label(year), period(month), *key, money(value)])
        for (budget_year, key), monthly in sorted(books.budget.items()):
            if budget_year == year:
                for month, value in monthly.items():
                    tables["fin_budget"].append([fy_label(year), "ORIGINAL", *key, period(month), money(value)])
        for (budget_year, kind), (fte, rate, total) in sorted(books.placement_budget.items()):
            if budget_year == year:
                tables["fin_placement_budget"].append([fy_label(year), kind, money(fte), money(rate), money(total)])
    tables["fin_placement_commitment"] = _commitment_rows(commitments, first_day, as_at.toordinal())
    tables["fin_provider"] = _provider_rows(registry, commitments, first_day, as_at.toordinal())
    tables["fin_savings_tracker"] = _savings_rows(seed, la_code, fys, last)
    tables["fin_balance_sheet"] = _balance_rows(books, as_at)
    return tables


def provider_registry(seed: int, la_code: str, as_of: date) -> ProviderRegistry:
    """The providers of one organisation; latest inspections fall in the 8 years before `as_of`."""
    inspected = (date(as_of.year - 8, 4, 1).toordinal(), as_of.toordinal())
    return ProviderRegistry(seed, la_code, build_settings(seed, la_code), inspected)


def build_finance(
    seed: int,
    la_code: str,
    as_of: date,
    months: int,
    children: list[Child],
    workforce: Workforce | None = None,
    params: FinanceParams | None = None,
) -> tuple[Books, list[Commitment], ProviderRegistry]:
    params = params or FinanceParams()
    workforce = workforce or build_workforce(seed, la_code, as_of)
    period_ends = delivery_period_ends(as_of, months)
    first_fy = fy_of(period_ends[0].toordinal()) - 1
    fys = list(range(first_fy, fy_of(as_of.toordinal()) + 1))
    registry = provider_registry(seed, la_code, as_of)
    commitments = build_commitments(seed, la_code, children, registry, params)
    books = build_books(seed, la_code, fys, (as_of.year, as_of.month), commitments, workforce, params)
    return books, commitments, registry


def write_finance_exports(
    inbound_dir: Path,
    la_code: str,
    as_of: date,
    months: int,
    seed: int,
    children: list[Child],
    workforce: Workforce | None = None,
    params: FinanceParams | None = None,
) -> dict[str, list[dict[str, object]]]:
    """Write `fin/` of the `months` monthly deliveries ending at `as_of`; manifest entries by delivery folder.

    `children` is the organisation's simulated population (synth.population.simulate_population, the same list
    the 903 exports are cut from); `workforce` defaults to `build_workforce(seed, la_code, as_of)`.
    """
    books, commitments, registry = build_finance(seed, la_code, as_of, months, children, workforce, params)
    manifest: dict[str, list[dict[str, object]]] = {}
    all_ledger_rows = ledger_rows(books)
    for period_end in delivery_period_ends(as_of, months):
        folder = Path(inbound_dir) / la_code / f"{period_end:%Y-%m}"
        tables = finance_tables(seed, la_code, books, commitments, registry, period_end, all_ledger_rows)
        manifest[f"{period_end:%Y-%m}"] = write_tables(folder / "fin", "fin", FIN_COLUMNS, tables)
    return manifest
