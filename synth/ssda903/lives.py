"""Each child's whole-life 903 records (reviews, adoption decisions, missing incidents, social workers, DoLos),
drawn once per organisation and shared by every file cut from the same population.

The records depend on the child alone (each table has its own per-child RNG, synth.ssda903.periods), never on the
file being cut, so the history years and the monthly deliveries can reuse one draw instead of repeating it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TypeVar

from synth.population import Child
from synth.ssda903.adoption import Decision, child_adoption_decisions
from synth.ssda903.dolo import child_dolos
from synth.ssda903.missing import child_missing
from synth.ssda903.outcomes import former_relevant
from synth.ssda903.periods import Period, care_periods
from synth.ssda903.reviews import child_reviews
from synth.ssda903.social_workers import SocialWorkerEpisode, child_social_workers, social_worker_ids

T = TypeVar("T")


class ChildLives:
    """Memoised per-child 903 records of one organisation (seed, LA). A record is recomputed when a different
    Child object turns up under a known id, so a cache outliving its population cannot serve stale records."""

    def __init__(
        self, seed: int, la_code: str, social_workers: Mapping[str, list[SocialWorkerEpisode]] | None = None
    ) -> None:
        self.seed, self.la_code = seed, la_code
        # The organisation's allocations (social_workers.allocated_social_workers); None: the stand-alone chains.
        self._allocated = social_workers
        self._pool: list[str] | None = None
        self._memo: dict[tuple[str, str], tuple[Child, object]] = {}

    def _get(self, kind: str, child: Child, compute: Callable[[], T]) -> T:
        key = (kind, child.child_id)
        hit = self._memo.get(key)
        if hit is None or hit[0] is not child:
            hit = (child, compute())
            self._memo[key] = hit
        return hit[1]  # type: ignore[return-value]

    @property
    def pool(self) -> list[str]:
        """The organisation's social workers (drawn on first use: only files from 2023-24 have SWEpisodes)."""
        if self._pool is None:
            self._pool = social_worker_ids(self.seed, self.la_code)
        return self._pool

    def periods(self, child: Child) -> list[Period]:
        return self._get("periods", child, lambda: care_periods(child))

    def former_relevant(self, child: Child) -> bool:
        """The child is in the OC3 cohort on some birthday (synth.ssda903.outcomes.former_relevant)."""
        return self._get("former", child, lambda: former_relevant(child, self.periods(child)))

    def reviews(self, child: Child) -> list[tuple[int, str]]:
        return self._get("reviews", child, lambda: child_reviews(child, self.seed, self.la_code, self.periods(child)))

    def adoption_decisions(self, child: Child) -> list[Decision]:
        periods = self.periods(child)
        return self._get("adoption", child, lambda: child_adoption_decisions(child, self.seed, self.la_code, periods))

    def missing(self, child: Child) -> list[tuple[str, int, int]]:
        return self._get("missing", child, lambda: child_missing(child, self.seed, self.la_code, self.periods(child)))

    def social_workers(self, child: Child) -> list[SocialWorkerEpisode]:
        if self._allocated is not None:
            return self._allocated.get(child.child_id, [])
        return self._get("sw", child, lambda: child_social_workers(child, self.seed, self.la_code, self.pool))

    def dolos(self, child: Child) -> list[tuple[int, int | None]]:
        return self._get("dolo", child, lambda: child_dolos(child, self.seed, self.la_code, self.periods(child)))
