"""Placement commitments (`fin_placement_commitment`) derived from the simulated lives in care.

* A placement is a run of 903 episodes with the same PLACE, provider, postcode and URN, continued by legal-status
  changes (RNE L) and by short temporary placements (T0-T4) after which the child returns to the same carer.
  Its finance placement type follows input contract §4.3 (PLACE and PLACE_PROVIDER; remand → SECURE_REMAND;
  PR1 short-break homes → INHOUSE_SHORT_BREAK). Placements with parents (P1), for adoption (A3-A6), in health
  settings (R2) and temporary placements cost nothing here.
* Post-order allowances: SGO (E45-E48), child arrangements (E41 → RO) and adoption (E11/E12) allowances run from
  the order to the 18th birthday for a share of children.
* Care leavers leaving at 17.5+: staying put after E17 from foster care, semi-independent 18+ after supported
  accommodation, otherwise funded care-leaver accommodation, until at most the 21st birthday.

Dates are ordinals; a commitment covers the days [start, end): `end` is the day the placement ended (the 903
DEC), the day the next one begins. Rates change every 1 April (a new rate row, input contract §4.2).
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache

from synth.calendar import anniversary
from synth.careers import weighted
from synth.codes import FOSTER, TEMPORARY
from synth.finance.chart import PLACEMENT_ACCOUNTS
from synth.finance.params import FinanceParams
from synth.finance.providers import ProviderRegistry
from synth.population import Child
from synth.rng import Rng

YEAR = 365.25
_NO_COST = frozenset({"P1", "P3", "A3", "A4", "A5", "A6", "R2", *TEMPORARY})
_SEMI = frozenset({"H5", "P2", "K3"})
_SGO = frozenset({"E45", "E46", "E47", "E48"})
_CARE_ENDS_NOT_LEAVING = frozenset({"E4A", "E4B", "E13", "E41", "E11", "E12", "E45", "E46", "E47", "E48", "E2"})
_FRAMEWORKS = {"ON": 0.6, "OFF": 0.15, "SPOT": 0.25}  # how an external placement was bought
EXTERNAL = frozenset({"EXT_RES", "EXT_MB", "EXT_IFA", "SI_U18", "UASC_16_18_SI", "UASC_U16"})


@dataclass(slots=True)
class Commitment:
    """One funded placement, allowance or care-leaver arrangement, with its rate history."""

    commitment_id: str
    child_id: str
    provider_id: str
    finance_type: str
    start: int
    end: int  # exclusive: the first day not funded (may lie after any as_at_date)
    expected_end: int
    cla_decom: int | None
    rate_factor: float
    health_pct: float | None = None
    education_pct: float | None = None
    framework: str = ""
    uasc: bool = False
    cancelled: bool = False
    rates: list[tuple[int, float]] = field(default_factory=list)  # (effective from, weekly rate), ascending

    @property
    def cost_centre(self) -> str:
        return PLACEMENT_ACCOUNTS[self.finance_type][0]

    @property
    def subjective(self) -> str:
        return PLACEMENT_ACCOUNTS[self.finance_type][1]

    def rate_periods(self) -> list[tuple[int, int, float]]:
        """(from, to exclusive, weekly rate) of each rate row."""
        bounds = [day for day, _ in self.rates[1:]] + [self.end]
        return [(day, until, rate) for (day, rate), until in zip(self.rates, bounds, strict=True)]


def finance_type(place: str, provider: str, ls: str, uasc: bool = False, age: float = 0.0) -> str | None:
    """Input contract §4.3 default derivation; None: the placement costs nothing here."""
    if place in _NO_COST:
        return None
    if uasc and place in _SEMI:
        return "UASC_16_18_SI"
    if uasc and age < 16 and ls != "J1":
        return "UASC_U16"
    if ls == "J1" or place in ("K1", "R5"):
        return "SECURE_REMAND"
    if place in FOSTER:
        if provider == "PR1":
            return "INHOUSE_FF" if place in ("U1", "U2", "U3") else "INHOUSE_FOSTER"
        return "EXT_IFA"
    if place in ("K2", "R1", "S1"):
        if provider == "PR1":
            return "INHOUSE_SHORT_BREAK" if ls in ("V3", "V4") else "INHOUSE_RES"
        return "EXT_RES"
    if place == "R3":
        return "EXT_MB" if provider != "PR1" else "OTHER"
    if place in _SEMI:
        return "SI_U18"
    return "OTHER"


def fy_of(ordinal: int) -> int:
    day = date.fromordinal(ordinal)
    return day.year if day.month >= 4 else day.year - 1


def base_rate(params: FinanceParams, kind: str, fy: int) -> float:
    """The type's weekly rate in the financial year starting 1 April `fy`."""
    return params.weekly_rate_2024[kind] * (1.0 + params.placement_inflation) ** (fy - 2024)


