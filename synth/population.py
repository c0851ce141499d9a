"""The simulated population: children entering care month by month, each with a whole life in care.

Every month draws its own entries from an RNG seeded by (seed, LA, month), and every child gets an RNG seeded by
(seed, LA, child serial). Changing the span (history years, months) or one child's draws therefore leaves the
other children's draws untouched: the same month always yields the same children. (One pass couples them: which
mainstream foster placements are with the LA's own carers follows the fostering service's capacity,
synth.foster_capacity.)

Calibration that does not hang on the seed: the draws that decide the looked-after stock and the placement
indicators are stratified across all entrants rather than drawn independently.
- Monthly counts are differences of a cumulative quota N(m) = round(rate x m + shift + noise_m): each month's count
  still varies (noise_m - noise_m-1), but the noise never accumulates, so the number of entrants over any window,
  and hence the stock, stays on its expected value.
- Entrant number k (counted from January 2000: N(m - 1) + its number in the month, known from two months' RNGs
  only) takes the k-th point of a chain of Latin hypercubes: in each block of 32 consecutive entrants, every
  dimension has exactly one point in each 1/32 of [0, 1) (independent permutations from the seed). The dimensions
  are the quantiles of the child's age band and pathway, age within the band, the first period's length,
  instability, first placement's stay, in-house and kinship carer propensities, need for a non-foster placement and
  later stays (synth.careers.ChildContext). Every block of entrants then has its quota of each, as a month's
  entrants used to have of age bands and pathways only.
"""

from __future__ import annotations

import hashlib
import math
import random
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from operator import mul

from synth.calendar import anniversary, month_end
from synth.careers import PATHWAYS, RETURNED_HOME, YEAR, ChildContext, Episode, simulate_period, weighted
from synth.codes import CIN_WEIGHTS, ETHNIC_WEIGHTS, K3_FIRST_DAY, LOCAL_POSTCODES, NEAR_POSTCODES
from synth.foster_capacity import fill_inhouse_carers
from synth.params import SynthParams
from synth.reference.la import dfe_la_number
from synth.rng import Rng
from synth.settings_pool import Setting

# Serials inside a month: children entering care use 0-79, short-break children 80-99; entrants beyond the 80th
# of a month (large organisations) use serials from _OVERFLOW_BASE, 1,000 a month, never shared with the CIN range.
_SHORT_BREAK_BASE = 80
_MAX_PER_MONTH = 100
_OVERFLOW_BASE = 5_000_000
_OVERFLOW_PER_MONTH = 1000
# Month index 0 of the cumulative entry quota and of the low-discrepancy sequence.
_EPOCH_YEAR = 2000
# Age bands at entry, in years [low, high).
_AGE_BANDS = {"0": (0.0, 1.0), "1-4": (1.0, 5.0), "5-9": (5.0, 10.0), "10-15": (10.0, 16.0), "16-17": (16.0, 18.0)}
_UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


@dataclass(slots=True)
class Child:
    """A child's Header attributes (SEX stored as M/F/U) and its true episodes, in DECOM order."""

    child_id: str
    sex: str
    dob: int
    ethnic: str
    upn: str
    mc_dob: int | None
    episodes: list[Episode] = field(default_factory=list)
    # Unaccompanied asylum-seeking child (903 UASC table); such a child has no home postcode.
    uasc: bool = False
    # The UPN a child recorded as UN1 (not yet at school) or UN4 (not yet obtained) gets later (DfE rules 209/210).
    school_upn: str = ""


def child_id(la_code: str, serial: int) -> str:
    """An opaque, never reused id: the serial scrambled by a bijection of 0..9,999,999 that depends on the LA."""
    return f"C{(serial * 7919 + _id_offset(la_code)) % 10_000_000:07d}"


@lru_cache(maxsize=1024)
def _id_offset(la_code: str) -> int:
    return int(hashlib.sha256(la_code.encode()).hexdigest()[:8], 16) % 10_000_000


def _upn(rng: Rng, la_code: str) -> str:
    """A well-formed UPN: check letter, DfE LA number, 8 more digits and a final digit (DfE check-letter rule)."""
    la_number = dfe_la_number(la_code)
    body = la_number + rng.digits(9)
    check = sum(map(mul, map(int, body), range(2, 14))) % 23
    return _UPN_CHECK_LETTERS[check] + body


def _header(rng: random.Random, params: SynthParams, la_code: str, entry: int, age_days: int) -> Child:
    dob = entry - age_days
    # U only for children who first appear in 2024-25 files or later, where the code exists.
    unknown = entry >= K3_FIRST_DAY and rng.random() < 0.003
    sex = "U" if unknown else ("M" if rng.random() < params.male_share else "F")
    ethnic = weighted(rng, ETHNIC_WEIGHTS)
    if age_days < 4 * YEAR:
        upn = "UN1" if rng.random() < 0.8 else _upn(rng, la_code)
    else:
        upn = f"UN{rng.randint(2, 5)}" if rng.random() < 0.06 else _upn(rng, la_code)
    mc_dob = None
    if sex == "F" and age_days >= 13 * YEAR and rng.random() < params.mother_share:
        low = max(entry - 365, anniversary(dob, 14))
        mc_dob = rng.randint(low, max(low, anniversary(dob, 18) - 30))
    return Child("", sex, dob, ethnic, upn, mc_dob)


