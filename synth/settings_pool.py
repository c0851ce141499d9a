"""The organisation's fixed, fictional care settings: children's homes, secure homes, residential schools and
supported-accommodation providers, each with an Ofsted-like URN, a postcode and a provider type.

Drawn once per organisation from the seed, so the same home (same URN and postcode) recurs across children.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from synth.codes import FAR_POSTCODES, LOCAL_POSTCODES, NEAR_POSTCODES


@dataclass(frozen=True, slots=True)
class Setting:
    urn: str
    postcode: str
    provider: str


# (setting kind, number, provider weights, postcode area weights local/near/far)
_POOL_SHAPE: tuple[tuple[str, int, dict[str, float], tuple[float, float, float]], ...] = (
    ("K2", 24, {"PR1": 0.08, "PR4": 0.80, "PR5": 0.12}, (0.15, 0.35, 0.50)),
    ("SEMI", 8, {"PR4": 0.80, "PR5": 0.20}, (0.50, 0.40, 0.10)),
    ("K1", 3, {"PR2": 1.0}, (0.0, 0.2, 0.8)),
    ("S1", 4, {"PR4": 0.5, "PR5": 0.5}, (0.0, 0.4, 0.6)),
    ("SHORT_BREAK", 1, {"PR1": 1.0}, (1.0, 0.0, 0.0)),
)


def pick_postcode(rng: random.Random, weights: tuple[float, float, float]) -> str:
    area = rng.choices((LOCAL_POSTCODES, NEAR_POSTCODES, FAR_POSTCODES), weights=weights)[0]
    return rng.choice(area)


def build_settings(seed: int, la_code: str) -> dict[str, tuple[Setting, ...]]:
    """The settings of one organisation, by kind (K2, SEMI for H5/K3, K1, S1, SHORT_BREAK)."""
    rng = random.Random(f"{seed}|{la_code}|settings")
    used: set[str] = set()
    pool: dict[str, tuple[Setting, ...]] = {}
    for kind, count, providers, areas in _POOL_SHAPE:
        settings = []
        for _ in range(count):
            urn = f"SC{rng.randrange(100000, 1000000)}"
            while urn in used:
                urn = f"SC{rng.randrange(100000, 1000000)}"
            used.add(urn)
            provider = rng.choices(list(providers), weights=list(providers.values()))[0]
            postcode = pick_postcode(rng, areas)
            if provider == "PR1" and postcode not in LOCAL_POSTCODES:
                # The LA's own homes lie inside the LA (DfE rule 1015); chosen without a draw, so nothing else moves.
                postcode = LOCAL_POSTCODES[int(urn[2:]) % len(LOCAL_POSTCODES)]
            settings.append(Setting(urn, postcode, provider))
        pool[kind] = tuple(settings)
    return pool