def _lognormal_factor(rng: random.Random, cv: float) -> float:
    sigma = _sigma(cv)
    return math.exp(rng.gauss(-sigma * sigma / 2.0, sigma))


@lru_cache(maxsize=256)
def _sigma(cv: float) -> float:
    return math.sqrt(math.log(1.0 + cv * cv))


@lru_cache(maxsize=256)
def _april_first(fy: int) -> int:
    return date(fy, 4, 1).toordinal()


class _Builder:
    def __init__(self, seed: int, la_code: str, params: FinanceParams, providers: ProviderRegistry):
        self.seed, self.la_code, self.params, self.providers = seed, la_code, params, providers
        self.commitments: list[Commitment] = []
        self.provider_factor: dict[str, float] = {}

    def add(
        self,
        rng: random.Random,
        child: Child,
        kind: str,
        provider_id: str,
        start: int,
        end: int,
        expected_end: int,
        cla_decom: int | None,
    ) -> Commitment | None:
        if end <= start:
            return None
        cv = self.params.rate_cv[kind]
        half = cv / math.sqrt(2.0)
        if provider_id not in self.provider_factor:
            provider_rng = Rng(f"{self.seed}|{self.la_code}|provider-rate|{provider_id}")
            self.provider_factor[provider_id] = _lognormal_factor(provider_rng, half)
        factor = self.provider_factor[provider_id] * _lognormal_factor(rng, half)
        commitment = Commitment(
            f"PC{len(self.commitments) + 1:06d}", child.child_id, provider_id, kind, start, end,
            max(expected_end, start + 7), cla_decom, factor,
        )  # fmt: skip
        if kind in ("EXT_RES", "EXT_MB", "SECURE_REMAND") and rng.random() < 0.25:
            commitment.health_pct = rng.choice((25.0, 33.33, 50.0))
        if kind == "EXT_RES" and rng.random() < 0.2:
            commitment.education_pct = rng.choice((20.0, 40.0))
        commitment.uasc = child.uasc
        if kind in EXTERNAL:
            commitment.framework = weighted(rng, _FRAMEWORKS)
        fy, day = fy_of(start), start
        while day < end:
            commitment.rates.append((day, round(base_rate(self.params, kind, fy) * factor, 2)))
            fy += 1
            day = _april_first(fy)
        self.commitments.append(commitment)
        if rng.random() < 0.01:  # a duplicate raised in error and cancelled (the warehouse ignores it)
            duplicate = Commitment(
                f"PC{len(self.commitments) + 1:06d}", child.child_id, provider_id, kind, start, end,
                commitment.expected_end, cla_decom, factor, uasc=child.uasc, cancelled=True,
                rates=commitment.rates[:1],
            )  # fmt: skip
            self.commitments.append(duplicate)
        return commitment

    def provider_for(self, rng: random.Random, child: Child, kind: str, provider: str, urn: str, serial: int) -> str:
        registry = self.providers
        if urn in registry.by_urn:
            return registry.by_urn[urn]
        if kind == "INHOUSE_SHORT_BREAK" and registry.short_break_unit:
            return registry.short_break_unit
        if kind in ("INHOUSE_FOSTER", "INHOUSE_SHORT_BREAK"):
            return rng.choice(registry.pool("FC"))
        if kind == "INHOUSE_FF":
            return registry.individual(f"FF{child.child_id[1:]}{serial:02d}", "INHOUSE_FOSTER", True)
        if kind == "EXT_IFA":
            return rng.choice(registry.pool("OLA" if provider == "PR2" else "IFA"))
        if kind == "EXT_MB":
            return rng.choice(registry.pool("PAC"))
        if kind == "SECURE_REMAND":
            return rng.choice(registry.pool("YOI"))
        return registry.pool("OTH")[0]


