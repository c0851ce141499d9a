"""Calibration knobs of the children-in-need simulation (kpi-catalogue §4.1-4.2, §4.5; era B by default).

With the defaults, seed 42 (Slough-sized LA), 2025-26: ~2,910 referrals with ~16 % re-referrals within 12 months,
~2,740 assessments authorised (~77 % within 45 working days), ~860 S47 enquiries, ~315 ICPCs (~40 % within 15
working days) and ~310 CP plan starts; at month ends ~304 CP plans (~17 % open 1-2 years), ~490 CIN plans (~18 %
open a year or more), ~400 open assessments (~92 % in time) and ~1,530 children with an open CIN episode.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CINParams:
    """Rates, shares and durations (days unless stated) of the front door and CIN work."""

    # New children (never referred before) per year; re-referrals and children looked after come on top.
    new_children_per_year: float = 2060.0
    # Size of the organisation's children-in-need work relative to the defaults (a Slough-sized LA = 1.0): multiplies
    # the new children per year (synth.national picks one per organisation).
    scale: float = 1.0
    # Years simulated before the first history year so that re-referrals and long plans are in steady state.
    lead_in_years: int = 3
    # Probability that a closed episode is followed by another referral, and the median gap (days) after closure.
    rereferral_probability: float = 0.27
    rereferral_gap_median: float = 150.0
    # Contacts: extra contacts (not referrals) per referral, and the share decided within 1 working day (b01).
    extra_contacts_per_referral: float = 1.2
    contact_decided_1wd_share: float = 0.78
    # Referrals with no further action (ReferralNFA = 1): closed the same day.
    referral_nfa_share: float = 0.07
    # Assessments authorised within 45 working days of their start (b03); the late ones take 46-120.
    assessment_in_time_share: float = 0.77
    # Of assessments: share with a section 47 enquiry during the assessment; of S47s, share with an ICPC; of
    # ICPCs, share held within 15 working days (b05) and share leading to a CP plan.
    s47_share: float = 0.31
    icpc_share: float = 0.32
    icpc_in_time_share: float = 0.42
    cpp_share: float = 0.98
    # After an assessment without a CP plan: share that goes on to a CIN plan (the rest closes, RC8 or RC9).
    cin_plan_share: float = 0.21
    # Share of CIN plans agreed before the manager authorised the assessment, and the working days before it
    # (uniform): the case passes to S&FS with the assessment still open (kpi-catalogue §5.2: S&FS holds 25-65 open
    # assessments on a Compliance Report date).
    cin_plan_before_authorisation_share: float = 0.7
    cin_plan_before_authorisation_wd: tuple[int, int] = (2, 20)
    cin_plan_after_s47_share: float = 0.55
    early_help_share: float = 0.35  # of closures after assessment: RC9 (referred to early help) rather than RC8
    # Median days a case stays open after the assessment before it is closed (log-normal, sigma 1).
    closure_lag_median: float = 18.0
    # CIN plan length: log-normal median and sigma; share of CIN plans that escalate to a S47 enquiry.
    cin_plan_median: float = 102.0  # 105 before CIN plans could start before the authorisation (~11 days on average)
    cin_plan_sigma: float = 1.1
    cin_plan_escalation_share: float = 0.06
    # CP plans end at a review: probability of ending at the 1st (3 months), 2nd (9 months), 3rd, 4th, 5th review.
    cpp_end_review_weights: tuple[float, ...] = (0.08, 0.44, 0.35, 0.11, 0.02)
    # Share of review conferences held on time (the rest 1-15 working days late).
    cpp_review_on_time_share: float = 0.92
    # Share of CP plans stepped down to a CIN plan when they end (the rest close within a few weeks).
    cpp_step_down_share: float = 0.65
