"""The general ledger, budgets and forecasts of one organisation, month by month.

* Placement lines: one ACTUAL line per commitment rate row and month, amount = weekly rate x days in the month / 7
  (rounded to the penny), on the type's cost centre and subjective: the ledger equals the commitments.
* Staff lines: salaries (+ employer NI and pension) of the employees in post and invoices of agency workers
  (charge rate x 37 h x FTE per week), on each team's cost centre.
* Other lines: income, support, legal, overheads and transformation, spread from their budgets (legal lumpy).
* Budgets (ORIGINAL, monthly): placements = last year's FTE by type x (1 + growth) x this year's rate x 52, which
  is also `fin_placement_budget`; staff = the establishment at this year's pay less a vacancy factor; the other
  lines are shares of that; the council's contract income balances the budget to zero (kpi-catalogue §5.5).
* Forecasts: year to date actual + the rest of the budget scaled by the year-to-date spend rate; income as budget.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

import numpy as np

from synth.calendar import month_end
from synth.finance.chart import (
    INCOME_CC,
    LEGAL_CC,
    OVERHEADS_CC,
    PLACEMENT_ACCOUNTS,
    SUPPORT_CC,
    TRANSFORMATION_CC,
    is_income,
)
from synth.finance.commitments import Commitment, base_rate
from synth.finance.params import FinanceParams
from synth.rng import Rng
from synth.workforce.establishment import EMPLOYER_NI, EMPLOYER_PENSION, WEEKLY_HOURS, salary
from synth.workforce.exports import charge_rate_hourly
from synth.workforce.staffing import Workforce

Month = tuple[int, int]
Key = tuple[str, str]  # (cost centre, subjective)


@dataclass(frozen=True, slots=True)
class LedgerLine:
    month: Month
    cost_centre: str
    subjective: str
    amount: float
    supplier_id: str = ""
    child_id: str = ""
    description: str = ""


def months_between(first: Month, last: Month) -> list[Month]:
    out, (year, month) = [], first
    while (year, month) <= last:
        out.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out


def fy_months(fy: int) -> list[Month]:
    return months_between((fy, 4), (fy + 1, 3))


def fy_label(fy: int) -> str:
    return f"{fy}-{(fy + 1) % 100:02d}"


def _bounds(months: list[Month]) -> tuple[np.ndarray, np.ndarray]:
    first = np.array([date(y, m, 1).toordinal() for y, m in months], dtype=np.int64)
    after = np.array([month_end(y, m).toordinal() + 1 for y, m in months], dtype=np.int64)
    return first, after


def _overlap(starts: np.ndarray, ends: np.ndarray, months: list[Month]) -> np.ndarray:
    """Days of [start, end) in each month: an (items x months) matrix."""
    first, after = _bounds(months)
    return np.clip(np.minimum(ends[:, None], after[None, :]) - np.maximum(starts[:, None], first[None, :]), 0, None)


def placement_lines(commitments: list[Commitment], months: list[Month]) -> list[LedgerLine]:
    rows = [(c, f, u, r) for c in commitments if not c.cancelled for f, u, r in c.rate_periods()]
    if not rows:
        return []
    days = _overlap(np.array([f for _, f, _, _ in rows]), np.array([u for _, _, u, _ in rows]), months)
    rates = np.array([r for _, _, _, r in rows])
    amounts = np.round(rates[:, None] * days / 7.0, 2)
    lines = []
    for row, column in zip(*np.nonzero(days), strict=True):
        commitment = rows[row][0]
        lines.append(
            LedgerLine(months[column], commitment.cost_centre, commitment.subjective, float(amounts[row, column]),
                       commitment.provider_id, commitment.child_id, f"Placement payment {commitment.commitment_id}")
        )  # fmt: skip
    return lines


def staff_lines(workforce: Workforce, months: list[Month]) -> list[LedgerLine]:
    grade_of = {post.post_id: post.grade for post in workforce.posts}
    inflation = workforce.params.pay_inflation
    spells = [s for s in workforce.spells if s.start < date(*months[-1], 28).toordinal() + 10]
    starts = np.array([s.start for s in spells], dtype=np.int64)
    ends = np.array([(workforce.horizon if s.end is None else s.end) + 1 for s in spells], dtype=np.int64)
    days = _overlap(starts, ends, months)
    first, after = _bounds(months)
    month_days = after - first
    salaries: dict[tuple[Month, str], float] = defaultdict(float)
    agency: dict[tuple[Month, str, str], float] = defaultdict(float)
    for row, column in zip(*np.nonzero(days), strict=True):
        spell, month = spells[row], months[column]
        fy = month[0] if month[1] >= 4 else month[0] - 1
        share = days[row, column] / month_days[column]
        if spell.is_agency:
            weekly = charge_rate_hourly(spell, inflation) * WEEKLY_HOURS * spell.fte
            key = (month, spell.cost_centre, spell.agency_name.rsplit(" ", 1)[-1])
            agency[key] += weekly * days[row, column] / 7.0
        else:
            salaries[(month, spell.cost_centre)] += (
                salary(grade_of[spell.post_id], fy, inflation) / 12 * spell.fte * share
            )
    lines = []
    for (month, cc), amount in salaries.items():
        pay = round(amount, 2)
        lines += [
            LedgerLine(month, cc, "E1000", pay, description="Payroll"),
            LedgerLine(month, cc, "E1010", round(pay * EMPLOYER_NI, 2), description="Payroll on-costs"),
            LedgerLine(month, cc, "E1020", round(pay * EMPLOYER_PENSION, 2), description="Payroll on-costs"),
        ]
    for (month, cc, agency_code), amount in agency.items():
        lines.append(LedgerLine(month, cc, "E1100", round(amount, 2), f"AGY-{agency_code}", "", "Agency invoice"))
    return lines


def _phase(annual: float, fy: int, by_days: bool) -> dict[Month, float]:
    """Split an annual amount over the year's months (evenly or by days), exactly: March takes the remainder."""
    months = fy_months(fy)
    if by_days:
        first, after = _bounds(months)
        weights = (after - first) / float((after - first).sum())
    else:
        weights = np.full(12, 1.0 / 12.0)
    parts = [round(annual * float(weight), 2) for weight in weights[:-1]]
    parts.append(round(annual - sum(parts), 2))
    return dict(zip(months, parts, strict=True))


