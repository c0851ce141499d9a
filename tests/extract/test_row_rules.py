"""Row-level rules (input contract §0.5, §0.8, §1.1.2, §1.1.4-§1.1.6): exact rule, field and row for each input.

Each episodes file has 49 good rows (rows 2-50) before the rows under test (row 51 on), so one rejected row stays
within the 2 % limit and the file lands.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tests.extract.builders import (
    deliver,
    episodes_csv,
    findings,
    header_csv,
    landed_rows,
    quarantine,
    run,
    warnings,
)


def _episodes(tmp_path: Path, *rows: str, good: int = 49):
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(*rows, good=good)))
    assert outcome.outcome == "landed", outcome.message
    assert outcome.rows_read == outcome.rows_landed + outcome.rows_quarantined
    return outcome


@pytest.mark.parametrize(
    ("decom", "message"),
    [
        ("31/02/2025", "DECOM '31/02/2025' is not a real date"),
        ("2025-03-01", "DECOM '2025-03-01' is not a dd/mm/YYYY date"),
        ("1/3/2025", "DECOM '1/3/2025' is not a dd/mm/YYYY date"),
        ("01/03/1899", "DECOM '01/03/1899' is before 01/01/1900"),
    ],
)
def test_bad_dates_are_r01(tmp_path: Path, decom: str, message: str) -> None:
    outcome = _episodes(tmp_path, f"C900,{decom},S,C2,N1,U4,PR1,,,,,,")
    [row] = quarantine(tmp_path, outcome)
    assert (row["source_row"], row["field"], row["value"], row["rule_code"], row["message"]) == (
        51,
        "DECOM",
        decom,
        "R01",
        message,
    )
    assert (outcome.rows_landed, outcome.rows_quarantined) == (49, 1)


def test_an_enormous_urn_past_the_csv_modules_field_limit_is_r01(tmp_path: Path) -> None:
    # 200,000 characters: over Python csv's default field limit (131,072), which used to reject the file F01.
    outcome = _episodes(tmp_path, "C900,01/05/2025,S,C2,N1,U4,PR1,,,,,," + "9" * 200_000)
    [row] = quarantine(tmp_path, outcome)
    assert (row["source_row"], row["field"], row["rule_code"], row["message"]) == (
        51,
        "URN",
        "R01",
        "URN is longer than 8 characters",
    )
    assert (outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == (50, 49, 1)
    assert warnings(tmp_path, outcome) == []


def test_unknown_legal_status_is_r02(tmp_path: Path) -> None:
    [row] = quarantine(tmp_path, _episodes(tmp_path, "C900,01/05/2025,S,zz,N1,U4,PR1,,,,,,"))
    assert (row["source_row"], row["field"], row["value"], row["rule_code"]) == (51, "LS", "zz", "R02")
    assert row["message"] == "LS 'ZZ' is not a legal status code in 2025-26"


def test_retired_place_z1_on_an_episode_ending_after_1_april_2025_is_r02(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C900,01/02/2025,S,C2,N1,Z1,,02/04/2025,E13,,,,")
    [row] = quarantine(tmp_path, outcome)
    assert (row["source_row"], row["field"], row["value"], row["rule_code"]) == (51, "PLACE", "Z1", "R02")
    assert row["message"] == (
        "PLACE 'Z1' is not a placement type code in 2025-26 (retired from 2025-26; DEC is not before 01/04/2025)"
    )


def test_retired_place_z1_on_an_open_episode_is_r02(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C900,01/02/2025,S,C2,N1,Z1,,,,,,,")
    assert findings(quarantine(tmp_path, outcome)) == [(51, "PLACE", "R02")]


def test_retired_place_z1_on_an_episode_ended_before_1_april_2025_is_kept_with_w07(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C900,01/02/2025,S,C2,N1,Z1,,31/03/2025,E13,,,,")
    assert (outcome.rows_landed, outcome.rows_quarantined) == (50, 0)
    [warning] = warnings(tmp_path, outcome)
    assert (warning["source_row"], warning["field"], warning["value"], warning["rule_code"]) == (
        51,
        "PLACE",
        "Z1",
        "W07",
    )
    assert warning["message"] == "PLACE 'Z1' (retired from 2025-26) accepted: DEC is before 01/04/2025"
    assert landed_rows(tmp_path, outcome)[-1]["place"] == "Z1"
    assert outcome.message == "1 warnings (W07 x1)"


def test_k3_before_it_existed_in_2023_24_is_r02(tmp_path: Path) -> None:
    row = "C900,01/05/2023,S,C2,N1,K3,PR4,,,,,,"
    content = episodes_csv(row, decom="01/05/2023")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", content, month="2024-02"))
    assert outcome.collection_year == "2023-24"
    [finding] = quarantine(tmp_path, outcome)
    assert (finding["source_row"], finding["field"], finding["rule_code"]) == (51, "PLACE", "R02")
    assert finding["message"] == "PLACE 'K3' is not a placement type code in 2023-24"


def test_p2_for_an_episode_starting_on_or_after_28_october_2023_is_r02(tmp_path: Path) -> None:
    rows = ("C900,28/10/2023,S,C2,N1,P2,PR0,,,,,,", "C901,27/10/2023,S,C2,N1,P2,PR0,,,,,,")
    content = episodes_csv(*rows, good=98, decom="01/05/2023")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", content, month="2024-02"))
    assert findings(quarantine(tmp_path, outcome)) == [(100, "PLACE", "R02")]
    assert outcome.rows_landed == 99


def test_sex_1_in_2025_26_is_r02_and_m_is_kept(tmp_path: Path) -> None:
    content = header_csv("C001,M,01/01/2015,WBRI,UN1,,", "C002,1,01/01/2015,WBRI,UN1,,")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "header.csv", content))
    # 1 of 2 rows is far more than 2 %: the whole file is rejected, the row is still in quarantine.
    assert outcome.outcome == "rejected" and "F07 1 of 2 data rows rejected" in outcome.message
    [row] = quarantine(tmp_path, outcome)
    assert (row["source_row"], row["field"], row["value"], row["rule_code"]) == (3, "SEX", "1", "R02")
    assert row["message"] == "SEX '1' is not a sex code in 2025-26 (retired from 2024-25; the record has no end date)"


def test_sex_1_in_2023_24_is_valid(tmp_path: Path) -> None:
    content = header_csv("C001,1,01/01/2015,WBRI,UN1,,", "C002,2,01/01/2015,WBRI,UN1,,")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "E06000039_903_2023-24_header.csv", content))
    assert (outcome.collection_year, outcome.outcome, outcome.rows_landed) == ("2023-24", "landed", 2)


def test_dec_before_decom_is_r05(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C900,01/05/2025,S,C2,N1,U4,PR1,01/05/2025,E13,,,,")
    [row] = quarantine(tmp_path, outcome)
    assert (row["source_row"], row["field"], row["rule_code"]) == (51, "DEC", "R05")
    assert row["message"] == "DEC 01/05/2025 is not after DECOM 01/05/2025"


def test_rec_without_dec_is_r05(tmp_path: Path) -> None:
    [row] = quarantine(tmp_path, _episodes(tmp_path, "C900,01/05/2025,S,C2,N1,U4,PR1,,E13,,,,"))
    assert (row["source_row"], row["field"], row["rule_code"], row["message"]) == (
        51,
        "REC",
        "R05",
        "REC must be blank when DEC is blank",
    )


def test_dec_without_rec_is_r05(tmp_path: Path) -> None:
    [row] = quarantine(tmp_path, _episodes(tmp_path, "C900,01/05/2025,S,C2,N1,U4,PR1,02/05/2025,,,,,"))
    assert (row["field"], row["rule_code"], row["message"]) == ("REC", "R05", "REC is required when DEC is given")


def test_conflicting_duplicate_key_rejects_both_rows_r03(tmp_path: Path) -> None:
    rows = ("C900,01/05/2025,S,C2,N1,U4,PR1,,,,,,", "C900,01/05/2025,S,C2,N1,U5,PR1,,,,,,")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(*rows, good=98)))
    found = quarantine(tmp_path, outcome)
    assert findings(found) == [(100, "CHILD,DECOM", "R03"), (101, "CHILD,DECOM", "R03")]
    assert [row["message"] for row in found] == [
        "key (CHILD, DECOM) also on row(s) 101 with different values",
        "key (CHILD, DECOM) also on row(s) 100 with different values",
    ]
    assert all(row["value"] is None for row in found)  # the key holds CHILD: hash only
    assert (outcome.rows_landed, outcome.rows_quarantined) == (98, 2)


def test_exact_duplicate_row_is_dropped_w01_first_kept(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C001,01/05/2025,S,C2,N1,U4,PR1,,,,SL1 2EL,SL1 2EL,XXXXXXX")
    [row] = quarantine(tmp_path, outcome)
    assert (row["source_row"], row["field"], row["rule_code"], row["message"]) == (
        51,
        None,
        "W01",
        "exact duplicate of row 2: dropped",
    )
    assert (outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == (50, 49, 1)


def test_duplicate_after_normalisation_is_w01_not_r03(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C001,01/05/2025,s,c2,n1,u4,pr1,,,,sl12el,SL1 2EL,XXXXXXX")
    assert findings(quarantine(tmp_path, outcome)) == [(51, None, "W01")]


def test_future_decom_is_r06(tmp_path: Path) -> None:
    [row] = quarantine(tmp_path, _episodes(tmp_path, "C900,01/11/2025,S,C2,N1,U4,PR1,,,,,,"))
    assert (row["field"], row["rule_code"], row["message"]) == (
        "DECOM",
        "R06",
        "DECOM '01/11/2025' is after the as-at date 31/10/2025",
    )


def test_future_dob_is_r06_without_the_value(tmp_path: Path) -> None:
    content = header_csv(*(f"C{i:03d},M,01/01/2015,WBRI,UN1,," for i in range(1, 50)), "C900,F,01/11/2025,WBRI,UN1,,")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "header.csv", content))
    [row] = quarantine(tmp_path, outcome)
    assert (row["field"], row["value"], row["rule_code"]) == ("DOB", None, "R06")
    assert row["message"] == "DOB is after the as-at date 31/10/2025"


def test_bad_postcode_is_nulled_w05_and_good_ones_normalised(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C900,01/05/2025,S,C2,N1,U4,PR1,,,,sl12el,NOT A POSTCODE,XXXXXXX")
    [warning] = warnings(tmp_path, outcome)
    assert (warning["source_row"], warning["field"], warning["value"], warning["rule_code"]) == (
        51,
        "PL_POST",
        None,
        "W05",
    )
    last = landed_rows(tmp_path, outcome)[-1]
    assert (last["home_post"], last["pl_post"], last["source_row"]) == ("SL1 2EL", None, 51)


def test_unknown_non_key_code_is_nulled_w05(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C900,01/05/2025,S,C2,N9,U4,PR1,,,,,,")
    [warning] = warnings(tmp_path, outcome)
    assert (warning["field"], warning["value"], warning["rule_code"]) == ("CIN", "N9", "W05")
    assert warning["message"] == "CIN 'N9' is not a category of need code in 2025-26: nulled"
    assert landed_rows(tmp_path, outcome)[-1]["cin"] is None


def test_provider_for_a_temporary_placement_is_nulled_w05_and_missing_provider_is_r05(tmp_path: Path) -> None:
    outcome = _episodes(tmp_path, "C900,01/05/2025,T,C2,N1,T1,PR1,,,,,,", "C901,01/05/2025,S,C2,N1,U4,,,,,,,", good=98)
    assert findings(warnings(tmp_path, outcome)) == [(100, "PLACE_PROVIDER", "W05")]
    assert findings(quarantine(tmp_path, outcome)) == [(101, "PLACE_PROVIDER", "R05")]
    assert landed_rows(tmp_path, outcome)[-1]["place_provider"] is None


def test_required_blank_and_null_literal_are_r04(tmp_path: Path) -> None:
    outcome = _episodes(
        tmp_path, "C900,01/05/2025,S,NULL,N1,U4,PR1,,,,,,", "C901,01/05/2025,,C2,N1,U4,PR1,,,,,,", good=98
    )
    assert findings(quarantine(tmp_path, outcome)) == [(100, "LS", "R04"), (101, "RNE", "R04")]


def test_ragged_row_is_r01(tmp_path: Path) -> None:
    [row] = quarantine(tmp_path, _episodes(tmp_path, "C900,01/05/2025,S,C2"))
    assert (row["source_row"], row["field"], row["value"], row["rule_code"], row["message"]) == (
        51,
        None,
        None,
        "R01",
        "row has 4 fields, the header has 13",
    )


def test_mother_without_mc_dob_is_r05(tmp_path: Path) -> None:
    good = [f"C{i:03d},F,01/01/2008,WBRI,UN1,0," for i in range(1, 50)]
    content = header_csv(*good, "C900,F,01/01/2008,WBRI,UN1,1,", "C901,F,01/01/2008,WBRI,UN1,1,01/01/2025")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "header.csv", content))
    assert findings(quarantine(tmp_path, outcome)) == [(51, "MC_DOB", "R05")]
    assert landed_rows(tmp_path, outcome)[-1]["mc_dob"] == date(2025, 1, 1)


def test_upn_un6_is_kept_with_w05_and_a_malformed_upn_is_r01(tmp_path: Path) -> None:
    good = [f"C{i:03d},M,01/01/2015,WBRI,A12345678901B,," for i in range(1, 50)]
    content = header_csv(*good, "C900,M,01/01/2015,WBRI,un6,,", "C901,M,01/01/2015,WBRI,A1234,,", "C902,M,,WBRI,UN1,,")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "header.csv", content))
    assert outcome.outcome == "rejected"  # 2 of 52 rows rejected
    assert findings(quarantine(tmp_path, outcome)) == [(52, "UPN", "R01"), (53, "DOB", "R04")]


def test_prevperm_partial_dates_land_as_the_first_day_with_their_precision(tmp_path: Path) -> None:
    content = "CHILD,DOB,PREV_PERM,LA_PERM,DATE_PERM\nC1,01/01/2010,P1,,zz/05/2015\nC2,01/01/2010,P2,,ZZ/zz/2014\n"
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "prev_perm.csv", content))
    rows = landed_rows(tmp_path, outcome)
    assert [(row["date_perm"], row["date_perm_precision"]) for row in rows] == [
        (date(2015, 5, 1), "month"),
        (date(2014, 1, 1), "year"),
    ]


def test_oc3_activity_required_when_in_touch_and_retired_f3_is_r02(tmp_path: Path) -> None:
    rows = ["C1,01/01/2007,YES,F1,B1", "C2,01/01/2007,NO,,B1", "C3,01/01/2007,YES,F3,B1", "C4,01/01/2007,DIED,,"]
    content = "CHILD,DOB,IN_TOUCH,ACTIV,ACCOM\n" + "\n".join(rows) + "\n"
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "oc3.csv", content))
    assert findings(quarantine(tmp_path, outcome)) == [(3, "ACTIV", "R05"), (4, "ACTIV", "R02")]


def test_the_quarantine_keeps_only_hashes_of_personal_values(tmp_path: Path) -> None:
    rows = ("C777,01/05/2025,S,C2,N1,U4,PR1,,E13,,ZZ1 1ZZ,,", "C777,01/05/2025,S,C2,N1,U4,PR1,,E13,,ZZ1 1ZZ,,")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(*rows, good=98)))
    found = quarantine(tmp_path, outcome)
    assert findings(found) == [(100, "REC", "R05"), (101, None, "W01")]
    for row in found:
        assert "C777" not in str(row["value"]) and "C777" not in row["message"] and len(row["value_hash"]) == 64
