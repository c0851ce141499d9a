"""The SSDA903 tables beyond Header and Episodes (Reviews, UASC, OC2, OC3, AD1, PlacedAdoption, PrevPerm,
Missing, SWEpisodes from 2023-24, DoLo from 2026-27), derived from the simulated children and cut per collection
year with the DfE scope. Checked against the DfE validator by `make oracle-903` (docs/oracle.md)."""

from synth.ssda903.social_workers import social_worker_ids
from synth.ssda903.tables import (
    COLUMNS,
    cut_903_extra_tables,
    oc3_leaver_ids,
    tables_for_year,
    write_903_extra_tables,
    write_903_year,
)

__all__ = [
    "COLUMNS",
    "cut_903_extra_tables",
    "oc3_leaver_ids",
    "social_worker_ids",
    "tables_for_year",
    "write_903_extra_tables",
    "write_903_year",
]
