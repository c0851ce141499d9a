"""One period of care of one child, simulated as a timeline of legal statuses and placements, then cut into
SSDA903 episodes.

A period follows a pathway chosen at entry (home, SGO, child arrangements order, adoption, care to 18, leaving
at 16-17, remand, other). The pathway fixes the legal route (e.g. C1 interim order -> C2 full order, or C1 -> E1
placement order -> A5/A6 placement for adoption -> adoption order), the length of the period and how it ends.
Placements follow a move hazard; temporary placements (T0-T4) interrupt a placement for a few days and return the
child to the same carer with the same PLACE, provider, postcode and URN. URN: the setting's Ofsted URN where it
is registered (K1-K3, H5, S1, R3), XXXXXXX for foster and adoption placements, blank for the types DfE exempts
(P1, R2, R5, temporary and "other" placements; DfE rules 218/222/242). Episodes start whenever the legal status
or the placement changes, with the RNE that change implies (L, P, T, B, U).
"""

from __future__ import annotations

import hashlib
import math
import random
from bisect import bisect
from dataclasses import dataclass, replace
from itertools import accumulate
from statistics import NormalDist

from synth.calendar import anniversary
from synth.codes import (
    FAR_POSTCODES,
    FORCED_END,
    FOSTER,
    LOCAL_POSTCODES,
    NEAR_POSTCODES,
    REASON_PLACE_CHANGE_WEIGHTS,
    REGISTERED,
    SUCCESSOR,
    TEMPORARY_WEIGHTS,
    can_start,
    other_placement_code,
    semi_independent_code,
)
from synth.params import SynthParams
from synth.settings_pool import Setting, pick_postcode

YEAR = 365.25


@dataclass(frozen=True, slots=True)
class Placement:
    """Where and with whom the child lives. `carer` identifies the carer(s) within one child's life."""

    place: str
    provider: str
    postcode: str
    urn: str
    carer: int
    long_term: bool = False


@dataclass(slots=True)
class Episode:
    """One 903 episode as it truly happened (DEC may lie after any extract's as_at_date)."""

    decom: int
    dec: int
    rne: str
    ls: str
    cin: str
    place: str
    provider: str
    rec: str
    reason: str
    home_post: str
    pl_post: str
    urn: str


# Pathway weights by age band at entry.
PATHWAYS: dict[str, dict[str, float]] = {
    "0": {"adoption": 0.30, "sgo": 0.24, "home": 0.30, "cao": 0.05, "to_18": 0.06, "other": 0.05},
    "1-4": {"adoption": 0.14, "sgo": 0.24, "home": 0.42, "cao": 0.05, "to_18": 0.10, "other": 0.05},
    "5-9": {"adoption": 0.02, "sgo": 0.15, "home": 0.50, "cao": 0.05, "to_18": 0.18, "other": 0.10},
    "10-15": {"sgo": 0.04, "home": 0.55, "to_18": 0.20, "other": 0.18, "remand": 0.03},
    "16-17": {"home": 0.30, "to_18": 0.40, "leave_16": 0.20, "other": 0.07, "remand": 0.03},
}
# Placement kind weights by age at the placement start (`foster` splits into kinship / agency / own carers later).
_KINDS: tuple[tuple[float, dict[str, float]], ...] = (
    (1.0, {"foster": 0.88, "R3": 0.05, "P1": 0.04, "R2": 0.01, "Z": 0.02}),
    (8.0, {"foster": 0.92, "P1": 0.05, "R2": 0.01, "Z": 0.02}),
    (10.0, {"foster": 0.90, "K2": 0.03, "P1": 0.04, "R2": 0.01, "Z": 0.02}),
    (16.0, {"foster": 0.70, "K2": 0.21, "S1": 0.02, "K1": 0.01, "P1": 0.03, "R2": 0.01, "Z": 0.02}),
    (99.0, {"foster": 0.46, "K2": 0.12, "SEMI": 0.33, "P2": 0.02, "P1": 0.04, "Z": 0.03}),
)
# The same kinds without "foster" (by age bound), for children whose propensity rules foster care out.
_NOT_FOSTER = {upper: {name: weight for name, weight in kinds.items() if name != "foster"} for upper, kinds in _KINDS}
# Weight tables are module constants so that `weighted` sums each once.
_AGENCY_FOSTER_PROVIDERS = {"PR4": 0.88, "PR5": 0.09, "PR2": 0.03}
_ADOPTION_PROVIDERS = {"PR1": 0.7, "PR5": 0.2, "PR2": 0.1}
_FOSTER_AT_18_RECS = {"E17": 0.45, "E8": 0.25, "E5": 0.20, "E13": 0.10}
_RESIDENTIAL_AT_18_RECS = {"E5": 0.55, "E6": 0.15, "E8": 0.20, "E13": 0.10}
_HOME_RECS = {"E4A": 0.84, "E4B": 0.05, "E13": 0.11}
_OTHER_RECS = {"E13": 0.45, "E8": 0.25, "E3": 0.12, "E16": 0.08, "E9": 0.08, "E2": 0.02}
_LEAVE_16_RECS = {"E5": 0.45, "E6": 0.20, "E13": 0.25, "E8": 0.07, "E15": 0.03}
RETURNED_HOME = frozenset({"E4A", "E4B", "E13", "E41"})


