"""The children-in-need population of one organisation: every child of the 903 simulation with a coherent CIN
history (synth.cin.looked_after) plus the much larger population only ever known as children in need.

New children in need arrive month by month; each month draws its arrivals from an RNG seeded by (seed, LA, month)
and each child's history from an RNG seeded by (seed, LA, child serial), as synth.population does, so a longer or
shorter span leaves the other children untouched. Their ids come from serials 1,000,000 and up, a range the 903
simulation never uses (its serials stay below 100 per month), so the ids never collide.
"""

from __future__ import annotations

import math
import random
from datetime import date

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

CIN_SERIAL_BASE = 1_000_000
_MAX_PER_MONTH = 1000
_UPN_CHECK_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"


def upn(rng: random.Random, la_number: str) -> str:
    """A well-formed UPN: check letter, DfE LA number, 9 more digits (DfE check-letter rule)."""
    body = la_number + "".join(str(rng.randrange(10)) for _ in range(9))
    check = sum(int(char) * weight for char, weight in zip(body, range(2, 14), strict=True)) % 23
    return _UPN_CHECK_LETTERS[check] + body


def _count(rng: random.Random, mean: float) -> int:
    return max(0, round(rng.gauss(mean, 0.5 * math.sqrt(mean)))) if mean > 0 else 0


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
        rng = random.Random(f"{seed}|{la_code}|cin-looked-after|{child.child_id}")
        result.append(looked_after_history(rng, params, child, horizon))
    year, month = first_day.year, first_day.month
    while (year, month) <= (last_day.year, last_day.month):
        month_rng = random.Random(f"{seed}|{la_code}|cin-entries|{year}-{month:02d}")
        first = date(year, month, 1).toordinal()
        last = min(month_end(year, month), last_day).toordinal()
        count = min(_count(month_rng, params.new_children_per_year / 12 * (last - first + 1) / 30.44), _MAX_PER_MONTH)
        days = sorted(month_rng.randint(first, last) for _ in range(count))
        month_index = (year - 2000) * 12 + month - 1
        for number, day in enumerate(days):
            serial = CIN_SERIAL_BASE + month_index * _MAX_PER_MONTH + number
            rng = random.Random(f"{seed}|{la_code}|cin-child|{serial}")
            child, need = _new_child(rng, params, la_code, serial, day)
            life = Life(rng, params, child)
            day = referral_day(rng, day)
            life.contacts_before(day, life.earliest)
            rereferrals(life, standard_episode(life, day, need).closure, need, horizon)
            result.append(child)
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    result.sort(key=lambda child: child.child_id)
    return result
