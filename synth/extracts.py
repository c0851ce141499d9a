"""Cut the 903 Header and Episodes rows of one file (collection year, as_at_date) from the simulated truth.

DfE in-year scope: episodes open at any time from 1 April of the collection year to the as_at_date, with their
true DECOM. What happens after the as_at_date is not known yet: a later DEC shows as blank DEC and REC (and no
reason for a placement change), and later episodes are absent. SEX is recoded for the file's year.
"""

from __future__ import annotations

from datetime import date

from synth.calendar import anniversary, collection_year_bounds, dmy
from synth.population import Child

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = (
    *("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"),
    *("HOME_POST", "PL_POST", "URN"),
)
# SEX is 1/2 up to 2023-24 and M/F/U from 2024-25 (schema year 2025).
_NUMERIC_SEX = {"M": "1", "F": "2"}


def _header_row(child: Child, schema_year: int, as_at: int) -> list[str]:
    sex = _NUMERIC_SEX[child.sex] if schema_year <= 2024 else child.sex
    mother, mc_dob = "", ""
    if child.sex == "F" and as_at >= anniversary(child.dob, 12):
        is_mother = child.mc_dob is not None and child.mc_dob <= as_at
        mother, mc_dob = ("1", dmy(child.mc_dob)) if is_mother else ("0", "")
    return [child.child_id, sex, dmy(child.dob), child.ethnic, child.upn, mother, mc_dob]


def cut_903(children: list[Child], cy: str, as_at_date: date) -> tuple[list[list[str]], list[list[str]]]:
    """(Header rows, Episodes rows) of the `cy` file as at `as_at_date`, sorted by CHILD then DECOM."""
    first = collection_year_bounds(cy)[0].toordinal()
    as_at = as_at_date.toordinal()
    schema_year = int(cy[:4]) + 1
    headers: list[list[str]] = []
    episodes: list[list[str]] = []
    for child in children:  # already sorted by id; episodes are in DECOM order
        rows = []
        for episode in child.episodes:
            if episode.decom > as_at:
                break
            if episode.dec < first:
                continue
            ended = episode.dec <= as_at
            rows.append(
                [
                    child.child_id, dmy(episode.decom), episode.rne, episode.ls, episode.cin, episode.place,
                    episode.provider, dmy(episode.dec) if ended else "", episode.rec if ended else "",
                    episode.reason if ended else "", episode.home_post, episode.pl_post, episode.urn,
                ]
            )  # fmt: skip
        if rows:
            headers.append(_header_row(child, schema_year, as_at))
            episodes.extend(rows)
    return headers, episodes