# id(weights) -> (weights, keys, cumulative sums, total, last index): each weights dict is summed once. The entry
# holds the dict itself, so its id cannot be reused while cached; dicts built per call only churn the cache.
_WEIGHT_TABLES: dict[int, tuple[dict, list, list[float], float, int]] = {}


def weighted(rng: random.Random, weights: dict[str, float]) -> str:
    """A key drawn with probability proportional to its weight: exactly `rng.choices(keys, weights)[0]` (the same
    single draw and the same cumulative sums), without its general-purpose overhead (a hot path). `weights` must
    not change once drawn from (every table of weights here is a constant)."""
    table = _WEIGHT_TABLES.get(id(weights))
    if table is None or table[0] is not weights:
        cumulative = list(accumulate(weights.values()))
        table = (weights, list(weights), cumulative, cumulative[-1] + 0.0, len(cumulative) - 1)
        if len(_WEIGHT_TABLES) >= 1024:
            _WEIGHT_TABLES.clear()
        _WEIGHT_TABLES[id(weights)] = table
    return table[1][bisect(table[2], rng.random() * table[3], 0, table[4])]


def lognormal_days(
    rng: random.Random, median: float, sigma: float, minimum: int = 1, quantile: float | None = None
) -> int:
    """A log-normal number of days; at `quantile` (0-1) of the distribution when given, else drawn."""
    z = rng.gauss(0.0, 1.0) if quantile is None else normal_quantile(quantile)
    return max(minimum, round(median * math.exp(sigma * z)))


_STANDARD_NORMAL = NormalDist()
_GOLDEN = 0.6180339887498949


def normal_quantile(quantile: float) -> float:
    """The standard normal deviate at `quantile`, kept off the infinite ends."""
    return _STANDARD_NORMAL.inv_cdf(min(max(quantile, 1e-6), 1.0 - 1e-6))


def _between(rng: random.Random, low: int, high: int, quantile: float | None) -> int:
    """An integer in [low, high]: at `quantile` of the range when given, else drawn uniformly."""
    if quantile is None:
        return rng.randint(low, high)
    return low + min(high - low, int(quantile * (high - low + 1)))


