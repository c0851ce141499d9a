"""The children-in-need population of one organisation: every child of the 903 simulation with a coherent CIN
history (synth.cin.looked_after) plus the much larger population only ever known as children in need.

New children in need arrive month by month; each month draws its arrivals from an RNG seeded by (seed, LA, month)
and each child's history from an RNG seeded by (seed, LA, child serial), as synth.population does, so a longer or
shorter span leaves the other children untouched. Their ids come from serials 1,000,000 and up, a range the 903
simulation never uses (its serials stay below 100 per month), so the ids never collide.

As in synth.population, the draws that set the CP and CIN plan stocks are stratified rather than independent, so
the calibration holds for any seed: monthly counts of new children are differences of a cumulative quota (their
noise never accumulates), and each block of 64 consecutive new children shares out, one per 1/64, the quantiles
of its episodes' routes (S47 -> ICPC -> CP plan, else CIN plan or closure), its CP plans' lengths and its
re-referrals (synth.cin.episodes.Life.stratified).
"""

from __future__ import annotations

import math
import random
from datetime import date
from operator import mul

from synth.calendar import month_end
from synth.careers import YEAR, weighted
from synth.cin.codes import AGE_BANDS, AGE_WEIGHTS, PRIMARY_NEED_WEIGHTS
from synth.cin.episodes import Life, referral_day, standard_episode
from synth.cin.looked_after import disabilities, looked_after_history, rereferrals
from synth.cin.model import CINChild
from synth.cin.params import CINParams
from synth.codes import ETHNIC_WEIGHTS, K3_FIRST_DAY
from synth.population import Child, child_id
from synth.reference.la import dfe_la_number
from synth.rng import Rng

CIN_SERIAL_BASE = 1_000_000
_MAX_PER_MONTH = 1000
# New children beyond the 1,000th of a month (large organisations) take serials from here, 4,000 a month: below
# the 903 overflow range (synth.population, 5,000,000) for months up to 2062.
_OVERFLOW_BASE = 2_000_000
_OVERFLOW_PER_MONTH = 4000
_EPOCH_YEAR = 2000
_BLOCK = 64
_UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(rng: Rng, la_number: str) -> str:
    """A well-formed UPN: check letter, DfE LA number, 9 more digits (DfE check-letter rule)."""
    body = la_number + rng.digits(9)
    check = sum(map(mul, map(int, body), range(2, 14))) % 23
    return _UPN_CHECK_LETTERS[check] + body


def _cumulative(seed: int, la_code: str, month_index: int, per_month: float) -> int:
    """New children from the epoch to the end of month `month_index`: a quota with non-accumulating noise (month
    counts vary with a standard deviation of 0.5 x sqrt(mean), as independent counts used to)."""
    if month_index < 0 or per_month <= 0:
        return 0
    year, month = divmod(month_index, 12)
    noise = Rng(f"{seed}|{la_code}|cin-entry-noise|{_EPOCH_YEAR + year}-{month + 1:02d}").gauss(0.0, 1.0)
    shift = Rng(f"{seed}|{la_code}|cin-entry-shift").random()
    return max(0, round(per_month * (month_index + 1) + shift + 0.35 * math.sqrt(per_month) * noise))


# Stratified quantiles per new child: routes of its first 4 assessed episodes, lengths of its first 3 CP plans,
# its first 3 re-referral decisions.
_STRATA = {"route": 4, "cpp_length": 3, "rereferral": 3}


def _block_quantiles(seed: int, la_code: str, block: int) -> list[dict[str, list[float]]]:
    """The stratified quantiles of new children block x 64 .. block x 64 + 63: a Latin hypercube (in every
    dimension, one child in each 1/64 of [0, 1), independent permutations)."""
    rng = Rng(f"{seed}|{la_code}|cin-strata|{block}")
    columns: dict[str, list[list[float]]] = {}
    for kind, dimensions in _STRATA.items():
        for _ in range(dimensions):
            cells = list(range(_BLOCK))
            rng.shuffle(cells)
            columns.setdefault(kind, []).append([(cell + rng.random()) / _BLOCK for cell in cells])
    by_child = [(kind, list(zip(*dims, strict=True))) for kind, dims in columns.items()]  # one tuple per child
    return [{kind: list(rows[child]) for kind, rows in by_child} for child in range(_BLOCK)]


