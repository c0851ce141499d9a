"""REC codes valid for each file's collection year: SGO exits before 2018-19 carry E43/E44, never E45-E48."""

from __future__ import annotations

import csv
import re
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import extract_all
from extract.codes import codes_for, schema_year
from synth import generate_organisation
from synth.extracts import rec_for_year

LA, AS_OF = "E06000039", date(2019, 5, 31)
_CY = re.compile(r"_903_(\d{4}-\d{2})_episodes\.csv$")


@pytest.fixture(scope="module")
def organisation(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("rec903")
    generate_organisation(root / "inbound", LA, AS_OF, seed=7, months=1, history_years=3)
    return root


def test_rec_for_year_maps_the_sgo_codes_by_meaning():
    # Former foster carers (relative/friend or not) -> E43; other carers -> E44; from 2018-19 the codes stay.
    assert [rec_for_year(rec, 2018) for rec in ("E45", "E46", "E47", "E48", "E17", "X1")] == [
        *("E43", "E43", "E44", "E44", "E17", "X1")
    ]
    assert [rec_for_year(rec, 2019) for rec in ("E45", "E46", "E47", "E48")] == ["E45", "E46", "E47", "E48"]


def test_every_rec_is_valid_for_its_files_collection_year(organisation: Path):
    recs_by_year: dict[str, Counter] = {}
    for path in sorted((organisation / "inbound").rglob("*_episodes.csv")):
        match = _CY.search(path.name)
        if match is None:
            continue
        with path.open(newline="", encoding="utf-8-sig") as handle:
            recs_by_year[match[1]] = Counter(row["REC"] for row in csv.DictReader(handle) if row["REC"])
    assert sorted(recs_by_year) == ["2016-17", "2017-18", "2018-19", "2019-20"]
    for cy, recs in recs_by_year.items():
        assert set(recs) <= codes_for("REC", schema_year(cy)), cy
    # The SGO exits are there, in the old codes before 2018-19 and the new ones after (not a vacuous pass).
    for cy in ("2016-17", "2017-18"):
        assert recs_by_year[cy]["E43"] + recs_by_year[cy]["E44"] > 0, cy
    assert sum(recs_by_year["2018-19"][rec] for rec in ("E45", "E46", "E47", "E48")) > 0


def test_every_903_file_lands_without_r02(organisation: Path):
    landing = organisation / "landing"
    outcomes = extract_all(organisation / "inbound", landing, organisation / "archive", AS_OF)
    files_903 = [o for o in outcomes if "/903/" in o.source_file or "_903_" in o.source_file]
    assert {o.collection_year for o in files_903} == {"2016-17", "2017-18", "2018-19", "2019-20"}
    assert [(o.source_file, o.outcome) for o in files_903 if o.outcome != "landed"] == []
    r02 = []
    for outcome in files_903:
        path = landing / "_quarantine" / "rows" / f"{outcome.load_id}.parquet"
        if path.is_file():
            r02 += [row for row in pq.read_table(path).to_pylist() if row["rule_code"] == "R02"]
    assert r02 == []
    assert all("R02" not in (o.message or "") for o in files_903)