@dataclass(slots=True)
class ChildContext:
    """What a period needs besides its dates: the child's RNG, the parameters and the organisation's settings."""

    rng: random.Random
    params: SynthParams
    settings: dict[str, tuple[Setting, ...]]
    # Quantile (0-1) of the child's chance of a place with the LA's own foster carers, stratified across entrants.
    inhouse_propensity: float = 0.5
    next_carer: int = 0
    # Stratified quantiles (0-1) of the first period's draws that decide the CLA stock and the placement
    # indicators: the period's length, the child's instability, the first placement's stay and the kinship draw of
    # each foster placement (rotated by the golden ratio from one placement to the next). None: drawn from `rng`.
    duration_quantile: float | None = None
    instability_quantile: float | None = None
    first_stay_quantile: float | None = None
    kinship_propensity: float | None = None
    # Quantile (0-1) of the child's need for a placement other than foster care (a child-level profile) and of the
    # stays in placements after the first one (rotated by the golden ratio from one placement to the next).
    kind_propensity: float | None = None
    stay_quantile: float | None = None
    foster_placements: int = 0
    stays: int = 0

    def stay_draw(self, rate: float) -> float:
        """Years until the next move at hazard `rate`: exponential, stratified while `stay_quantile` is set."""
        if self.stay_quantile is None:
            return self.rng.expovariate(rate)
        self.stays += 1
        quantile = (self.stay_quantile + (self.stays - 1) * _GOLDEN) % 1.0
        return -math.log(1.0 - min(quantile, 1.0 - 1e-9)) / rate

    def kinship_draw(self) -> float:
        if self.kinship_propensity is None:
            return self.rng.random()
        self.foster_placements += 1
        return self.kinship_propensity

    def unstratified(self) -> None:
        """Later periods (re-entries) draw everything from the child's RNG."""
        self.duration_quantile = self.instability_quantile = self.first_stay_quantile = self.stay_quantile = None

    def new_carer(self) -> int:
        self.next_carer += 1
        return self.next_carer


@dataclass(slots=True)
class _Plan:
    end: int
    rec: str | None  # None: decided from the final placement (SGO type, or leaving at 18)
    legal: list[tuple[int, str]]
    final: tuple[str, int] | None  # ("adoption" | "home", start day of the final placement)


def _court_route(rng: random.Random, start: int, end: int, legal: list[tuple[int, str]]) -> None:
    """C1 interim care order, then the C2 full order at the final hearing (4-13 months later)."""
    legal.append((start, "C1"))
    final_hearing = start + rng.randint(120, 400)
    if final_hearing < end:
        legal.append((final_hearing, "C2"))


def _plan(rng: random.Random, pathway: str, start: int, dob: int, last_day: int, q: float | None = None) -> _Plan:
    """The legal route, end and ending of a period; `q` (0-1, or None to draw) is the quantile of its length."""
    legal: list[tuple[int, str]] = []
    rec: str | None = None
    final: tuple[str, int] | None = None
    if pathway == "remand":
        end = start + _between(rng, 20, 150, q)
        return _Plan(min(end, last_day), "E14", [(start, "J1")], None)
    if pathway == "adoption":
        placement_order = start + _between(rng, 180, 420, q)
        placed = placement_order + rng.randint(30, 240)
        end = placed + _between(rng, 120, 400, q)
        legal += [(start, "C1"), (placement_order, "E1")]
        return _Plan(end, "E11" if rng.random() < 0.6 else "E12", legal, ("adoption", placed))
    voluntary = False
    if pathway == "sgo":
        end = start + lognormal_days(rng, 520, 0.35, 120, q)
    elif pathway == "cao":
        end, rec = start + lognormal_days(rng, 400, 0.4, 90, q), "E41"
    elif pathway == "home":
        end, rec = start + lognormal_days(rng, 170, 1.1, 2, q), weighted(rng, _HOME_RECS)
        voluntary = rng.random() < 0.6
    elif pathway == "to_18":
        end = last_day
        voluntary = (last_day - start) < 8 * YEAR and rng.random() < 0.5
    elif pathway == "leave_16":
        end, rec = _between(rng, min(start + 30, last_day), last_day, q), weighted(rng, _LEAVE_16_RECS)
        voluntary = rng.random() < 0.8
    else:
        end, rec = start + lognormal_days(rng, 220, 1.0, 2, q), weighted(rng, _OTHER_RECS)
        if rec == "E9" and start - dob < 12 * YEAR:  # custody only for young people of 12 and over
            rec = "E13"
        voluntary = rng.random() < 0.65
    if voluntary:
        legal.append((start, "V2"))
        if rng.random() < 0.10:  # s20 accommodation later converted to proceedings
            _court_route(rng, start + rng.randint(30, 300), end, legal)
    else:
        _court_route(rng, start, end, legal)
    if pathway == "home" and not voluntary and end - start > 150 and rng.random() < 0.35:
        final = ("home", end - rng.randint(60, min(240, end - start - 30)))
    return _Plan(end, rec, legal, final)


