"""The written files: layout, names, manifest, CSV dialect and determinism."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from synth import generate_organisation
from tests.helpers import tree_snapshot

LA = "E06000039"
AS_OF = date(2026, 10, 31)
SOURCE = "synthetic (csc-warehouse synth)"
# 903 tables (file-name token) and their exact columns, written out from input contract §1.1.1, independently of
# synth/; SWEpisodes is collected from 2023-24 and DoLo from 2026-27 (schema years 2024 and 2027).
COLUMNS_903 = {
    "header": "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB",
    "episodes": "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN",
    "reviews": "CHILD,DOB,REVIEW,REVIEW_CODE",
    "uasc": "CHILD,SEX,DOB,DUC",
    "oc2": "CHILD,DOB,SDQ_SCORE,SDQ_REASON,CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,"
    "SUBSTANCE_MISUSE,INTERVENTION_RECEIVED,INTERVENTION_OFFERED",
    "oc3": "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM",
    "ad1": "CHILD,DOB,DATE_INT,DATE_MATCH,FOSTER_CARE,NB_ADOPTR,SEX_ADOPTR,LS_ADOPTR",
    "placed_adoption": "CHILD,DOB,DATE_PLACED,DATE_PLACED_CEASED,REASON_PLACED_CEASED",
    "prev_perm": "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM",
    "missing": "CHILD,DOB,MISSING,MIS_START,MIS_END",
    "sw_episodes": "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON",
    "dolo": "CHILD,DOB,DOLO_START,DOLO_END",
}
FIRST_CY = {"sw_episodes": "2023-24", "dolo": "2026-27"}
HR = ["hr_absence", "hr_agency_assignment", "hr_appraisal", "hr_employee", "hr_leaver", "hr_post", "hr_training"]
FIN = [
    *("fin_balance_sheet", "fin_budget", "fin_forecast", "fin_ledger", "fin_placement_budget"),
    *("fin_placement_commitment", "fin_provider", "fin_savings_tracker", "fin_trial_balance"),
]
SSD = [
    *("ssd_address", "ssd_care_leavers", "ssd_cin_assessments", "ssd_cin_episodes", "ssd_cin_plans"),
    *("ssd_cin_visits", "ssd_cla_episodes", "ssd_cla_health", "ssd_cla_placement", "ssd_cla_reviews"),
    *("ssd_cla_visits", "ssd_contacts", "ssd_cp_plans", "ssd_cp_reviews", "ssd_cp_visits"),
    *("ssd_department", "ssd_early_help_episodes", "ssd_immigration_status", "ssd_initial_cp_conference"),
    *("ssd_involvements", "ssd_missing", "ssd_person", "ssd_professionals", "ssd_s47_enquiry"),
]
LOCAL = [
    *("local_audits", "local_case_supervision", "local_peps", "local_staff_supervision"),
    *("local_strategy_discussions", "local_visits"),
]
REF = [
    *("ref_bank_holidays", "ref_cost_centre_map", "ref_la_profile", "ref_local_code_map", "ref_onspd"),
    *("ref_population", "ref_population_ethnicity", "ref_provider_ofsted", "ref_school_ofsted", "ref_subjective_map"),
]


def tables_903(cy: str) -> list[str]:
    """The 903 tables a `cy` file set holds (collection years compare as text: "2023-24" < "2026-27")."""
    return [table for table in COLUMNS_903 if cy >= FIRST_CY.get(table, "")]


def names_903(la: str, cy: str) -> list[str]:
    return sorted(f"{la}_903_{cy}_{table}.csv" for table in tables_903(cy))


def delivery(la: str, month: str, cy: str) -> list[str]:
    """One monthly delivery folder, sorted: the in-year 903 set, the manifest, CIN census, finance, HR, local, SSD."""
    return [
        *(f"{la}/{month}/903/{name}" for name in names_903(la, cy)),
        f"{la}/{month}/_delivery.json",
        f"{la}/{month}/cin/{la}_cin_{cy}.xml",
        *(f"{la}/{month}/fin/{name}.csv" for name in FIN),
        *(f"{la}/{month}/hr/{name}.csv" for name in HR),
        *(f"{la}/{month}/local/{name}.csv" for name in LOCAL),
        *(f"{la}/{month}/ssd/{name}.csv" for name in SSD),
    ]


def history(la: str, cys: list[str]) -> list[str]:
    return [
        *(f"{la}/history/903/{cy}/{name}" for cy in cys for name in names_903(la, cy)),
        *(f"{la}/history/cin/{cy}/{la}_cin_{cy}.xml" for cy in cys),
    ]


def test_layout_and_names_of_two_months_and_three_history_years(tmp_path):
    written = generate_organisation(tmp_path, LA, AS_OF, seed=3, months=2, history_years=3)
    relative = [path.relative_to(tmp_path).as_posix() for path in written]
    assert relative == [
        *delivery(LA, "2026-09", "2026-27"),
        *delivery(LA, "2026-10", "2026-27"),
        *history(LA, ["2023-24", "2024-25", "2025-26"]),
        *(f"{LA}/ref/{name}.csv" for name in REF),
    ]
    # 2 deliveries x (12 903 tables, manifest, CIN, 9 finance, 7 HR, 6 local, 24 SSD) + 3 years x (11 903 tables,
    # CIN) + 10 ref
    assert len(relative) == 2 * 60 + 3 * 12 + 10  # 60 = 12 (903) + 1 + 1 (CIN) + 9 + 7 + 6 + 24 (SSD)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == relative


def test_deliveries_spanning_a_collection_year_boundary(tmp_path):
    # March 2026 belongs to 2025-26 and April 2026 to 2026-27; history is the two years before 2025-26.
    la = "E08000001"
    written = generate_organisation(tmp_path, la, date(2026, 4, 30), seed=1, months=2, history_years=2)
    names = sorted(path.name for path in written if path.parent.name == "903" and "history" not in path.parts)
    # DoLo is collected from 2026-27: the April delivery has it, the March one does not.
    assert names == sorted([*names_903(la, "2025-26"), *names_903(la, "2026-27")])
    assert f"{la}_903_2026-27_dolo.csv" in names and f"{la}_903_2025-26_dolo.csv" not in names
    for family in ("903", "cin"):
        assert sorted(p.name for p in (tmp_path / la / "history" / family).iterdir()) == ["2023-24", "2024-25"]
    march = json.loads((tmp_path / la / "2026-03" / "_delivery.json").read_text())
    assert (march["as_at_date"], march["collection_year"]) == ("2026-03-31", "2025-26")
    assert f"cin/{la}_cin_2025-26.xml" in [entry["path"] for entry in march["files"]]


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
    assert manifest["source_systems"] == {"case": SOURCE, "hr": SOURCE, "finance": SOURCE}
    # Every file of the delivery, in path order; 903 tables are named as extract lands them, the rest by file stem.
    expected = [
        *sorted((f"903/{LA}_903_2026-27_{table}.csv", table) for table in tables_903("2026-27")),
        (f"cin/{LA}_cin_2026-27.xml", "cin"),
        *((f"fin/{name}.csv", name) for name in FIN),
        *((f"hr/{name}.csv", name) for name in HR),
        *((f"local/{name}.csv", name) for name in LOCAL),
        *((f"ssd/{name}.csv", name) for name in SSD),
    ]
    assert [(entry["path"], entry["table"]) for entry in manifest["files"]] == expected
    on_disk = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert on_disk == sorted(["_delivery.json", *(path for path, _table in expected)])
    rows = {}
    for entry in manifest["files"]:
        data = (folder / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        # CSV rows are data lines (no field holds a line break); CIN XML rows are its Child elements.
        counted = data.count(b"<Child>") if entry["path"].endswith(".xml") else data.count(b"\n") - 1
        assert entry["rows"] == counted
        rows[entry["table"]] = entry["rows"]
    assert min(rows["header"], rows["episodes"], rows["cin"], rows["hr_employee"], rows["fin_ledger"]) > 100


def test_csv_dialect_and_exact_columns(tmp_path):
    written = generate_organisation(tmp_path, LA, AS_OF, seed=5, months=1, history_years=1)
    seen_903 = set()
    for path in written:
        if path.suffix != ".csv":
            continue
        data = path.read_bytes()
        assert not data.startswith(b"\xef\xbb\xbf")
        assert b"\r" not in data
        assert data.endswith(b"\n")
        data.decode("utf-8")
        first_line = data.split(b"\n", 1)[0].decode()
        if path.parent.name == "903" or path.parent.parent.name == "903":
            table = path.stem.split("_", 3)[3]  # <la>_903_<cy>_<table>
            assert first_line == COLUMNS_903[table], path.name
            seen_903.add(table)
        else:  # hr_, fin_ and ref_ files: lower-case snake-case names (input contract §0.1), none repeated
            names = first_line.split(",")
            assert all(re.fullmatch(r"[a-z][a-z0-9_]*", name) for name in names), path.name
            assert len(names) == len(set(names)), path.name
    assert seen_903 == set(COLUMNS_903)


def test_same_arguments_give_identical_bytes_and_another_seed_does_not(tmp_path):
    first = generate_organisation(tmp_path / "a", LA, AS_OF, seed=42, months=2, history_years=3)
    generate_organisation(tmp_path / "b", LA, AS_OF, seed=42, months=2, history_years=3)
    generate_organisation(tmp_path / "c", LA, AS_OF, seed=43, months=2, history_years=3)
    assert len(first) == 166  # as in test_layout_and_names_of_two_months_and_three_history_years
    assert tree_snapshot(tmp_path / "a") == tree_snapshot(tmp_path / "b")
    snapshot_a, snapshot_c = tree_snapshot(tmp_path / "a"), tree_snapshot(tmp_path / "c")
    assert snapshot_a.keys() == snapshot_c.keys()
    # Every file about the children (903, CIN) is drawn from the seed; so are the HR people and the ledger.
    seeded = [key for key in snapshot_a if re.search(r"/(903|cin)/|hr_employee|fin_ledger", key)]
    assert len(seeded) == 2 * 13 + 3 * 12 + 2 * 2
    assert all(snapshot_a[key] != snapshot_c[key] for key in seeded)


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
    # one delivery (12 903 tables, manifest, CIN, 9 finance, 7 HR, 6 local, 24 SSD) + 3 history years (11 903
    # tables, CIN) + 10 ref
    assert result.stdout.strip() == f"wrote {60 + 3 * 12 + 10} files for {LA} under {tmp_path}"
    api = generate_organisation(tmp_path / "api", LA, AS_OF)
    cli_files = {p.relative_to(tmp_path / LA): p.read_bytes() for p in Path(tmp_path, LA).rglob("*") if p.is_file()}
    api_files = {p.relative_to(tmp_path / "api" / LA): p.read_bytes() for p in api}
    assert cli_files == api_files
