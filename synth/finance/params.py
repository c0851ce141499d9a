"""Calibration knobs of the synthetic finances (kpi-catalogue §4.4 and §5.5).

Weekly rates are the S0 2024-25 budget rates (£ per week per placement) and move with placement inflation
(5 % a year, S0) in other financial years. Each commitment's rate varies around its type's rate with the CV of
§4.4 (half provider, half child), mean-preserving, so the FTE-weighted average rate stays near the table.
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _rates() -> dict[str, float]:
    return {
        "EXT_RES": 5640.0,
        "EXT_MB": 3270.0,
        "INHOUSE_RES": 5000.0,
        "INHOUSE_SHORT_BREAK": 5000.0,
        "SECURE_REMAND": 4725.0,
        "UASC_16_18_SI": 832.0,
        "UASC_U16": 1100.0,
        "SI_U18": 1684.0,
        "SI_18PLUS": 1500.0,
        "EXT_IFA": 1084.0,
        "INHOUSE_FOSTER": 478.0,
        "INHOUSE_FF": 260.0,
        "ADOPT_ALLOW": 236.0,
        "SGO": 203.0,
        "RO": 180.0,
        "CARE_LEAVER": 636.0,
        "STAYING_PUT": 300.0,
        "OTHER": 600.0,
    }


def _cvs() -> dict[str, float]:
    high = {"EXT_RES": 0.35, "EXT_MB": 0.35, "SI_U18": 0.35, "SI_18PLUS": 0.35, "UASC_16_18_SI": 0.35}
    allowances = {"ADOPT_ALLOW": 0.10, "SGO": 0.10, "RO": 0.10, "STAYING_PUT": 0.10}
    return {**{kind: 0.15 for kind in _rates()}, **high, **allowances, "SECURE_REMAND": 0.25, "CARE_LEAVER": 0.30}


@dataclass(frozen=True)
class FinanceParams:
    # Weekly rate of each finance placement type in 2024-25, and the spread of commitment rates around it.
    weekly_rate_2024: dict[str, float] = field(default_factory=_rates)
    rate_cv: dict[str, float] = field(default_factory=_cvs)
    placement_inflation: float = 0.05
    # Shares of post-order children whose carers receive an allowance until the child is 18.
    sgo_allowance_share: float = 0.85
    cao_allowance_share: float = 0.50
    adoption_allowance_share: float = 0.90
    # Care leavers (period ending at 17.5+): staying put after E17 from foster care, semi-independent 18+ after
    # supported accommodation, else funded care-leaver accommodation; median durations in days.
    staying_put_share: float = 0.90
    si_18plus_share: float = 0.20
    care_leaver_accommodation_share: float = 0.80
    staying_put_median_days: float = 500.0
    care_leaver_median_days: float = 800.0
    si_18plus_median_days: float = 240.0
    # Budget setting: next year's FTE = last year's actual FTE x (1 + demographic growth); staff budgets fund the
    # establishment less a vacancy factor; a contingency (not spent) and the S0 P&L shares of the other lines.
    demographic_growth: float = 0.01
    vacancy_factor: float = 0.05
    contingency_share: float = 0.02
    other_support_share: float = 0.06
    legal_share: float = 0.05
    overheads_share: float = 0.085
    transformation_share: float = 0.005
    dfe_income_share: float = 0.02
    grant_income_share: float = 0.12
    other_income_share: float = 0.03
    sbc_other_income_share: float = 0.003