def _emergency_start(rng: random.Random, start: int, legal: list[tuple[int, str]]) -> None:
    """Occasionally police protection (L1) or an EPO (L2) for a few days before the first order."""
    if legal[0][1] in ("C1", "V2") and rng.random() < 0.06:
        legal.insert(0, (start, "L1" if rng.random() < 0.6 else "L2"))
        # Police protection lasts at most 72 hours, an EPO at most 8 days (DfE rules 361/362).
        legal[1] = (start + rng.randint(1, 3 if legal[0][1] == "L1" else 8), legal[1][1])


def _foster(ctx: ChildContext, pathway: str, age: float, long_term: bool) -> Placement:
    rng, params = ctx.rng, ctx.params
    kinship_share = 0.55 if pathway == "sgo" else params.kinship_foster_share
    if ctx.kinship_draw() < kinship_share:
        place = "U1" if long_term else "U3"
        provider = "PR1" if rng.random() < 0.96 else "PR2"
        postcode = pick_postcode(rng, (0.75, 0.20, 0.05))
    else:
        place = "U4" if long_term else "U6"
        if pathway == "adoption" and age < 2 and rng.random() < 0.4:
            place = "U5"  # fostering for adoption
        if ctx.inhouse_propensity < params.inhouse_mainstream_foster_share:
            provider, areas = "PR1", (0.85, 0.15, 0.0)
        else:
            provider, areas = weighted(rng, _AGENCY_FOSTER_PROVIDERS), (0.35, 0.40, 0.25)
        postcode = pick_postcode(rng, areas)
    return Placement(place, provider, postcode, "XXXXXXX", ctx.new_carer(), long_term)


def _in_setting(ctx: ChildContext, kind: str, place: str) -> Placement:
    setting = ctx.rng.choice(ctx.settings[kind])
    return Placement(place, setting.provider, setting.postcode, setting.urn, ctx.new_carer())


def family_centre_urn(postcode: str) -> str:
    """The Ofsted URN of the residential family centre (R3) at `postcode`: registered settings need one."""
    return f"SC{100000 + int(hashlib.sha256(postcode.encode()).hexdigest(), 16) % 900000}"


def choose_placement(ctx: ChildContext, pathway: str, age: float, day: int, long_term: bool) -> Placement:
    """A new placement suited to the child's age, valid on `day` (see synth.codes)."""
    rng = ctx.rng
    upper, kinds = next((upper, weights) for upper, weights in _KINDS if age < upper)
    if ctx.kind_propensity is None:
        kind = weighted(rng, kinds)
    elif ctx.kind_propensity < kinds["foster"]:
        kind = "foster"
    else:
        kind = weighted(rng, _NOT_FOSTER[upper])
    if kind == "Z":
        code = other_placement_code(day, rng.random())
        if code is not None:
            return Placement(code, "", pick_postcode(rng, (0.6, 0.3, 0.1)), "", ctx.new_carer())
        kind = "foster"
    if kind == "P2" and not can_start("P2", day):
        kind = "SEMI"
    if kind == "foster":
        return _foster(ctx, pathway, age, long_term)
    if kind in ("K2", "K1", "S1"):
        return _in_setting(ctx, kind, kind)
    if kind == "SEMI":
        return _in_setting(ctx, "SEMI", semi_independent_code(day))
    if kind == "P2":
        return Placement("P2", "PR4", pick_postcode(rng, (0.5, 0.4, 0.1)), "XXXXXXX", ctx.new_carer())
    if kind == "P1":
        return Placement("P1", "PR0", pick_postcode(rng, (0.9, 0.1, 0.0)), "", ctx.new_carer())
    if kind == "R2":
        return Placement("R2", "PR3", pick_postcode(rng, (0.3, 0.6, 0.1)), "", ctx.new_carer())
    provider = "PR4" if rng.random() < 0.7 else "PR5"  # R3 mother-and-baby unit / family centre
    postcode = pick_postcode(rng, (0.1, 0.5, 0.4))
    return Placement("R3", provider, postcode, family_centre_urn(postcode), ctx.new_carer())


