"""The gov.uk bank-holidays.json as ref_bank_holidays (input contract §5), and the column-wise pass of the CSV
readers: rows it finds clean land as parsed, every other row gets the per-row findings."""

from __future__ import annotations

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

from tests.extract.builders import run
from tests.extract.family_builders import deliver_to, issues, landed, rejected_alone

POST = "post_id,funded_from,funded_to,cost_centre,job_family,frontline_case_holding,budgeted_fte,job_title"


def _gov_uk(events: list[dict], **others: object) -> str:
    divisions = {"england-and-wales": {"division": "england-and-wales", "events": events}}
    for name, division_events in others.items():
        divisions[name.replace("_", "-")] = {"division": name.replace("_", "-"), "events": division_events}
    return json.dumps(divisions)


def _event(day: str, title: str) -> dict:
    return {"title": title, "date": day, "notes": "", "bunting": True}


def test_the_gov_uk_json_lands_its_england_and_wales_events_in_the_csv_table(tmp_path: Path) -> None:
    content = _gov_uk(
        [_event("2025-12-25", "Christmas Day"), _event("2025-12-26", "Boxing Day")],
        scotland=[_event("2026-01-02", "2nd January")],
    )
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "ref", "bank-holidays.json", content))
    assert (outcome.outcome, outcome.table_name, outcome.rows_read, outcome.rows_landed) == (
        "landed",
        "ref_bank_holidays",
        2,
        2,
    )
    rows = landed(tmp_path, outcome, "ref", "bank_holidays")
    assert [(row["date"], row["title"], row["division"], row["source_row"]) for row in rows] == [
        (date(2025, 12, 25), "Christmas Day", "england-and-wales", 2),
        (date(2025, 12, 26), "Boxing Day", "england-and-wales", 3),
    ]


def test_a_bad_event_date_in_the_json_is_quarantined_like_a_csv_row(tmp_path: Path) -> None:
    events = [_event(f"20{year:02d}-01-01", "New Year's Day") for year in range(10, 70)]  # 60 good: 1 bad is < 2 %
    events.append(_event("2025-13-01", "Not a day"))
    outcome = run(
        tmp_path, deliver_to(tmp_path / "inbound", "ref", "E06000039_ref_bank_holidays.json", _gov_uk(events))
    )
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 61, 60, 1)
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(62, "date", "R01")]


def test_json_that_is_not_the_gov_uk_layout_is_rejected(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    message = rejected_alone(tmp_path, deliver_to(inbound, "ref", "bank-holidays.json", '{"scotland": {}}'), "F03")
    assert message.endswith("F03 no england-and-wales.events list (the gov.uk bank-holidays.json layout)")


def test_broken_json_is_f01(tmp_path: Path) -> None:
    path = deliver_to(tmp_path / "inbound", "ref", "bank-holidays.json", '{"england-and-wales": ')
    assert "F01 not well-formed JSON" in rejected_alone(tmp_path, path, "F01")


def test_utf16_json_is_f01_naming_its_byte_order_mark(tmp_path: Path) -> None:
    path = deliver_to(tmp_path / "inbound", "ref", "bank-holidays.json", '{"england-and-wales": {}}'.encode("utf-16"))
    message = rejected_alone(tmp_path, path, "F01")
    assert message.endswith("F01 not UTF-8 (it starts with a UTF-16 byte-order mark: save the file as UTF-8)")


def test_another_json_file_is_still_f02(tmp_path: Path) -> None:
    path = deliver_to(tmp_path / "inbound", "ref", "ref_onspd.json", "{}")
    assert "not a .csv file (.json)" in rejected_alone(tmp_path, path, "F02")


def _posts(*rows: str) -> str:
    good = [f"P{n:03d},2024-04-01,,M32B,QSW,Y,1.00,Social worker" for n in range(1, 50)]
    return "\n".join([POST, *good, *rows]) + "\n"


def test_rows_the_column_pass_cannot_clear_get_the_per_row_findings(tmp_path: Path) -> None:
    content = _posts(
        "P900,2024-04-01,,M32B,QSW,Y,1.00,NULL",  # row 51: a null literal an id/str type would take: W03, nulled
        "P901,2024-04-01,2024-03-31,M32B,QSW,Y,1.00,Social worker",  # row 52: every value clean, the ordering not
        "P902,2024-04-01,,M32B,qsw,yes,0.5,Social worker",  # row 53: lower case and 0.5: clean, normalised
    )
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "hr", "hr_post.csv", content))
    assert (outcome.rows_read, outcome.rows_landed) == (52, 51)
    assert issues(tmp_path, "_warnings", outcome) == [(51, "job_title", "W03")]
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(52, "funded_to", "R05")]
    rows = {row["post_id"]: row for row in landed(tmp_path, outcome, "hr", "post")}
    assert rows["P900"]["job_title"] is None
    assert (rows["P902"]["job_family"], rows["P902"]["frontline_case_holding"], rows["P902"]["budgeted_fte"]) == (
        "QSW",
        True,
        Decimal("0.50"),
    )
