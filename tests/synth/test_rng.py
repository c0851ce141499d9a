"""synth.rng.Rng must draw exactly what random.Random draws: every generated file depends on it."""

from __future__ import annotations

import random

import pytest

from synth.careers import weighted
from synth.rng import Rng


@pytest.mark.parametrize("seed", ["42|E06000039|cin-child|1000001", 7])
def test_same_stream_as_random(seed: str | int) -> None:
    standard, fast = random.Random(seed), Rng(seed)
    for step in range(3000):
        width = 1 + step % 300  # widths just below and above powers of two exercise the rejection loop
        assert fast.randint(-5, -5 + width - 1) == standard.randint(-5, -5 + width - 1)
        assert fast.randrange(width) == standard.randrange(width)
        assert fast.randrange(10, 10 + width) == standard.randrange(10, 10 + width)
        population = list(range(1 + step % 70))
        assert fast.choice(population) == standard.choice(population)
        mine, theirs = list(population), list(population)
        fast.shuffle(mine)
        standard.shuffle(theirs)
        assert mine == theirs
        assert fast.digits(9) == "".join(str(standard.randrange(10)) for _ in range(9))
        assert fast.random() == standard.random()
    assert fast.getstate() == standard.getstate()


def test_unusual_arguments_fall_back_to_random() -> None:
    standard, fast = random.Random(3), Rng(3)
    assert fast.randrange(0, 100, 7) == standard.randrange(0, 100, 7)  # a step: the standard method
    assert fast.randint(True, 5) == standard.randint(True, 5)  # bool bounds: the standard method
    with pytest.raises(ValueError):
        fast.randint(5, 4)
    with pytest.raises(ValueError):
        fast.randrange(0)
    with pytest.raises(IndexError):
        fast.choice([])


def test_weighted_is_choices_and_sees_a_new_dict() -> None:
    weights = {"a": 1.0, "b": 2.5, "c": 0.5}
    standard, fast = random.Random(11), Rng(11)
    for _ in range(500):
        assert weighted(fast, weights) == standard.choices(list(weights), list(weights.values()))[0]
    # Per-call dicts (the cache is keyed by identity) still draw from their own weights: all weight on "z".
    assert {weighted(fast, {"y": 0.0, "z": 1.0}) for _ in range(50)} == {"z"}
