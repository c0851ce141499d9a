"""Cut the 903 Header and Episodes rows of one file (collection year, as_at_date) from the simulated truth.

DfE in-year scope: episodes open at any time from 1 April of the collection year to the as_at_date, with their
true DECOM. What happens after the as_at_date is not known yet: a later DEC shows as blank DEC and REC (and no
reason for a placement change), and later episodes are absent. SEX and the SGO REC codes are recoded for the file's
year. Header also
lists the file's care leavers (OC3) who have no episode in it; MOTHER is completed for every girl looked after in
the file (DfE rules 393/607) and left blank for short-break-only children and such care leavers (rules 399/628).
"""

from __future__ import annotations

from collections.abc import Collection
from datetime import date

from synth.calendar import anniversary, collection_year_bounds, dmy
from synth.population import Child

HEADER_COLUMNS = ("CHILD", "SEX", "DOB", "ETHNIC", "UPN", "MOTHER", "MC_DOB")
EPISODE_COLUMNS = (
    *("CHILD", "DECOM", "RNE", "LS", "CIN", "PLACE", "PLACE_PROVIDER", "DEC", "REC", "REASON_PLACE_CHANGE"),
    *("HOME_POST", "PL_POST", "URN"),
)


def parse_dmy(text: str) -> int:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day)).toordinal()


# SEX is 1/2 up to 2023-24 and M/F/U from 2024-25 (schema year 2025).
_NUMERIC_SEX = {"M": "1", "F": "2"}
# E45-E48 replaced E43 (SGO to former foster carers) and E44 (other SGO) in 2018-19 (schema year 2019): files up to
# 2017-18 carry the old codes with the same meaning (input contract §1.1.5).
_LEGACY_SGO = {"E45": "E43", "E46": "E43", "E47": "E44", "E48": "E44"}


def rec_for_year(rec: str, schema_year: int) -> str:
    """REC as the file of `schema_year` codes it."""
    return _LEGACY_SGO.get(rec, rec) if schema_year <= 2018 else rec


def _header_row(child: Child, schema_year: int, as_at: int, looked_after: bool) -> list[str]:
    """`looked_after`: the child has an episode in the file that is not a short break (LS V3/V4); `as_at`: the
    last day the file knows the child in care (a baby born after the child left care is not recorded, rule 625)."""
    sex = _NUMERIC_SEX[child.sex] if schema_year <= 2024 else child.sex
    mother, mc_dob = "", ""
    if child.sex == "F" and looked_after:
        is_mother = child.mc_dob is not None and child.mc_dob <= as_at
        mother, mc_dob = ("1", dmy(child.mc_dob)) if is_mother else ("0", "")
    return [child.child_id, sex, dmy(child.dob), child.ethnic, _upn(child, schema_year), mother, mc_dob]


def _upn(child: Child, schema_year: int) -> str:
    """UN1 until the child is of school age (4 by 31 August before the year, DfE rule 209), then the UPN the school
    gave. UN4 (not yet obtained) never shows: rule 210 flags it after a week in care, and the DfE validator's
    implementation flags it in the first week, so the UPN is taken as obtained by the first return."""
    if child.upn == "UN1" and anniversary(child.dob, 4) <= date(schema_year - 2, 8, 31).toordinal():
        return child.school_upn or child.upn
    if child.upn == "UN4":
        return child.school_upn or child.upn
    return child.upn


def cut_903(
    children: list[Child], cy: str, as_at_date: date, leavers: Collection[str] = ()
) -> tuple[list[list[str]], list[list[str]]]:
    """(Header rows, Episodes rows) of the `cy` file as at `as_at_date`, sorted by CHILD then DECOM.

    `leavers`: ids of the file's OC3 care leavers, who get a Header row even without an episode in the file."""
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
            rec = rec_for_year(episode.rec, schema_year)
            rows.append(
                [
                    child.child_id, dmy(episode.decom), episode.rne, episode.ls, episode.cin, episode.place,
                    episode.provider, dmy(episode.dec) if ended else "", rec if ended else "",
                    episode.reason if ended else "", episode.home_post, episode.pl_post, episode.urn,
                ]
            )  # fmt: skip
        if rows:
            looked_after = any(row[3] not in ("V3", "V4") for row in rows)
            in_care_until = as_at if any(not row[7] for row in rows) else max(parse_dmy(row[7]) for row in rows)
            headers.append(_header_row(child, schema_year, in_care_until, looked_after))
            episodes.extend(rows)
        elif child.child_id in leavers:
            headers.append(_header_row(child, schema_year, as_at, False))
    return headers, episodes