def _placements(child: Child) -> list[tuple[str, str, str, int, int, str]]:
    """(PLACE, provider, URN, start, end, LS at start) of each placement: a legal-status change (RNE L) or a
    temporary move and return to the same placement continues it."""
    runs: list[list] = []  # [key, start, end, ls]
    after_temporary = False
    for episode in child.episodes:
        if episode.place in TEMPORARY:
            after_temporary = True
            continue
        key = (episode.place, episode.provider, episode.urn, episode.pl_post)
        if runs and runs[-1][0] == key and (episode.rne == "L" or after_temporary):
            runs[-1][2] = episode.dec
        else:
            runs.append([key, episode.decom, episode.dec, episode.ls])
        after_temporary = False
    return [(key[0], key[1], key[2], start, end, ls) for key, start, end, ls in runs]


def build_commitments(
    seed: int, la_code: str, children: list[Child], providers: ProviderRegistry, params: FinanceParams
) -> list[Commitment]:
    """Every commitment of the organisation, in child order (ids PC000001...)."""
    builder = _Builder(seed, la_code, params, providers)
    for child in children:
        rng = Rng(f"{seed}|{la_code}|finance|{child.child_id}")
        adult = anniversary(child.dob, 18)
        last_foster_provider = ""
        for serial, (place, provider, urn, start, end, ls) in enumerate(_placements(child)):
            kind = finance_type(place, provider, ls, child.uasc, (start - child.dob) / YEAR)
            if kind is None:
                continue
            provider_id = builder.provider_for(rng, child, kind, provider, urn, serial)
            long_term = place in ("U1", "U4", "U5") or kind in ("INHOUSE_RES",)
            typical = {"EXT_RES": 270, "SECURE_REMAND": 90, "SI_U18": 365, "EXT_MB": 84}.get(kind, 180)
            expected = adult if long_term else min(adult, start + typical)
            builder.add(rng, child, kind, provider_id, start, end, expected, start)
            if place in FOSTER:
                last_foster_provider = provider_id
        _after_care(builder, rng, child, last_foster_provider)
    return builder.commitments


def _after_care(builder: _Builder, rng: random.Random, child: Child, foster_provider: str) -> None:
    """Allowances after an order, and support after leaving care at 17.5 or over."""
    params, registry = builder.params, builder.providers
    adult, age_21 = anniversary(child.dob, 18), anniversary(child.dob, 21)
    for index, episode in enumerate(child.episodes):
        if episode.rec in ("X1", "") or episode.ls in ("V3", "V4"):
            continue
        if episode.dec > adult:  # E17 (staying put) ends on the 18th birthday itself
            continue
        allowance = None
        if episode.rec in _SGO and rng.random() < params.sgo_allowance_share:
            allowance = "SGO"
        elif episode.rec == "E41" and rng.random() < params.cao_allowance_share:
            allowance = "RO"
        elif episode.rec in ("E11", "E12") and rng.random() < params.adoption_allowance_share:
            allowance = "ADOPT_ALLOW"
        if allowance:
            end = adult if rng.random() > 0.08 else rng.randint(episode.dec + 30, max(episode.dec + 31, adult))
            provider_id = registry.individual(f"AL{child.child_id[1:]}{index:02d}", "OTHER", False)
            builder.add(rng, child, allowance, provider_id, episode.dec, min(end, adult), adult, None)
            continue
        if episode.rec in _CARE_ENDS_NOT_LEAVING or episode.dec < anniversary(child.dob, 17) + 182:
            continue
        start = episode.dec
        if episode.rec == "E17" and episode.place in FOSTER and rng.random() < params.staying_put_share:
            kind, provider_id, median = (
                "STAYING_PUT",
                foster_provider or rng.choice(registry.pool("FC")),
                params.staying_put_median_days,
            )
        elif episode.place in _SEMI and rng.random() < params.si_18plus_share:
            kind, median = "SI_18PLUS", params.si_18plus_median_days
            provider_id = registry.by_urn.get(episode.urn) or rng.choice(registry.pool("HSG"))
        elif rng.random() < params.care_leaver_accommodation_share:
            kind, median = "CARE_LEAVER", params.care_leaver_median_days
            start += rng.randint(0, 90)
            semi = registry.of_type("SUPPORTED_ACCOM")
            provider_id = rng.choice(semi) if semi and rng.random() < 0.4 else rng.choice(registry.pool("HSG"))
        else:
            continue
        end = min(age_21, start + max(14, round(median * math.exp(rng.gauss(0.0, 0.6)))))
        builder.add(rng, child, kind, provider_id, start, end, age_21 if kind != "SI_18PLUS" else end, None)
