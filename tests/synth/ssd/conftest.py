"""One organisation (default seed) built the way synth.organisation does, with its SSD and local files written into
one delivery folder with a manifest and landed by the extract layer."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from extract import FileOutcome, extract_all
from synth.cin.census import simulate_for_span
from synth.cin.model import CINChild
from synth.cin.params import CINParams
from synth.local import write_local_exports
from synth.organisation import _manifest
from synth.params import SynthParams
from synth.population import Child, simulate_population
from synth.settings_pool import build_settings
from synth.ssd import Casework, build_casework, write_ssd_exports
from synth.workforce import Workforce, build_workforce
from synth.writer import write_manifest

LA, SEED, AS_OF = "E06000039", 42, date(2026, 10, 31)
MONTHS, HISTORY_YEARS = 1, 3
WINDOW_MONTHS = 36  # the contract minimum keeps the test fast; the default is 72


@dataclass
class Organisation:
    children: list[Child]
    cin: list[CINChild]
    workforce: Workforce
    casework: Casework
    inbound: Path
    entries: dict[str, list[dict]]
    outcomes: list[FileOutcome]
    landing: Path

    def read(self, family: str, table: str) -> tuple[list[str], list[dict[str, str]]]:
        path = self.inbound / LA / f"{AS_OF:%Y-%m}" / family / f"{table}.csv"
        with open(path, newline="", encoding="utf-8") as handle:
            reader = csv.DictReader(handle)
            return list(reader.fieldnames or []), list(reader)


def build_truth(seed: int = SEED) -> tuple[list[Child], list[CINChild], Workforce]:
    params = SynthParams()
    first = date(2023 - HISTORY_YEARS - params.lead_in_years, 4, 1)  # as synth.organisation for as_of 2026-10
    children = simulate_population(seed, LA, first, AS_OF, params, build_settings(seed, LA))
    cin = simulate_for_span(LA, AS_OF, children, seed, MONTHS, HISTORY_YEARS, CINParams())
    return children, cin, build_workforce(seed, LA, AS_OF)


_BUILT: list[Organisation] = []


def shared_organisation(tmp_path_factory: pytest.TempPathFactory) -> Organisation:
    """Built once per test process: the SSD and the local tests share it."""
    if not _BUILT:
        _BUILT.append(_build(tmp_path_factory))
    return _BUILT[0]


@pytest.fixture(scope="session")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Organisation:
    return shared_organisation(tmp_path_factory)


def _build(tmp_path_factory: pytest.TempPathFactory) -> Organisation:
    children, cin, workforce = build_truth()
    root = tmp_path_factory.mktemp("ssd")
    inbound = root / "inbound"
    entries = write_ssd_exports(inbound, LA, AS_OF, MONTHS, SEED, children, workforce, cin, WINDOW_MONTHS)
    local = write_local_exports(inbound, LA, AS_OF, MONTHS, SEED, children, workforce, cin, WINDOW_MONTHS)
    folder = f"{AS_OF:%Y-%m}"
    files = sorted(entries[folder] + local[folder], key=lambda entry: entry["path"])
    write_manifest(inbound / LA / folder / "_delivery.json", _manifest(LA, AS_OF, files))
    outcomes = extract_all(inbound, root / "landing", root / "archive", AS_OF)
    casework = build_casework(LA, AS_OF, SEED, children, workforce, cin)
    return Organisation(children, cin, workforce, casework, inbound, {folder: files}, outcomes, root / "landing")
