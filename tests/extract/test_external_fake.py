"""The fake SSDA903 return written by others (/work/shared/external/ssda903-fake, see its README): every file is
recognised, nothing crashes, nothing is lost, and every rejection has a reason that the raw CSV bears out.

Its dates put it in collection year 2017-18 (episodes start up to 31/03/2018; 12 end on 01/04/2018), so it is
delivered as the history return `history/903/2017-18` (as-at date 31/03/2018). The pinned counts were checked by
hand against the CSVs:
* episodes: 1,413 rows carry a REC on an open episode (e.g. row 876 `285083,17/11/2017,...,,X1,...`): R05, or R02
  when that REC is also an E45-E48 code, which only exist from 2018-19 (226 rows, e.g. row 3731 `...,E48,...`);
  12 rows end on 01/04/2018, after the as-at date (R06; rows 218 and 2348 also have an E45/E48 code). 1,582 of
  5,050 rows rejected: the file is rejected (F07). Temporary placements with a provider are warnings, not rejects.
* header: clean except row 1273, MOTHER `1.0`, not a 0/1 code: nulled with W05, the row is kept.
* reviews: 5,041 reviews dated after 31/03/2018 (up to 2030), 7 keys reviewed twice with different codes (R03 on
  14 rows) and 2 exact duplicates (W01): rejected (F07).
* oc3: ACCOM `01` and `02` (rows 2 and 47) are not accommodation codes (★, R02): 2 of 53 rows, rejected (F07).
* placed_for_adoption: REASON_PLACED_CEASED `XXX` on all 29 rows: not a code, nulled with W05.
* sw_episodes: SWEpisodes is not collected before 2023-24: ignored (W02).
"""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from extract import extract_all
from tests.extract.builders import LA

FAKE = Path("/work/shared/external/ssda903-fake")
PERSONAL_FIELDS = {"CHILD", "DOB", "UPN", "MC_DOB", "HOME_POST", "PL_POST", "SW_ID"}

pytestmark = pytest.mark.skipif(not FAKE.is_dir(), reason="the external fake 903 return is not on this machine")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict]:
    root = tmp_path_factory.mktemp("fake903")
    folder = root / "inbound" / LA / "history" / "903" / "2017-18"
    folder.mkdir(parents=True)
    for path in FAKE.glob("*.csv"):
        shutil.copyfile(path, folder / path.name)
    outcomes = extract_all(root / "inbound", root / "landing", root / "archive", date(2018, 3, 31))
    return root, {"outcomes": {o.source_file.rsplit("/", 1)[1]: o for o in outcomes}}


def _issues(root: Path, folder: str, load_id: str) -> list[dict]:
    path = root / "landing" / folder / f"{load_id}.parquet"
    return pq.read_table(path).to_pylist() if path.is_file() else []


def _raw_line(name: str, number: int) -> str:
    return (FAKE / name).read_text(encoding="utf-8-sig").splitlines()[number - 1]


def test_every_file_is_recognised_with_a_sensible_outcome(extracted: tuple[Path, dict]) -> None:
    summary = {
        name: (o.table_name, o.outcome, o.rows_read, o.rows_landed, o.rows_quarantined)
        for name, o in extracted[1]["outcomes"].items()
    }
    assert summary == {
        "ad1.csv": ("ad1", "landed", 29, 29, 0),
        "episodes.csv": ("episodes", "rejected", 5050, 0, 1582),
        "header.csv": ("header", "landed", 2675, 2675, 0),
        "missing.csv": ("missing", "landed", 43, 43, 0),
        "oc2.csv": ("oc2", "landed", 2675, 2675, 0),
        "oc3.csv": ("oc3", "rejected", 53, 0, 2),
        "placed_for_adoption.csv": ("placed_adoption", "landed", 29, 29, 0),
        "previous_permanence.csv": ("prev_perm", "landed", 2675, 2675, 0),
        "reviews.csv": ("reviews", "rejected", 12582, 0, 5057),
        "sw_episodes.csv": ("sw_episodes", "rejected", 1, 0, 0),
        "uasc.csv": ("uasc", "landed", 132, 132, 0),
    }
    outcomes = extracted[1]["outcomes"]
    assert outcomes["episodes.csv"].message == (
        f"{LA}/history/903/2017-18/episodes.csv: F07 1582 of 5050 data rows rejected (31.3 %, more than 2 %): "
        "R02 x226, R05 x1346, R06 x12"
    )
    assert outcomes["sw_episodes.csv"].message.endswith(
        "W02 SWEpisodes is collected from 2023-24; this 2017-18 file is ignored"
    )
    assert {o.collection_year for o in outcomes.values()} == {"2017-18"}
    assert {o.reporting_month for o in outcomes.values()} == {"2018-03"}