def _move_rate(params: SynthParams, age: float, first: bool, placement: Placement, instability: float) -> float:
    rate = instability * (params.move_rate_under_10 if age < 10 else params.move_rate_10_plus)
    if first:
        rate *= params.first_placement_factor
    if placement.long_term:
        rate *= params.long_term_factor
    return rate


def _status_on(legal: list[tuple[int, str]], day: int) -> str:
    return next((status for start, status in reversed(legal) if start <= day), legal[0][1])


def neighbour_postcode(postcode: str) -> str:
    """The next postcode of the same area list: a different address nearby, chosen without an RNG draw."""
    for area in (LOCAL_POSTCODES, NEAR_POSTCODES, FAR_POSTCODES):
        if postcode in area:
            return area[(area.index(postcode) + 1) % len(area)]
    return postcode


def _distinguishable(ctx: ChildContext, placement: Placement, previous: Placement) -> Placement:
    """A move must show in the data (DfE rule 435): a new carer with the same type, provider, postcode and URN as
    the last one lives at the neighbouring postcode, and a move to the same setting goes to the next setting."""
    if (placement.place, placement.provider, placement.postcode, placement.urn) != (
        previous.place, previous.provider, previous.postcode, previous.urn
    ):  # fmt: skip
        return placement
    if placement.urn.startswith("SC"):
        pool = next(
            (settings for settings in ctx.settings.values() if any(s.urn == placement.urn for s in settings)), ()
        )
        if len(pool) > 1:
            index = next(number for number, setting in enumerate(pool) if setting.urn == placement.urn)
            other = pool[(index + 1) % len(pool)]
            return replace(placement, provider=other.provider, postcode=other.postcode, urn=other.urn)
    return replace(placement, postcode=neighbour_postcode(placement.postcode))


# A segment of the placement timeline: (start day, placement, reason recorded if the child leaves it).
Segment = tuple[int, Placement, str]


