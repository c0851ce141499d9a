"""What the dirt tests share: the organisation they make dirty, and how they read the extract layer's findings."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
from lxml import etree

from synth import generate_organisation
from synth.dirty.cin_xml import RECORD_TAGS
from synth.params import OrganisationSize

LA = "E06000039"
AS_OF = date(2025, 10, 31)  # 2025-26: H5/P2/Z1 retired, so wrong-year and legacy PLACE codes both occur
SEED = 7
HISTORY_YEARS = 2
# Full-size looked-after work (the 903 files need rows for the F07 cap to allow row defects) and a quarter of the
# children-in-need work, whose SSD and local tables are the big files: a quarter keeps every kind's places and makes
# the runs fast.
SIZE = OrganisationSize(cla=1.0, cin=0.25)
TRUTH_KEYS = ["file", "row", "field", "kind", "expected_rule", "description"]
# Family folders make_dirty touches (ref/ never).
DIRTIED_FAMILIES = ("903", "cin", "ssd", "local", "hr", "fin")

Organisation = Callable[[Path], list[Path]]


def generated_organisation(folder: Path) -> Organisation:
    """Generate the organisation once into `folder`; the function returned copies it to a new inbound folder and
    returns the copy's written files (the generator is deterministic, so a copy is what a new run writes)."""
    source = folder / "inbound"
    written = generate_organisation(source, LA, AS_OF, seed=SEED, months=1, history_years=HISTORY_YEARS, size=SIZE)
    relative = [path.relative_to(source) for path in written]

    def copy(inbound: Path) -> list[Path]:
        shutil.copytree(source, inbound)
        return [inbound / path for path in relative]

    return copy


def family_of(source_file: str) -> str:
    """The family folder of a file relative to inbound: `<la>/<month>/<family>/...` or `<la>/history/<family>/...`."""
    return source_file.split("/")[2]


def findings(landing: Path, folder: str) -> list[dict]:
    return [row for path in sorted((landing / folder).glob("*.parquet")) for row in pq.read_table(path).to_pylist()]


def findings_of_injections(landing: Path, folder: str) -> list[dict]:
    """Findings, less the cross-family W06 (X1/X3) of the SSD, local, HR and finance tables: the synthetic
    organisation has such orphans before any dirt (allowance children outside ssd_person's window, worker ids of
    leavers outside ssd_professionals), and dirt that rejects an ssd_person or ssd_professionals row adds more."""
    return [
        row
        for row in findings(landing, folder)
        if not (row["rule_code"] == "W06" and "/903/" not in row["source_file"])
    ]


def cin_records_under(inbound: Path, truth: list[dict]) -> set[tuple[str, int, str, None]]:
    """(file, line, rule, None) of every CIN record under a record a truth line rejects: the extract layer rejects
    them with the same rule (a CINdetails takes its assessments, plans, S47s and CP plans along)."""
    under: set[tuple[str, int, str, None]] = set()
    trees: dict[str, etree._ElementTree] = {}
    for line in truth:
        if not line["file"].endswith(".xml") or not line["expected_rule"].startswith("R"):
            continue
        if line["file"] not in trees:
            trees[line["file"]] = etree.parse(str(inbound / line["file"]))
        (record,) = [element for element in trees[line["file"]].iter(*RECORD_TAGS) if element.sourceline == line["row"]]
        under.update(
            (line["file"], element.sourceline, line["expected_rule"], None)
            for element in record.iter(*RECORD_TAGS)
            if element.sourceline != record.sourceline
        )
    return under
