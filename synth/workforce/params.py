"""Calibration knobs of the synthetic workforce (kpi-catalogue §4.3 and §5.3, era B = 2021/22 by default).

Era B: qualified frontline establishment 51.32 % permanent, 22.89 % agency, 25.79 % vacant (agency / filled =
30.8 %); permanent turnover 35-39 % a year (voluntary ~27 %); sickness 1.7-2.2 % YTD by the autumn with month
rates of 2.3-4.2 %. Set the shares to 0.77 / 0.20 (S0 2024-25 model) for an era C workforce.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class WorkforceParams:
    # Size of the organisation relative to the defaults (Slough-sized = 1.0): teams that work with children in need
    # grow with `cin_scale`, those with children looked after with `cla_scale` (synth.workforce.establishment).
    cin_scale: float = 1.0
    cla_scale: float = 1.0
    # Steady-state shares of establishment time, qualified frontline (case-holding) posts.
    frontline_perm_share: float = 0.5132
    frontline_agency_share: float = 0.2289
    # The same for every other post (managers, PAs, IROs, support, corporate staff).
    other_perm_share: float = 0.86
    other_agency_share: float = 0.06
    # Leavers per year per permanent employee (exponential tenure: the rolling-12-month turnover rate).
    perm_turnover: float = 0.36
    # Of vacancies: share filled directly by a permanent recruit (the rest get agency cover first); of agency
    # covers: share ended by a permanent recruit and share followed by another agency worker.
    vacancy_to_perm: float = 0.30
    agency_to_perm: float = 0.35
    agency_to_agency: float = 0.45
    # Strength of the pull back to the target shares: a group (service, frontline or not) with more vacancies than
    # its target fills them faster, one with more agency cover than its target recruits permanent staff first.
    staffing_feedback: float = 3.0
    # Of agency-to-permanent handovers: share where the agency worker takes the post (temp-to-perm).
    temp_to_perm: float = 0.25
    # Of new permanent starters: share who are returners (left this organisation within the last 2 years).
    returner_share: float = 0.06
    # Of new permanent starters in a qualified SW post: newly qualified (ASYE year), overseas recruits.
    asye_share: float = 0.25
    overseas_share: float = 0.06
    # Of new employees: share on fixed-term contracts (they leave at the end: END_FTC, not turnover).
    fixed_term_share: float = 0.05
    part_time_share: float = 0.12
    # Sickness: spells per FTE-year at the seasonal mean; seasonal amplitude (January peak); share of long spells.
    sickness_spells_per_year: float = 2.25
    sickness_seasonality: float = 0.5
    long_term_spell_share: float = 0.05
    # Annual pay award and agency charge-rate growth (S0: pay inflation 4 %), from the 2021-22 scales.
    pay_inflation: float = 0.04