def _placements(ctx: ChildContext, pathway: str, start: int, dob: int, plan: _Plan) -> list[Segment]:
    rng, params = ctx.rng, ctx.params
    age_at = lambda day: (day - dob) / YEAR  # noqa: E731
    if pathway == "remand":
        kind = "R5" if age_at(start) >= 15 and rng.random() < 0.6 else "K1"
        if kind == "R5":
            postcode = pick_postcode(rng, (0.0, 0.3, 0.7))
            return [(start, Placement("R5", "PR3", postcode, "", ctx.new_carer()), "")]
        return [(start, _in_setting(ctx, "K1", "K1"), "")]
    generic_end = plan.final[1] if plan.final else plan.end
    # Some children move far more than others: a per-period factor with mean 1 spreads the move hazard.
    sigma = params.instability_sigma
    z = rng.gauss(0.0, 1.0) if ctx.instability_quantile is None else normal_quantile(ctx.instability_quantile)
    instability = math.exp(sigma * z - sigma * sigma / 2)
    segments: list[Segment] = []
    day, first, forced = start, True, None
    while day < generic_end:
        if forced is not None:
            placement, forced = forced, None
        else:
            long_term = day - start > 300 and rng.random() < 0.5
            placement = choose_placement(ctx, pathway, age_at(day), day, long_term)
            if placement.place == "P1" and _status_on(plan.legal, day) == "V2":
                # s20 accommodation cannot be with parents (DfE rule 378): foster care instead.
                placement = _foster(ctx, pathway, age_at(day), long_term)
            if segments:
                placement = _distinguishable(ctx, placement, segments[-1][1])
        rate = _move_rate(params, age_at(day), first, placement, instability)
        if first and ctx.first_stay_quantile is not None:
            stay = -math.log(1.0 - min(ctx.first_stay_quantile, 1.0 - 1e-9)) / rate
        else:
            stay = ctx.stay_draw(rate)
        following = day + max(1, round(stay * YEAR))
        emergency = first and plan.legal[0][1] in ("L1", "L2") and len(plan.legal) > 1
        # A child under police protection or an EPO often leaves the emergency placement on the day the order that
        # follows starts: legal status and placement change together (RNE B).
        if emergency and day < plan.legal[1][0] < following and rng.random() < 0.5:
            following = plan.legal[1][0]
        reason = weighted(rng, REASON_PLACE_CHANGE_WEIGHTS)
        if reason == "CUSTOD" and age_at(following) < 10:  # no custody under 10 (DfE rule 234)
            reason = "OTHER"
        retire = FORCED_END.get(placement.place)
        if retire is not None and day < retire < min(following, generic_end):
            # The code is retired while the child is still there: recode it (same provider, reason PLACE) or move.
            following = retire
            if placement.place in SUCCESSOR:
                successor = SUCCESSOR[placement.place]
                urn = placement.urn
                if successor in REGISTERED and not urn.startswith("SC"):  # H5 needs a URN from 28/10/2023
                    urn = rng.choice(ctx.settings["SEMI"]).urn
                forced, reason = replace(placement, place=successor, urn=urn), "PLACE"
            else:
                reason = "CARPL"
        segments.append((day, placement, reason))
        day, first = following, False
    if plan.final is None:
        last_day, last, _ = segments[-1]
        segments[-1] = (last_day, last, "")
        return segments
    kind, day = plan.final
    current = segments[-1][1]
    segments[-1] = (segments[-1][0], current, "CARPL")
    if kind == "home":
        final = Placement("P1", "PR0", pick_postcode(rng, (0.9, 0.1, 0.0)), "", ctx.new_carer())
    elif current.place in FOSTER and rng.random() < 0.3:  # adopted by the current foster carers
        provider = weighted(rng, _ADOPTION_PROVIDERS)
        final = Placement("A5", provider, current.postcode, "XXXXXXX", current.carer, True)
    else:
        provider = weighted(rng, _ADOPTION_PROVIDERS)
        final = Placement("A6", provider, pick_postcode(rng, (0.3, 0.4, 0.3)), "XXXXXXX", ctx.new_carer(), True)
    segments.append((day, final, ""))
    return segments


def _with_temporary_moves(ctx: ChildContext, segments: list[Segment], end: int) -> list[Segment]:
    """Insert temporary placements (T0-T4, 1-7 days) that return the child to the same placement."""
    rng, rate = ctx.rng, ctx.params.temporary_rate
    result: list[Segment] = []
    for index, (day, placement, reason) in enumerate(segments):
        until = segments[index + 1][0] if index + 1 < len(segments) else end
        moves: list[tuple[int, int]] = []
        if placement.place not in ("A5", "A6", "R5", "K1") and until - day > 10:
            expected = rate * (until - day) / YEAR
            for _ in range(_poisson(rng, expected)):
                begin = rng.randint(day + 1, until - 9)
                back = begin + rng.randint(1, 7)
                if all(back < other or begin > other_back for other, other_back in moves):
                    moves.append((begin, back))
        if not moves:
            result.append((day, placement, reason))
            continue
        moves.sort()
        result.append((day, placement, ""))
        for position, (begin, back) in enumerate(moves):
            temporary_place = weighted(rng, TEMPORARY_WEIGHTS)
            postcode = rng.choice(LOCAL_POSTCODES + NEAR_POSTCODES)
            result.append((begin, Placement(temporary_place, "", postcode, "", ctx.new_carer()), ""))
            result.append((back, placement, reason if position == len(moves) - 1 else ""))
    return result


def _poisson(rng: random.Random, expected: float) -> int:
    count, total = 0, rng.expovariate(1.0)
    while total < expected:
        count += 1
        total += rng.expovariate(1.0)
    return count


