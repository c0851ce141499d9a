"""Several deliveries from one casework: a delivery cut after another (reusing what the first drew and rendered) is
byte for byte the delivery cut alone; and the organisation can record visits to children in assessment in
local_visits instead of ssd_cin_visits."""

from __future__ import annotations

import csv
from pathlib import Path

from synth.local import write_local_exports
from synth.ssd import truth, write_ssd_exports
from synth.ssd.visits import VisitParams
from tests.synth.ssd.conftest import AS_OF, LA, SEED, WINDOW_MONTHS


def _rows(path: Path) -> list[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_a_delivery_cut_after_another_is_the_delivery_cut_alone(organisation, tmp_path):
    truth._CACHE.clear()  # a fresh casework: the 2026-09 cut fills the caches the 2026-10 cut reuses
    args = (LA, AS_OF, 2, SEED, organisation.children, organisation.workforce, organisation.cin, WINDOW_MONTHS)
    entries = write_ssd_exports(tmp_path, *args)["2026-10"] + write_local_exports(tmp_path, *args)["2026-10"]
    alone = {entry["path"]: entry for entry in organisation.entries["2026-10"]}
    assert len(entries) == len(alone) == 30
    for entry in entries:
        assert (entry["rows"], entry["sha256"]) == (alone[entry["path"]]["rows"], alone[entry["path"]]["sha256"])


def test_assessment_visits_can_be_recorded_in_local_visits(organisation, tmp_path):
    """With VisitParams(assess_visits_local=True) the ASSESS visits leave ssd_cin_visits for local_visits, with the
    same ids, dates and workers; nothing else changes. A 6-month window (from 2026-04-01) keeps the cut small."""
    params = VisitParams(assess_visits_local=True)
    args = (LA, AS_OF, 1, SEED, organisation.children, organisation.workforce, organisation.cin, 6)
    write_ssd_exports(tmp_path, *args, visit_params=params)
    write_local_exports(tmp_path, *args, visit_params=params)
    folder = tmp_path / LA / "2026-10"
    _, default = organisation.read("ssd", "ssd_cin_visits")
    default = [row for row in default if row["cinv_cin_visit_date"] >= "2026-04-01"]
    ssd = _rows(folder / "ssd" / "ssd_cin_visits.csv")
    assert ssd == [row for row in default if row["local_visit_context"] == "CIN"]
    local = [row for row in _rows(folder / "local" / "local_visits.csv") if row["visit_context"] == "ASSESS"]
    moved = [row for row in default if row["local_visit_context"] == "ASSESS"]
    assert len(moved) > 100
    cells = ("visit_id", "person_id", "visit_date", "child_seen", "worker_id")
    local_cells = sorted(tuple(r[name] for name in cells) for r in local)
    assert local_cells == sorted(
        (r["cinv_cin_visit_id"], r["cinv_person_id"], r["cinv_cin_visit_date"], r["cinv_cin_visit_seen"],
         r["local_worker_id"]) for r in moved
    )  # fmt: skip