def _home_postcode(rng: random.Random, params: SynthParams) -> str:
    if rng.random() < params.missing_postcode_share:
        return ""
    return rng.choice(LOCAL_POSTCODES) if rng.random() < 0.9 else rng.choice(NEAR_POSTCODES)


def _blank_some_postcodes(rng: random.Random, params: SynthParams, episodes: list[Episode]) -> None:
    """Leave a few placement postcodes blank, the same way for every episode of the same placement."""
    blank: dict[tuple[str, str, str], bool] = {}
    for episode in episodes:
        key = (episode.place, episode.pl_post, episode.urn)
        if key not in blank:
            blank[key] = rng.random() < params.missing_postcode_share
        if blank[key]:
            episode.pl_post = ""


def _band_and_pathway(params: SynthParams, stratum: float) -> tuple[str, str]:
    """The (age band, pathway) at quantile `stratum` of their joint distribution (inverse CDF)."""
    total = sum(params.age_at_entry_weights.values())
    cumulative = 0.0
    for band, band_weight in params.age_at_entry_weights.items():
        pathways = PATHWAYS[band]
        pathway_total = sum(pathways.values())
        for pathway, weight in pathways.items():
            cumulative += band_weight / total * weight / pathway_total
            if stratum < cumulative:
                return band, pathway
    return band, pathway


def _cared_for_child(
    rng: random.Random,
    params: SynthParams,
    settings: dict[str, tuple[Setting, ...]],
    la_code: str,
    entry: int,
    point: tuple[float, ...],
) -> Child:
    """A child entering care on `entry`; `point` holds its stratified quantiles (0-1, see the module docstring):
    (age band and pathway, age in band, first period's length, instability, first stay, in-house, kinship,
    placement kind, later stays)."""
    stratum, age_quantile, duration, instability, first_stay, inhouse, kinship, kind, stays = point
    band, first_pathway = _band_and_pathway(params, stratum)
    low, high = _AGE_BANDS[band]
    age_low, age_high = round(low * YEAR), round(high * YEAR) - 45
    age_days = age_low + min(age_high - age_low, int(age_quantile * (age_high - age_low + 1)))
    child = _header(rng, params, la_code, entry, age_days)
    context = ChildContext(rng, params, settings, inhouse, 0, duration, instability, first_stay, kinship, kind, stays)
    start, last_day = entry, anniversary(child.dob, 18) - 1
    while True:
        age = (start - child.dob) / YEAR
        if first_pathway:
            pathway, first_pathway = first_pathway, ""
        else:
            band = next(name for name, (low, high) in _AGE_BANDS.items() if low <= age < high)
            pathway = weighted(rng, PATHWAYS[band])
        episodes, rec = simulate_period(
            context, pathway, start, child.dob, weighted(rng, CIN_WEIGHTS), _home_postcode(rng, params)
        )
        child.episodes.extend(episodes)
        context.unstratified()
        start = episodes[-1].dec + rng.randint(60, 900)
        if rec not in RETURNED_HOME or rng.random() >= params.reentry_probability or start > last_day - 60:
            break
    _blank_some_postcodes(rng, params, child.episodes)
    _maybe_unaccompanied(rng, params, child, entry)
    if child.upn in ("UN1", "UN4"):  # drawn last, like UASC, so no other draw moves
        child.school_upn = _upn(rng, la_code)
    return child


def _maybe_unaccompanied(rng: random.Random, params: SynthParams, child: Child, entry: int) -> None:
    """A few 16-17 entrants who stay in care until 18 are unaccompanied asylum seekers (no home postcode).

    Drawn last from the child's RNG, so every other draw of this child and of other children is unchanged."""
    if not 16 * YEAR <= entry - child.dob < 18 * YEAR:
        return
    single_period = all(episode.rec == "X1" for episode in child.episodes[:-1])
    if single_period and child.episodes[-1].dec >= anniversary(child.dob, 18) - 1 and rng.random() < params.uasc_share:
        child.uasc = True
        for episode in child.episodes:
            episode.home_post = ""


def _short_break_child(
    rng: random.Random, params: SynthParams, settings: dict[str, tuple[Setting, ...]], la_code: str, entry: int
) -> Child:
    """A disabled child on a planned series of short breaks (LS V3/V4): a few short episodes, not CLA."""
    child = _header(rng, params, la_code, entry, rng.randint(round(5 * YEAR), round(16 * YEAR)))
    status = "V3" if rng.random() < 0.7 else "V4"
    cin = "N2" if rng.random() < 0.85 else "N1"
    _home_postcode(rng, params)  # drawn, unused: short-break episodes carry no postcodes (DfE rules 214/398/420)
    if rng.random() < 0.6:
        place, provider = "K2", settings["SHORT_BREAK"][0].provider
    else:
        # Short breaks with the LA's own foster carers are never long-term placements (DfE rule 384).
        place, provider = "U6", "PR1"
        rng.choice(LOCAL_POSTCODES)  # drawn, unused, as above
    start, last_day = entry, anniversary(child.dob, 18) - 1
    for _ in range(rng.randint(2, 8)):
        end = start + rng.randint(1, 3)
        if end > last_day:
            break
        child.episodes.append(Episode(start, end, "S", status, cin, place, provider, "E4A", "", "", "", ""))
        start = end + rng.randint(14, 90)
    if child.upn in ("UN1", "UN4"):
        child.school_upn = _upn(rng, la_code)
    return child


