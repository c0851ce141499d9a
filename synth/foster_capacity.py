"""The LA's own foster carers are a pool of fixed size: a pass over the whole simulated population that decides
which mainstream (non-kinship) foster placements are with the LA's own carers (PR1) and which with agencies.

Each child's simulation proposes a provider from its stratified in-house propensity; this pass then walks the
mainstream foster placements in order of their start and gives a placement to the LA's own carers while the
fostering service has room: while the children fostered by its carers (connected persons included) are fewer
than `SynthParams.inhouse_foster_places` (times the organisation's scale). The count of children with the LA's
own foster carers - b24's numerator - then follows the service's capacity rather than the luck of the draws.

A placement only moves to the LA's carers if it is local or nearby (they live there), and a change never makes
two consecutive placements of a child look the same (DfE rule 435). No RNG: the pass is a pure function of the
children, so the same seed still gives the same files.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence

from synth.careers import Episode
from synth.codes import LOCAL_POSTCODES, NEAR_POSTCODES

_MAINSTREAM = frozenset({"U4", "U6"})
_KINSHIP = frozenset({"U1", "U2", "U3"})
_AGENCY = frozenset({"PR4", "PR5", "PR2"})
_TEMPORARY = frozenset({"T0", "T1", "T2", "T3", "T4"})
_SHORT_BREAK = frozenset({"V3", "V4"})
_LOCAL = frozenset(LOCAL_POSTCODES) | frozenset(NEAR_POSTCODES)


def _runs(episodes: list[Episode]) -> list[list[int]]:
    """Indices of each placement's episodes: consecutive non-temporary episodes with the same place, provider,
    postcode and URN, bridging temporary placements (the child comes back to the same carer)."""
    runs: list[list[int]] = []
    last_key = None
    for index, episode in enumerate(episodes):
        if episode.ls in _SHORT_BREAK or episode.place in _TEMPORARY:
            continue
        key = (episode.place, episode.provider, episode.pl_post, episode.urn)
        if runs and key == last_key and episode.rne != "S":
            runs[-1].append(index)
        else:
            runs.append([index])
        last_key = key
    return runs


def _allowed(episodes: list[Episode], runs: list[list[int]], position: int, provider: str) -> bool:
    """Whether the placement at `position` may take `provider` without looking like its neighbours."""
    first = episodes[runs[position][0]]
    key = (first.place, provider, first.pl_post, first.urn)
    for other in (position - 1, position + 1):
        if 0 <= other < len(runs):
            neighbour = episodes[runs[other][0]]
            if (neighbour.place, neighbour.provider, neighbour.pl_post, neighbour.urn) == key:
                return False
    return True


def fill_inhouse_carers(children: Sequence, places: float) -> None:
    """Set PR1 or an agency on every mainstream foster placement of `children` (in place), see the module doc."""
    capacity = round(places)
    kinship: list[tuple[int, int]] = []  # (start, end) of placements with connected persons approved by the LA
    candidates: list[tuple[int, str, int, int]] = []  # (start, child id, child index, run position)
    child_runs: list[list[list[int]]] = []
    for child_index, child in enumerate(children):
        runs = _runs(child.episodes)
        child_runs.append(runs)
        for position, run in enumerate(runs):
            first, last = child.episodes[run[0]], child.episodes[run[-1]]
            if first.place in _KINSHIP and first.provider == "PR1":
                kinship.append((first.decom, last.dec))
            elif first.place in _MAINSTREAM and (first.provider == "PR1" or first.provider in _AGENCY):
                candidates.append((first.decom, child.child_id, child_index, position))
    kinship.sort()
    candidates.sort()
    kin_ends: list[int] = []
    own_ends: list[int] = []
    next_kin = 0
    for start, _child_id, child_index, position in candidates:
        while next_kin < len(kinship) and kinship[next_kin][0] <= start:
            heapq.heappush(kin_ends, kinship[next_kin][1])
            next_kin += 1
        while kin_ends and kin_ends[0] <= start:
            heapq.heappop(kin_ends)
        while own_ends and own_ends[0] <= start:
            heapq.heappop(own_ends)
        episodes = children[child_index].episodes
        run = child_runs[child_index][position]
        first = episodes[run[0]]
        room = len(kin_ends) + len(own_ends) < capacity
        if room and first.pl_post in _LOCAL:
            provider = "PR1"
        elif first.provider == "PR1":
            provider = "PR4"
        else:
            provider = first.provider
        if provider != first.provider and _allowed(episodes, child_runs[child_index], position, provider):
            for index in run:
                episodes[index].provider = provider
        if episodes[run[0]].provider == "PR1":
            heapq.heappush(own_ends, episodes[run[-1]].dec)
