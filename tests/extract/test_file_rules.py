"""File-level outcomes (input contract §0.4, §0.8, §1.1.1, §1.1.6): each malformed file gets exactly one rule code."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.extract.builders import (
    EPISODE_COLUMNS,
    deliver,
    episodes_csv,
    good_episode,
    header_csv,
    landed_rows,
    manifest,
    quarantine,
    run,
    sha256,
)


def _rejected(root: Path, path: Path, rule_code: str) -> str:
    """Assert `path` is rejected with `rule_code`, nothing landed, and a file quarantine line; return the message."""
    outcome = run(root, path)
    assert (outcome.outcome, outcome.rows_landed) == ("rejected", 0)
    assert outcome.message.startswith(f"{outcome.source_file}: {rule_code} ")
    assert "\n" not in outcome.message
    line = json.loads((root / "landing" / "_quarantine" / "files" / f"{outcome.load_id}.json").read_text())
    assert line == {"source_file": outcome.source_file, "rule_code": rule_code, "message": outcome.message}
    assert not list((root / "landing").glob("ssda903/*/*/*.parquet"))
    return outcome.message


def test_not_utf8_is_f01(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv().encode("utf-8") + "C999,é\n".encode("cp1252"))
    message = _rejected(tmp_path, path, "F01")
    assert "not UTF-8 (byte 0xe9 at offset" in message


def test_utf16_is_f01_naming_its_byte_order_mark(tmp_path: Path) -> None:
    # Excel's "Unicode text" export: UTF-16 LE with the BOM FF FE.
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv().encode("utf-16"))
    message = _rejected(tmp_path, path, "F01")
    assert message.endswith("F01 not UTF-8 (it starts with a UTF-16 byte-order mark: save the file as UTF-8)")


@pytest.mark.parametrize(("delimiter", "shown"), [(";", "';'"), ("\t", "'\\t'"), ("|", "'|'")])
def test_another_delimiter_is_f02_naming_it_and_the_table(tmp_path: Path, delimiter: str, shown: str) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv().replace(",", delimiter))
    assert _rejected(tmp_path, path, "F02").endswith(
        f"F02 column set matches no 903 table (the header is one column holding {shown}: the delimiter must be a "
        "comma; split on it, the columns are those of Episodes)"
    )


def test_zero_bytes_is_f01(tmp_path: Path) -> None:
    message = _rejected(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", b""), "F01")
    assert message.endswith("F01 empty file (0 bytes): no header row")


def test_broken_quoting_is_f01(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv('C900,"01/05/2025"x,S,C2,N1,U4,PR1,,,,,,'))
    assert "not well-formed CSV near line 51" in _rejected(tmp_path, path, "F01")


def test_unclosed_quote_is_f01(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv('C900,"01/05/2025,S,C2,N1,U4,PR1,,,,,,'))
    assert "unexpected end of data" in _rejected(tmp_path, path, "F01")


def test_duplicate_header_names_are_f04(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "header.csv", "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,mc_dob, MC_DOB \n")
    assert _rejected(tmp_path, path, "F04").endswith("F04 duplicate column names MC_DOB")


def test_extra_column_is_f02_naming_it(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(columns=EPISODE_COLUMNS + ",FOO", good=0))
    message = _rejected(tmp_path, path, "F02")
    assert message.endswith("F02 column set matches no 903 table (closest is Episodes: extra FOO)")


def test_missing_column_is_f02_naming_it(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", EPISODE_COLUMNS.removesuffix(",URN") + "\n")
    assert _rejected(tmp_path, path, "F02").endswith("(closest is Episodes: missing URN)")


def test_unknown_table_is_f02(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "contacts.csv", "cont_contact_id,cont_person_id\n1,2\n")
    message = _rejected(tmp_path, path, "F02")
    assert message.endswith(
        "F02 column set matches no 903 table (closest is Reviews: missing CHILD, DOB, REVIEW, REVIEW_CODE; "
        "extra CONT_CONTACT_ID, CONT_PERSON_ID)"
    )
    outcome = run(tmp_path, path)  # the same bytes again: the ledger already holds the rejection
    assert (outcome.outcome, outcome.table_name, outcome.rows_read) == ("rejected", None, 1)
    assert outcome.load_id.startswith("unrecognised-")


def test_non_csv_file_is_f02(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.xlsx", episodes_csv())
    assert _rejected(tmp_path, path, "F02").endswith("F02 not a .csv file: 903 tables are delivered as CSV")


def test_la_folder_that_is_not_an_la_code_is_f06(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(), la="Slough")
    assert "F06 folder 'Slough' is not an LA code" in _rejected(tmp_path, path, "F06")


def test_more_than_2_percent_rejected_rows_is_f07_with_the_rows_quarantined(tmp_path: Path) -> None:
    bad = ["C900,31/02/2025,S,C2,N1,U4,PR1,,,,,,", "C901,01/05/2025,S,ZZ,N1,U4,PR1,,,,,,"]
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(*bad, good=48)))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("rejected", 50, 0, 2)
    assert "F07 2 of 50 data rows rejected (4.0 %, more than 2 %): R01 x1, R02 x1" in outcome.message
    assert [(row["source_row"], row["field"], row["rule_code"]) for row in quarantine(tmp_path, outcome)] == [
        (50, "DECOM", "R01"),
        (51, "LS", "R02"),
    ]
    assert not (tmp_path / "landing" / "ssda903").exists()


def test_exactly_2_percent_rejected_rows_still_lands(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv("C900,31/02/2025,S,C2,N1,U4,PR1,,,,,,"))
    outcome = run(tmp_path, path)
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 50, 49, 1)


def test_manifest_la_code_mismatch_rejects_every_file_of_the_delivery_f08(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    episodes = deliver(inbound, "episodes.csv", episodes_csv(), manifest=manifest(la_code="E06000040"))
    header = deliver(inbound, "header.csv", header_csv("C001,M,01/01/2015,WBRI,UN1,,"))
    message = _rejected(tmp_path, episodes, "F08")
    assert message.endswith("F08 delivery manifest la_code 'E06000040' differs from the folder 'E06000039'")
    assert run(tmp_path, header).outcome == "rejected"
    assert run(tmp_path, episodes).table_name == "episodes"  # still recognised, so the mandatory check can name it


@pytest.mark.parametrize(
    ("override", "expected"),
    [
        ({"as_at_date": "2025-11-16"}, "as_at_date 2025-11-16 is outside 2025-10-31..2025-11-15"),
        ({"as_at_date": "2025-10-30"}, "as_at_date 2025-10-30 is outside"),
        ({"contract_version": "2.0"}, "contract_version '2.0' has an unknown major version"),
        ({"reporting_month": "2025-09"}, "reporting_month '2025-09' differs from the folder '2025-10'"),
    ],
)
def test_manifest_problems_are_f08(tmp_path: Path, override: dict, expected: str) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(), manifest=manifest(**override))
    assert expected in _rejected(tmp_path, path, "F08")


def test_manifest_without_required_keys_is_f08(tmp_path: Path) -> None:
    path = deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(), manifest={"contract_version": "1.0"})
    assert "lacks required keys la_code, reporting_month, as_at_date" in _rejected(tmp_path, path, "F08")


def test_manifest_sha_mismatch_is_f09_for_that_file_only(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    header = deliver(inbound, "header.csv", header_csv("C001,M,01/01/2015,WBRI,UN1,,"))
    files = [
        {"path": "903/episodes.csv", "table": "episodes", "rows": 49, "sha256": "0" * 64},
        {"path": "903/header.csv", "table": "header", "rows": 1, "sha256": sha256(header)},
    ]
    episodes = deliver(inbound, "episodes.csv", episodes_csv(), manifest=manifest(files=files))
    assert "F09 manifest sha256 000000000000... differs from the file's" in _rejected(tmp_path, episodes, "F09")
    assert run(tmp_path, header).outcome == "landed"


def test_manifest_row_count_mismatch_is_f09_and_unlisted_files_get_w09(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    episodes = deliver(inbound, "episodes.csv", episodes_csv())
    files = [{"path": "903/episodes.csv", "table": "episodes", "rows": 48, "sha256": sha256(episodes)}]
    header = deliver(inbound, "header.csv", header_csv("C001,M,01/01/2015,WBRI,UN1,,"), manifest=manifest(files=files))
    assert _rejected(tmp_path, episodes, "F09").endswith("F09 manifest says 48 data rows, the file has 49")
    outcome = run(tmp_path, header)
    assert (outcome.outcome, outcome.message) == ("landed", "W09 not listed in the delivery manifest")


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + episodes_csv(good=2).replace("\n", "\r\n").encode("utf-8")
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", content))
    assert (outcome.outcome, outcome.table_name, outcome.rows_landed, outcome.message) == (
        "landed",
        "episodes",
        2,
        None,
    )
    assert [row["child"] for row in landed_rows(tmp_path, outcome)] == ["C001", "C002"]


def test_header_only_file_lands_zero_rows(tmp_path: Path) -> None:
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", EPISODE_COLUMNS + "\n"))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 0, 0, 0)
    assert landed_rows(tmp_path, outcome) == []


def test_columns_in_another_order_and_lower_case_are_recognised(tmp_path: Path) -> None:
    content = " mc_dob ,Mother,upn,ethnic,dob,sex,child\n,,UN2,wbri,15/05/2012,m,C001\n"
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "kids.csv", content))
    assert (outcome.outcome, outcome.table_name, outcome.rows_landed) == ("landed", "header", 1)
    [row] = landed_rows(tmp_path, outcome)
    assert (row["child"], row["sex"], row["ethnic"], row["upn"], row["mother"]) == ("C001", "M", "WBRI", "UN2", None)


def test_swepisodes_before_2023_24_is_ignored_with_w02(tmp_path: Path) -> None:
    content = "CHILD,DOB,SW_ID,SW_DECOM,SW_DEC,SW_REASON\nC001,01/01/2010,SW1,01/01/2020,,\n"
    path = deliver(tmp_path / "inbound", "sw.csv", content, month="history/2020-21")
    message = _rejected(tmp_path, path, "W02")
    assert message.endswith("W02 SWEpisodes is collected from 2023-24; this 2020-21 file is ignored")


def test_an_unexpected_error_becomes_an_f01_rejection_outside_strict_mode(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import extract.extractor

    def broken(*args: object, **kwargs: object) -> None:
        raise KeyError("boom")

    monkeypatch.delenv(extract.extractor.STRICT_ENV)
    monkeypatch.setattr(extract.extractor, "check_rows", broken)
    outcome = run(tmp_path, deliver(tmp_path / "inbound", "episodes.csv", episodes_csv(good_episode(50), good=0)))
    assert outcome.outcome == "rejected"
    assert outcome.message.endswith("F01 unexpected error while checking the file (KeyError: 'boom')")
