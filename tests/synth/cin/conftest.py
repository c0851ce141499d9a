"""One simulated organisation (default seed) shared by the CIN tests: the 903 children, their CIN truth and the
written census files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from synth.cin.census import simulate_for_span, write_cin_exports
from synth.cin.model import CINChild
from synth.cin.params import CINParams
from synth.params import SynthParams
from synth.population import Child, simulate_population
from synth.settings_pool import build_settings

LA = "E06000039"
AS_OF = date(2026, 10, 31)
SEED = 42
MONTHS, HISTORY_YEARS = 2, 3
_REPO = Path(__file__).resolve().parents[3]
# The DfE XSDs: shared/reference beside the repository (as on a developer's machine and in CI), else the copy the
# extract layer ships.
XSD_DIRS = (_REPO.parent / "shared" / "reference" / "cin-census", _REPO / "extract" / "cin" / "xsd")


def xsd_path(year: int) -> Path:
    for folder in XSD_DIRS:
        if (folder / f"CIN_schema_{year}.xsd").exists():
            return folder / f"CIN_schema_{year}.xsd"
    raise FileNotFoundError(f"CIN_schema_{year}.xsd not found in {XSD_DIRS}")


def population(seed: int = SEED) -> list[Child]:
    params = SynthParams()
    first = date(2023 - HISTORY_YEARS - params.lead_in_years, 4, 1)  # 903 span of as_of 2026-10 with 3 history years
    return simulate_population(seed, LA, first, AS_OF, params, build_settings(seed, LA))


@dataclass
class Organisation:
    children: list[Child]
    cin: list[CINChild]
    inbound: Path
    entries: dict[str, list[dict]]


@pytest.fixture(scope="session")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Organisation:
    children = population()
    cin = simulate_for_span(LA, AS_OF, children, SEED, MONTHS, HISTORY_YEARS, CINParams())
    inbound = tmp_path_factory.mktemp("inbound")
    entries = write_cin_exports(inbound, LA, AS_OF, children, SEED, MONTHS, HISTORY_YEARS)
    return Organisation(children, cin, inbound, entries)