@dataclass(slots=True)
class Books:
    """Everything the finance exports need, for the financial years `fys`."""

    fys: list[int]
    lines: list[LedgerLine]
    budget: dict[tuple[int, Key], dict[Month, float]]  # (fy, key) -> monthly budget
    placement_budget: dict[tuple[int, str], tuple[float, float, float]]  # (fy, type) -> (fte, rate, total)
    monthly: dict[Month, dict[Key, float]] = field(default_factory=dict)  # actuals by month and key
    forecast_cache: dict[tuple[int, Month], dict[Key, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        for line in self.lines:
            by_key = self.monthly.setdefault(line.month, {})
            key = (line.cost_centre, line.subjective)
            by_key[key] = by_key.get(key, 0.0) + line.amount


def type_days(commitments: list[Commitment], fy: int) -> dict[str, float]:
    first, after = date(fy, 4, 1).toordinal(), date(fy + 1, 4, 1).toordinal()
    days: dict[str, float] = defaultdict(float)
    for commitment in commitments:
        if not commitment.cancelled:
            days[commitment.finance_type] += max(0, min(commitment.end, after) - max(commitment.start, first))
    return days


def _placement_budget(
    commitments: list[Commitment], fy: int, params: FinanceParams
) -> dict[str, tuple[float, float, float]]:
    last_year = type_days(commitments, fy - 1)
    budget = {}
    for kind in PLACEMENT_ACCOUNTS:
        fte = round(last_year.get(kind, 0.0) / 364.0 * (1.0 + params.demographic_growth), 2)
        if fte <= 0:
            continue
        rate = round(base_rate(params, kind, fy), 2)
        budget[kind] = (fte, rate, round(fte * rate * 52, 2))
    return budget


def _other_lines(seed: int, la_code: str, fy: int, budget: dict[Key, float], months: list[Month]) -> list[LedgerLine]:
    lines = []
    for (cc, subjective), annual in sorted(budget.items()):
        if subjective in ("E6090",) or cc not in (INCOME_CC, SUPPORT_CC, LEGAL_CC, OVERHEADS_CC, TRANSFORMATION_CC):
            continue  # the contingency is never spent; staff and placement lines come from their own sources
        rng = Rng(f"{seed}|{la_code}|ledger|{fy}|{cc}|{subjective}")
        phased = _phase(annual, fy, by_days=False)
        for month in fy_months(fy):
            if is_income(subjective):
                amount = phased[month]
            elif subjective == "E5000":
                amount = round(phased[month] * rng.lognormvariate(-0.08, 0.4), 2)
            elif subjective == "E7000":
                amount = round(phased[month] * rng.choice((0.0, 0.5, 1.0, 2.5)), 2)
            else:
                amount = round(phased[month] * rng.uniform(0.92, 1.06), 2)
            if month in months and amount:
                supplier = (
                    "SBC" if subjective.startswith("I1") else ("" if is_income(subjective) else f"SUP-{subjective}")
                )
                lines.append(LedgerLine(month, cc, subjective, amount, supplier, "", "Journal"))
    return lines


def build_books(
    seed: int,
    la_code: str,
    fys: list[int],
    last_month: Month,
    commitments: list[Commitment],
    workforce: Workforce,
    params: FinanceParams,
) -> Books:
    """Ledger lines for every month of `fys` up to `last_month`, with the budgets of `fys`."""
    months = [month for fy in fys for month in fy_months(fy) if month <= last_month]
    lines = placement_lines(commitments, months) + staff_lines(workforce, months)
    budget: dict[tuple[int, Key], dict[Month, float]] = {}
    placement_budget: dict[tuple[int, str], tuple[float, float, float]] = {}
    inflation = workforce.params.pay_inflation
    for fy in fys:
        annual: dict[Key, float] = defaultdict(float)
        for kind, (fte, rate, total) in _placement_budget(commitments, fy, params).items():
            placement_budget[(fy, kind)] = (fte, rate, total)
            annual[PLACEMENT_ACCOUNTS[kind]] += total
        for post in workforce.posts:
            pay = salary(post.grade, fy, inflation) * post.budgeted_fte * (1.0 - params.vacancy_factor)
            annual[(post.cost_centre, "E1000")] += pay
            annual[(post.cost_centre, "E1010")] += pay * EMPLOYER_NI
            annual[(post.cost_centre, "E1020")] += pay * EMPLOYER_PENSION
        core = sum(annual.values())
        shares = {
            (SUPPORT_CC, "E4100"): params.other_support_share,
            (LEGAL_CC, "E5000"): params.legal_share,
            (OVERHEADS_CC, "E6000"): params.overheads_share * 0.4,
            (OVERHEADS_CC, "E6010"): params.overheads_share * 0.3,
            (OVERHEADS_CC, "E6020"): params.overheads_share * 0.3,
            (OVERHEADS_CC, "E6090"): params.contingency_share,
            (TRANSFORMATION_CC, "E7000"): params.transformation_share,
            (INCOME_CC, "I1010"): -params.sbc_other_income_share,
            (INCOME_CC, "I2000"): -params.dfe_income_share,
            (INCOME_CC, "I3000"): -params.grant_income_share,
            (INCOME_CC, "I4000"): -params.other_income_share,
        }
        for key, share in shares.items():
            annual[key] += core * share
        rounded = {key: round(value, 2) for key, value in annual.items()}
        rounded[(INCOME_CC, "I1000")] = -round(sum(rounded.values()), 2)  # the contract sum balances the budget
        for key, value in rounded.items():
            placement = key[1].startswith(("E3", "E4000"))
            budget[(fy, key)] = _phase(value, fy, by_days=placement)
        lines += _other_lines(seed, la_code, fy, rounded, months)
    return Books(fys, lines, budget, placement_budget)


def forecasts(books: Books, fy: int, as_of: Month) -> dict[Key, float]:
    """The full-year forecast made at the end of month `as_of` of year `fy`, by (cost centre, subjective)."""
    if (fy, as_of) not in books.forecast_cache:
        books.forecast_cache[(fy, as_of)] = _forecasts(books, fy, as_of)
    return books.forecast_cache[(fy, as_of)]


def _forecasts(books: Books, fy: int, as_of: Month) -> dict[Key, float]:
    done_months = [month for month in fy_months(fy) if month <= as_of]
    done = set(done_months)
    actual: dict[Key, float] = defaultdict(float)
    for month in done_months:
        for key, amount in books.monthly.get(month, {}).items():
            actual[key] += amount
    keys = {key for (year, key) in books.budget if year == fy} | set(actual)
    result = {}
    for key in sorted(keys):
        monthly = books.budget.get((fy, key), {})
        ytd_budget = sum(value for month, value in monthly.items() if month in done)
        rest_budget = sum(value for month, value in monthly.items() if month not in done)
        if is_income(key[1]):
            result[key] = round(actual[key] + rest_budget, 2)
            continue
        pace = actual[key] / ytd_budget if ytd_budget else 1.0
        result[key] = round(actual[key] + rest_budget * min(max(pace, 0.0), 3.0), 2)
    return result