def test_episodes_quarantine_matches_the_raw_rows(extracted: tuple[Path, dict]) -> None:
    root, result = extracted
    found = _issues(root, "_quarantine/rows", result["outcomes"]["episodes.csv"].load_id)
    assert Counter((row["rule_code"], row["field"]) for row in found) == {
        ("R05", "REC"): 1346,
        ("R02", "REC"): 226,
        ("R06", "DEC"): 12,
    }
    assert len({row["source_row"] for row in found}) == 1582
    by_row = {(row["source_row"], row["rule_code"]): row for row in found}
    assert by_row[876, "R05"]["message"] == "REC must be blank when DEC is blank"
    assert _raw_line("episodes.csv", 876) == "285083,17/11/2017,L,E1,N5,A6,PR4,,X1,CARPL,ET29 7AF,WZ25 5SF,3942825"
    assert by_row[3731, "R02"]["message"] == "REC 'E48' is not a reason episode ceased code in 2017-18"
    assert _raw_line("episodes.csv", 3731).split(",")[7:9] == ["25/06/2017", "E48"]
    assert by_row[218, "R06"]["message"] == "DEC '01/04/2018' is after the as-at date 31/03/2018"
    assert by_row[218, "R02"]["value"] == "E45"


def test_header_lands_every_row_with_one_warning(extracted: tuple[Path, dict]) -> None:
    root, result = extracted
    header = result["outcomes"]["header.csv"]
    assert header.message == "1 warnings (W05 x1)"
    [warning] = _issues(root, "_warnings", header.load_id)
    assert (warning["source_row"], warning["field"], warning["value"], warning["rule_code"]) == (
        1273,
        "MOTHER",
        "1.0",
        "W05",
    )
    assert _raw_line("header.csv", 1273).split(",")[5] == "1.0"
    rows = pq.read_table(root / "landing" / "ssda903" / "header" / f"la_code={LA}" / f"{header.load_id}.parquet")
    assert rows.num_rows == 2675
    assert Counter(rows.column("sex").to_pylist()) == {"2": 1342, "1": 1333}


def test_reviews_and_oc3_rejections(extracted: tuple[Path, dict]) -> None:
    root, result = extracted
    reviews = _issues(root, "_quarantine/rows", result["outcomes"]["reviews.csv"].load_id)
    assert Counter(row["rule_code"] for row in reviews) == {"R06": 5041, "R03": 14, "W01": 2}
    oc3 = _issues(root, "_quarantine/rows", result["outcomes"]["oc3.csv"].load_id)
    assert [(row["source_row"], row["field"], row["value"], row["rule_code"]) for row in oc3] == [
        (2, "ACCOM", "01", "R02"),
        (47, "ACCOM", "02", "R02"),
    ]
    placed = _issues(root, "_warnings", result["outcomes"]["placed_for_adoption.csv"].load_id)
    assert Counter((row["field"], row["value"], row["rule_code"]) for row in placed) == {
        ("REASON_PLACED_CEASED", "XXX", "W05"): 29
    }


def test_conservation_and_privacy(extracted: tuple[Path, dict]) -> None:
    root, result = extracted
    for outcome in result["outcomes"].values():
        if outcome.outcome == "landed":
            assert outcome.rows_read == outcome.rows_landed + outcome.rows_quarantined
    children = {line.split(",")[0] for line in (FAKE / "header.csv").read_text(encoding="utf-8-sig").splitlines()[1:]}
    for path in [
        *(root / "landing" / "_quarantine" / "rows").glob("*.parquet"),
        *(root / "landing" / "_warnings").glob("*.parquet"),
    ]:
        for row in pq.read_table(path).to_pylist():
            if row["field"] is None or set(row["field"].split(",")) & PERSONAL_FIELDS:
                assert row["value"] is None
            assert row["value"] not in children
