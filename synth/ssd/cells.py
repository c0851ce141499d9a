"""Cell formats shared by the SSD and local tables."""

from __future__ import annotations

import zlib
from datetime import date

_ISO: dict[int, str] = {}


def iso(day: int | None) -> str:
    """YYYY-MM-DD of an ordinal ("" for None); memoised because the cuts format hundreds of thousands of days."""
    if day is None:
        return ""
    text = _ISO.get(day)
    if text is None:
        text = _ISO[day] = date.fromordinal(day).isoformat()
    return text


def yn(flag: bool) -> str:
    return "Y" if flag else "N"


def known(day: int | None, as_at: int) -> int | None:
    """`day` when a delivery as at `as_at` knows it (it is not after as_at), else None."""
    return day if day is not None and day <= as_at else None


def stable_share(key: str) -> float:
    """A uniform draw in [0, 1) fixed by `key` alone (a record's id and a purpose): unlike a shared RNG, one
    record's draw does not move when other records come or go."""
    return zlib.crc32(key.encode()) / 2**32


def stable_choice(key: str, weights: dict[str, float]) -> str:
    """A choice among `weights` fixed by `key` alone (see stable_share)."""
    point = stable_share(key) * sum(weights.values())
    for value, weight in weights.items():
        point -= weight
        if point < 0:
            return value
    return value
