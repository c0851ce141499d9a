"""The written files: layout, names, manifest, CSV dialect and determinism."""

from __future__ import annotations

import hashlib
import json
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from synth import generate_organisation
from tests.helpers import tree_snapshot

LA = "E06000039"
AS_OF = date(2026, 10, 31)
HEADER = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODES = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"


def test_layout_and_names_of_two_months_and_three_history_years(tmp_path):
    written = generate_organisation(tmp_path, LA, AS_OF, seed=3, months=2, history_years=3)
    relative = [path.relative_to(tmp_path).as_posix() for path in written]
    assert relative == [
        f"{LA}/2026-09/903/{LA}_903_2026-27_episodes.csv",
        f"{LA}/2026-09/903/{LA}_903_2026-27_header.csv",
        f"{LA}/2026-09/_delivery.json",
        f"{LA}/2026-10/903/{LA}_903_2026-27_episodes.csv",
        f"{LA}/2026-10/903/{LA}_903_2026-27_header.csv",
        f"{LA}/2026-10/_delivery.json",
        f"{LA}/history/903/2023-24/{LA}_903_2023-24_episodes.csv",
        f"{LA}/history/903/2023-24/{LA}_903_2023-24_header.csv",
        f"{LA}/history/903/2024-25/{LA}_903_2024-25_episodes.csv",
        f"{LA}/history/903/2024-25/{LA}_903_2024-25_header.csv",
        f"{LA}/history/903/2025-26/{LA}_903_2025-26_episodes.csv",
        f"{LA}/history/903/2025-26/{LA}_903_2025-26_header.csv",
    ]
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == relative


def test_deliveries_spanning_a_collection_year_boundary(tmp_path):
    # March 2026 belongs to 2025-26 and April 2026 to 2026-27; history is the two years before 2025-26.
    written = generate_organisation(tmp_path, "E08000001", date(2026, 4, 30), seed=1, months=2, history_years=2)
    names = sorted(path.name for path in written if path.suffix == ".csv" and "history" not in path.parts)
    assert names == [
        "E08000001_903_2025-26_episodes.csv",
        "E08000001_903_2025-26_header.csv",
        "E08000001_903_2026-27_episodes.csv",
        "E08000001_903_2026-27_header.csv",
    ]
    assert sorted(p.name for p in (tmp_path / "E08000001" / "history" / "903").iterdir()) == ["2023-24", "2024-25"]
    march = json.loads((tmp_path / "E08000001" / "2026-03" / "_delivery.json").read_text())
    assert (march["as_at_date"], march["collection_year"]) == ("2026-03-31", "2025-26")


def test_manifest_lists_each_file_with_its_rows_and_hash(tmp_path):
    generate_organisation(tmp_path, LA, AS_OF, seed=5, months=1, history_years=1)
    folder = tmp_path / LA / "2026-10"
    manifest = json.loads((folder / "_delivery.json").read_text(encoding="utf-8"))
    assert list(manifest) == [
        "contract_version",
        "la_code",
        "reporting_month",
        "as_at_date",
        "collection_year",
        "source_systems",
        "files",
    ]
    assert manifest["contract_version"] == "1.0"
    assert (manifest["la_code"], manifest["reporting_month"], manifest["as_at_date"]) == (LA, "2026-10", "2026-10-31")
    assert manifest["collection_year"] == "2026-27"
    assert manifest["source_systems"] == {"case": "synthetic (csc-warehouse synth)"}
    assert [(entry["path"], entry["table"]) for entry in manifest["files"]] == [
        (f"903/{LA}_903_2026-27_header.csv", "header"),
        (f"903/{LA}_903_2026-27_episodes.csv", "episodes"),
    ]
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["rows"] == data.count(b"\n") - 1 > 100  # no field holds a line break


def test_csv_dialect_and_exact_columns(tmp_path):
    written = generate_organisation(tmp_path, LA, AS_OF, seed=5, months=1, history_years=1)
    for path in written:
        if path.suffix != ".csv":
            continue
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in data
        assert data.endswith(b"\n")
        data.decode("utf-8")
        first_line = data.split(b"\n", 1)[0].decode()
        assert first_line == (HEADER if path.name.endswith("_header.csv") else EPISODES)


def test_same_arguments_give_identical_bytes_and_another_seed_does_not(tmp_path):
    first = generate_organisation(tmp_path / "a", LA, AS_OF, seed=42, months=2, history_years=3)
    generate_organisation(tmp_path / "b", LA, AS_OF, seed=42, months=2, history_years=3)
    generate_organisation(tmp_path / "c", LA, AS_OF, seed=43, months=2, history_years=3)
    assert len(first) == 12
    assert tree_snapshot(tmp_path / "a") == tree_snapshot(tmp_path / "b")
    snapshot_a, snapshot_c = tree_snapshot(tmp_path / "a"), tree_snapshot(tmp_path / "c")
    assert snapshot_a.keys() == snapshot_c.keys()
    assert all(snapshot_a[key] != snapshot_c[key] for key in snapshot_a if key.endswith(".csv"))


def test_other_las_get_other_child_ids(tmp_path):
    generate_organisation(tmp_path, LA, AS_OF, seed=42, history_years=0)
    generate_organisation(tmp_path, "E09000001", AS_OF, seed=42, history_years=0)

    def ids(la: str) -> set[str]:
        lines = (tmp_path / la / "2026-10" / "903" / f"{la}_903_2026-27_header.csv").read_text().splitlines()[1:]
        return {line.split(",")[0] for line in lines}

    assert ids(LA).isdisjoint(ids("E09000001"))


@pytest.mark.parametrize(
    ("la_code", "as_of", "months"),
    [("W06000001", AS_OF, 1), (LA, date(2026, 10, 30), 1), (LA, AS_OF, 0)],
)
def test_bad_arguments_are_refused(tmp_path, la_code, as_of, months):
    with pytest.raises(ValueError):
        generate_organisation(tmp_path, la_code, as_of, months=months)
    assert not any(tmp_path.iterdir())


def test_command_line(tmp_path):
    help_text = subprocess.run(
        [sys.executable, "-m", "synth", "--help"], capture_output=True, text=True, check=True
    ).stdout
    assert "--inbound-dir" in help_text and "--history-years" in help_text
    result = subprocess.run(
        [sys.executable, "-m", "synth", "--inbound-dir", str(tmp_path), "--la-code", LA, "--as-of", "2026-10-31"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert result.stdout.strip() == f"wrote 9 files for {LA} under {tmp_path}"
    api = generate_organisation(tmp_path / "api", LA, AS_OF)
    cli_files = {p.relative_to(tmp_path / LA): p.read_bytes() for p in Path(tmp_path, LA).rglob("*") if p.is_file()}
    api_files = {p.relative_to(tmp_path / "api" / LA): p.read_bytes() for p in api}
    assert cli_files == api_files
