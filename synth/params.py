"""Calibration knobs of the synthetic organisation, with defaults tuned for a Slough-sized LA.

The defaults aim at the kpi-catalogue §5.1 "era" bands: about 195-230 children looked after at a month end,
9-16 % of them with 3+ placements in 12 months (b08) and 20-27 % in in-house foster care (b24).
"""

from __future__ import annotations

from dataclasses import dataclass, field


def _age_weights() -> dict[str, float]:
    # Age at entry, England CLA starters: ~20 % under 5, the bulk aged 10-17, nobody entering at 18.
    return {"0": 0.11, "1-4": 0.10, "5-9": 0.16, "10-15": 0.43, "16-17": 0.20}


@dataclass(frozen=True)
class SynthParams:
    """Rates and shares that shape the simulated population (all rates per year)."""

    # Mean children starting a period of care per year (months get this / 12, with a little noise).
    entries_per_year: float = 110.0
    # Size of the organisation's looked-after work relative to the defaults (a Slough-sized LA = 1.0): multiplies
    # the children starting care and the short-break children (synth.national picks one per organisation).
    scale: float = 1.0
    # Years simulated before the first history year, so that the stock of long stayers is complete.
    lead_in_years: int = 14
    # Relative weights of the age band at entry (keys: "0", "1-4", "5-9", "10-15", "16-17").
    age_at_entry_weights: dict[str, float] = field(default_factory=_age_weights)
    # Share of male children (a further ~0.3 % of new children from 2024-25 are recorded as sex U).
    male_share: float = 0.56
    # Probability that a child who went home (E4A/E4B/E13/E41) comes back into care later.
    reentry_probability: float = 0.10
    # Hazard of a placement move per year of placement, by age at the placement start (children under 10
    # and 10+); the first placement of a period (often an emergency one) moves `first_placement_factor` times
    # faster; long-term placements (U1/U4, adoption) move `long_term_factor` times as fast.
    move_rate_under_10: float = 0.40
    move_rate_10_plus: float = 0.85
    first_placement_factor: float = 3.2
    long_term_factor: float = 0.35
    # Spread (log-normal sigma) of a per-period factor on the move hazard: a few children move far more often.
    instability_sigma: float = 0.8
    # Temporary placements (T0-T4, a few days, back to the same carer) per year of placement.
    temporary_rate: float = 0.12
    # Of foster placements: share with connected persons (U1-U3, nearly always the LA's own, PR1).
    kinship_foster_share: float = 0.17
    # Of other foster placements (U4-U6): share with the LA's own carers (PR1); the rest go to agencies.
    inhouse_mainstream_foster_share: float = 0.145
    # Children the LA's fostering service can have with its own carers (connected persons included) at once: the
    # pool the mainstream placements fill (synth.foster_capacity); the b24 numerator stays near it.
    inhouse_foster_places: float = 50.0
    # Short-break (LS V3/V4) children starting per year; not looked after, excluded from CLA counts.
    short_break_children_per_year: float = 6.0
    # Share of postcodes (home and placement) left blank.
    missing_postcode_share: float = 0.03
    # Share of girls entering care aged 13+ who are (or become) mothers while in care.
    mother_share: float = 0.05
    # Of children entering care at 16-17 who stay until 18: share who are unaccompanied asylum seekers (UASC).
    uasc_share: float = 0.15


@dataclass(frozen=True)
class OrganisationSize:
    """How big an organisation is relative to the defaults (a Slough-sized LA = 1.0): its looked-after work (entries
    to care, short breaks, the looked-after teams) and its children-in-need work (new referrals, the front door,
    safeguarding and family support teams). Organisations differ in both size and mix, so the two are separate."""

    cla: float = 1.0
    cin: float = 1.0

    @classmethod
    def of(cls, size: OrganisationSize | float) -> OrganisationSize:
        return size if isinstance(size, OrganisationSize) else cls(float(size), float(size))