def _rec_at_end(rng: random.Random, pathway: str, placement: Placement, at_18: bool) -> str:
    if pathway == "sgo" and not at_18:
        if rng.random() < 0.55:
            if placement.place in ("U1", "U2", "U3"):
                return "E45"
            if placement.place in ("U4", "U5", "U6"):
                return "E46"
        return "E47" if rng.random() < 0.65 else "E48"
    if placement.place in FOSTER:
        return weighted(rng, _FOSTER_AT_18_RECS)
    if placement.place == "P1":
        return "E8"
    if placement.place in ("K1", "K2", "K3", "H5", "P2", "S1"):
        return weighted(rng, _RESIDENTIAL_AT_18_RECS)
    return "E8"


def simulate_period(
    ctx: ChildContext, pathway: str, start: int, dob: int, cin: str, home_post: str
) -> tuple[list[Episode], str]:
    """The episodes of one period of care starting on `start`, and the reason the period ended."""
    rng = ctx.rng
    last_day = anniversary(dob, 18) - 1  # out of care by the day before the 18th birthday, except staying put
    plan = _plan(rng, pathway, start, dob, last_day, ctx.duration_quantile)
    _emergency_start(rng, start, plan.legal)
    at_18 = plan.end >= last_day
    if at_18:
        plan.end, plan.rec = last_day, None
        if plan.final and plan.final[1] >= last_day:
            plan.final = None
    plan.end = max(plan.end, start + 1)
    segments = _with_temporary_moves(ctx, _placements(ctx, pathway, start, dob, plan), plan.end)
    rec = plan.rec or _rec_at_end(rng, pathway, segments[-1][1], at_18)
    if rec == "E17":
        # Staying put (E17) means the child remained with the carers at 18: the period ends on the 18th birthday,
        # not the day before (DfE rule 460). Set after every draw, so nothing else moves.
        plan.end = last_day + 1
    # Only parents live at the child's home postcode (DfE rule 392d): a family sharing a carer's or a setting's
    # postcode unit lives in the neighbouring one instead (no draw, so nothing else moves).
    away = {placement.postcode for _, placement, _ in segments if placement.place != "P1"}
    for _ in range(len(away)):
        if home_post not in away:
            break
        home_post = neighbour_postcode(home_post)
    return _episodes(plan, segments, cin, home_post, rec), rec


# RNE of a placement change, by (legal status changed too, same carer(s)).
_RNE_FOR_MOVE = {(False, False): "P", (False, True): "T", (True, False): "B", (True, True): "U"}


def _episodes(plan: _Plan, segments: list[Segment], cin: str, home_post: str, rec: str) -> list[Episode]:
    changes: dict[int, list] = {}
    for day, status in plan.legal:
        if day < plan.end:
            changes.setdefault(day, [None, None])[0] = status
    for day, placement, reason in segments:
        if day < plan.end:
            changes.setdefault(day, [None, None])[1] = (placement, reason)
    episodes: list[Episode] = []
    status, placement, reason = "", None, ""
    for day in sorted(changes):
        new_status, new_placement = changes[day]
        status_changed = new_status is not None and new_status != status
        placement_changed = new_placement is not None and new_placement[0] is not placement
        if not (status_changed or placement_changed):
            continue
        if placement is None:
            rne = "S"
        elif not placement_changed:
            rne = "L"
        else:
            rne = _RNE_FOR_MOVE[(status_changed, new_placement[0].carer == placement.carer)]
        if episodes:
            episodes[-1].dec = day
            episodes[-1].rec = "X1"
            episodes[-1].reason = reason if placement_changed else ""
        if status_changed:
            status = new_status
        if placement_changed:
            placement, reason = new_placement
        episodes.append(
            Episode(
                day,
                plan.end,
                rne,
                status,
                cin,
                placement.place,
                placement.provider,
                rec,
                "",
                home_post,
                placement.postcode,
                placement.urn,
            )
        )
    return episodes