def _count(rng: random.Random, mean: float, spread: float) -> int:
    return max(0, round(rng.gauss(mean, spread * math.sqrt(mean)))) if mean > 0 else 0


def _cumulative_entries(seed: int, la_code: str, month_index: int, per_month: float) -> int:
    """N(m): entrants from the epoch to the end of month `month_index`, a quota with non-accumulating noise."""
    if month_index < 0 or per_month <= 0:
        return 0
    year, month = divmod(month_index, 12)
    noise_rng = Rng(f"{seed}|{la_code}|entry-noise|{_EPOCH_YEAR + year}-{month + 1:02d}")
    # Month counts then vary with a standard deviation of 0.6 x sqrt(mean), as independent counts used to.
    noise = noise_rng.gauss(0.0, 0.42 * math.sqrt(per_month))
    shift = Rng(f"{seed}|{la_code}|entry-shift").random()
    return max(0, round(per_month * (month_index + 1) + shift + noise))


_BLOCK = 32  # entrants per stratification block
_DIMENSIONS = 9


def _block_points(seed: int, la_code: str, block: int) -> list[tuple[float, ...]]:
    """The stratified points of entrants block x 32 .. block x 32 + 31: in each dimension, one value in each
    1/32 of [0, 1) (a Latin hypercube, independent permutations per dimension)."""
    rng = Rng(f"{seed}|{la_code}|strata|{block}")
    columns = []
    for _ in range(_DIMENSIONS):
        cells = list(range(_BLOCK))
        rng.shuffle(cells)
        columns.append([(cell + rng.random()) / _BLOCK for cell in cells])
    return list(zip(*columns, strict=True))


def cared_for_serial(month_index: int, number: int) -> int:
    """The serial of the `number`-th child entering care in month `month_index` (months since January 2000)."""
    if number < _SHORT_BREAK_BASE:
        return month_index * _MAX_PER_MONTH + number
    return _OVERFLOW_BASE + month_index * _OVERFLOW_PER_MONTH + number - _SHORT_BREAK_BASE


def simulate_population(
    seed: int,
    la_code: str,
    first_month: date,
    last_day: date,
    params: SynthParams,
    settings: dict[str, tuple[Setting, ...]],
) -> list[Child]:
    """Every child who starts care (or a short-break series) from `first_month` to `last_day`, sorted by id."""
    children: list[Child] = []
    per_month = params.entries_per_year * params.scale / 12
    blocks: dict[int, list[tuple[float, ...]]] = {}
    year, month = first_month.year, first_month.month
    while (year, month) <= (last_day.year, last_day.month):
        month_rng = Rng(f"{seed}|{la_code}|entries|{year}-{month:02d}")
        first = date(year, month, 1).toordinal()
        last = min(month_end(year, month), last_day).toordinal()
        month_index = (year - _EPOCH_YEAR) * 12 + month - 1
        before = _cumulative_entries(seed, la_code, month_index - 1, per_month)
        entries = max(0, _cumulative_entries(seed, la_code, month_index, per_month) - before)
        if last < month_end(year, month).toordinal():  # a part month: its share of the quota
            entries = round(entries * (last - first + 1) / (month_end(year, month).toordinal() - first + 1))
        entries = min(entries, _SHORT_BREAK_BASE + _OVERFLOW_PER_MONTH)
        short_breaks = min(_count(month_rng, params.short_break_children_per_year * params.scale / 12, 1.0), 20)
        days = sorted(month_rng.randint(first, last) for _ in range(entries))
        days_sb = sorted(month_rng.randint(first, last) for _ in range(short_breaks))
        for number, day in enumerate(days):
            serial = cared_for_serial(month_index, number)
            rng = Rng(f"{seed}|{la_code}|child|{serial}")
            block, position = divmod(before + number, _BLOCK)
            if block not in blocks:
                blocks[block] = _block_points(seed, la_code, block)
            child = _cared_for_child(rng, params, settings, la_code, day, blocks[block][position])
            child.child_id = child_id(la_code, serial)
            children.append(child)
        for number, day in enumerate(days_sb, start=_SHORT_BREAK_BASE):
            serial = month_index * _MAX_PER_MONTH + number
            child = _short_break_child(Rng(f"{seed}|{la_code}|child|{serial}"), params, settings, la_code, day)
            child.child_id = child_id(la_code, serial)
            children.append(child)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    children.sort(key=lambda child: child.child_id)
    fill_inhouse_carers(children, params.inhouse_foster_places * params.scale)
    return children