def cin_serial(month_index: int, number: int) -> int:
    """The serial of the `number`-th new child in need of month `month_index` (months since January 2000)."""
    if number < _MAX_PER_MONTH:
        return CIN_SERIAL_BASE + month_index * _MAX_PER_MONTH + number
    return _OVERFLOW_BASE + month_index * _OVERFLOW_PER_MONTH + number - _MAX_PER_MONTH


def _new_child(rng: random.Random, params: CINParams, la_code: str, serial: int, day: int) -> tuple[CINChild, str]:
    """A child referred for the first time on `day` (possibly before birth), and its primary need."""
    band = weighted(rng, AGE_WEIGHTS)
    if band == "unborn":
        dob = day + rng.randint(20, 220)
    else:
        low, high = AGE_BANDS[band]
        dob = day - rng.randint(round(low * YEAR), round(high * YEAR) - 1)
    draw = rng.random()
    sex = "U" if day >= K3_FIRST_DAY and draw < 0.003 else ("M" if draw < 0.513 else "F")
    ethnic = weighted(rng, ETHNIC_WEIGHTS)
    age = (day - dob) / YEAR
    if age < 2:
        child_upn = "UN1"
    else:
        child_upn = upn(rng, dfe_la_number(la_code)) if rng.random() < 0.96 else f"UN{rng.randint(2, 5)}"
    need = weighted(rng, PRIMARY_NEED_WEIGHTS)
    child = CINChild(child_id(la_code, serial), sex, dob, ethnic, child_upn, disabilities(rng, need))
    if child_upn == "UN1":
        child.school_upn = upn(rng, dfe_la_number(la_code))
    return child, need


def simulate_cin(
    seed: int, la_code: str, children: list[Child], first_day: date, last_day: date, params: CINParams
) -> list[CINChild]:
    """CIN histories up to `last_day`: every child of `children` (903) and every new child in need referred from
    `first_day`; sorted by child id."""
    horizon = last_day.toordinal()
    result: list[CINChild] = []
    for child in children:
        rng = Rng(f"{seed}|{la_code}|cin-looked-after|{child.child_id}")
        result.append(looked_after_history(rng, params, child, horizon))
    per_month = params.new_children_per_year * params.scale / 12
    blocks: dict[int, list[dict[str, list[float]]]] = {}
    year, month = first_day.year, first_day.month
    while (year, month) <= (last_day.year, last_day.month):
        month_rng = Rng(f"{seed}|{la_code}|cin-entries|{year}-{month:02d}")
        first = date(year, month, 1).toordinal()
        full_last = month_end(year, month).toordinal()
        last = min(full_last, last_day.toordinal())
        month_index = (year - _EPOCH_YEAR) * 12 + month - 1
        before = _cumulative(seed, la_code, month_index - 1, per_month)
        count = max(0, _cumulative(seed, la_code, month_index, per_month) - before)
        # The quota is per calendar month (30.44 days on average): a longer month gets a little more.
        count = round(count * (last - first + 1) / 30.44)
        count = min(count, _MAX_PER_MONTH + _OVERFLOW_PER_MONTH)
        days = sorted(month_rng.randint(first, last) for _ in range(count))
        for number, day in enumerate(days):
            serial = cin_serial(month_index, number)
            rng = Rng(f"{seed}|{la_code}|cin-child|{serial}")
            child, need = _new_child(rng, params, la_code, serial, day)
            life = Life(rng, params, child)
            block, position = divmod(before + number, _BLOCK)
            if block not in blocks:
                blocks[block] = _block_quantiles(seed, la_code, block)
            life.quantiles = blocks[block][position]
            day = referral_day(rng, day)
            life.contacts_before(day, life.earliest)
            rereferrals(life, standard_episode(life, day, need).closure, need, horizon)
            result.append(child)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    result.sort(key=lambda child: child.child_id)
    return result
