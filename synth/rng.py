"""`Rng`: a `random.Random` whose integer draws and shuffles are faster and exactly the same.

The simulation makes millions of `randint`, `randrange` and `choice` calls. `random.Random` routes each through
three Python frames (randint -> randrange -> _randbelow) with argument checks; these overrides do the same
rejection sampling (`getrandbits(n.bit_length())` until below n) in one frame, so every draw, and hence every
generated file, is unchanged. Anything unusual (non-int bounds, a step) falls back to the standard method.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")


class Rng(random.Random):
    """`random.Random` (same seeding, same stream) with one-frame `randint`, `randrange`, `choice` and `shuffle`."""

    def randint(self, a: int, b: int) -> int:
        if a.__class__ is not int or b.__class__ is not int:
            return super().randint(a, b)
        n = b - a + 1
        if n <= 0:
            raise ValueError(f"empty range in randint({a}, {b})")
        getrandbits = self.getrandbits
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return a + r

    def randrange(self, start: int, stop: int | None = None, step: int = 1) -> int:  # type: ignore[override]
        if step != 1 or start.__class__ is not int or (stop is not None and stop.__class__ is not int):
            return super().randrange(start) if stop is None else super().randrange(start, stop, step)
        low, n = (0, start) if stop is None else (start, stop - start)
        if n <= 0:
            raise ValueError(f"empty range in randrange({start}, {stop})")
        getrandbits = self.getrandbits
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return low + r

    def choice(self, seq: Sequence[T]) -> T:
        n = len(seq)
        if not n:
            raise IndexError("Cannot choose from an empty sequence")
        getrandbits = self.getrandbits
        k = n.bit_length()
        r = getrandbits(k)
        while r >= n:
            r = getrandbits(k)
        return seq[r]

    def shuffle(self, x: list) -> None:  # type: ignore[override]
        getrandbits = self.getrandbits
        for i in reversed(range(1, len(x))):
            n = i + 1
            k = n.bit_length()
            j = getrandbits(k)
            while j >= n:
                j = getrandbits(k)
            x[i], x[j] = x[j], x[i]

    def digits(self, count: int) -> str:
        """`count` decimal digits: exactly `"".join(str(self.randrange(10)) for _ in range(count))`."""
        getrandbits = self.getrandbits
        out = []
        for _ in range(count):
            r = getrandbits(4)
            while r >= 10:
                r = getrandbits(4)
            out.append(_DIGITS[r])
        return "".join(out)


_DIGITS = "0123456789"
