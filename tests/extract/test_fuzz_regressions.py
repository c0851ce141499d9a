"""Reader bugs the fuzzers found (test_fuzz_csv.py, test_fuzz_cin.py), each pinned by the smallest file showing it.

Before each fix the file escaped the extractor as an exception (an F01 "unexpected error" outside the tests) or
wrote a message over two lines.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pyarrow.parquet as pq

from extract import extract_all
from tests.extract.builders import LA, episodes_csv, run
from tests.extract.family_builders import cin_child, cin_xml, deliver_to, issues, landed, rejected_alone

PROFESSIONALS = "prof_professional_id,prof_professional_caseload"
CONTACTS = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_outcome_json"
LEDGER = "ledger_line_id,fy,period,cost_centre,subjective_code,amount_gbp,line_type"


def _good_professionals(count: int = 49) -> list[str]:
    return [f"SW{n:03d},12" for n in range(1, count + 1)]


def test_a_whole_number_over_4300_digits_is_r01_not_a_python_limit_error(tmp_path: Path) -> None:
    # int("9" * 5000) raises ValueError (Python's integer-string limit) instead of giving a number.
    content = "\n".join([PROFESSIONALS, *_good_professionals(), "SW900," + "9" * 5000]) + "\n"
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "ssd", "ssd_professionals.csv", content))
    # 50 rows: the 49 good ones land, row 51 (49 good rows + header = lines 1..50) is quarantined; 1/50 = 2 %, not over.
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 50, 49, 1)
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(51, "prof_professional_caseload", "R01")]


def test_a_whole_number_past_bigint_is_r01_not_an_arrow_overflow(tmp_path: Path) -> None:
    # 2**63 = 9223372036854775808 does not fit the landed int64: Arrow raised OverflowError writing it.
    too_big, largest = "9223372036854775808", "9223372036854775807"
    content = "\n".join([PROFESSIONALS, *_good_professionals(48), f"SW900,{largest}", f"SW901,{too_big}"]) + "\n"
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "ssd", "ssd_professionals.csv", content))
    assert (outcome.outcome, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 49, 1)
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(51, "prof_professional_caseload", "R01")]
    rows = landed(tmp_path, outcome, "ssd", "professionals")
    assert rows[-1]["prof_professional_caseload"] == 2**63 - 1  # the largest BIGINT still lands


def test_a_903_whole_number_over_4300_digits_is_r01(tmp_path: Path) -> None:
    flags = "CONVICTED,HEALTH_CHECK,IMMUNISATIONS,TEETH_CHECK,HEALTH_ASSESSMENT,SUBSTANCE_MISUSE"
    header = f"CHILD,DOB,SDQ_SCORE,SDQ_REASON,{flags},INTERVENTION_RECEIVED,INTERVENTION_OFFERED"
    good = [f"C{n:03d},01/05/2015,10,,0,1,1,1,1,0,0,0" for n in range(1, 50)]
    content = "\n".join([header, *good, "C900,01/05/2015," + "9" * 5000 + ",,0,1,1,1,1,0,0,0"]) + "\n"
    folder = tmp_path / "inbound" / "E06000039" / "2025-10" / "903"
    folder.mkdir(parents=True)
    (folder / "oc2.csv").write_text(content)
    outcome = run(tmp_path, folder / "oc2.csv")
    assert (outcome.outcome, outcome.table_name, outcome.rows_landed, outcome.rows_quarantined) == (
        "landed",
        "oc2",
        49,
        1,
    )
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(51, "SDQ_SCORE", "R01")]


def test_json_nested_past_the_stack_or_with_a_huge_integer_is_r01(tmp_path: Path) -> None:
    # json.loads raises RecursionError on deep nesting and ValueError (not JSONDecodeError) on a 5000-digit number.
    good = [f"K{n:03d},C{n:03d},2025-10-01T09:30,{{}}" for n in range(1, 99)]
    deep, huge = '"' + "[" * 100_000 + '"', "9" * 5000
    content = "\n".join([CONTACTS, *good, f"K900,C900,2025-10-01T09:30,{deep}", f"K901,C901,2025-10-01,{huge}"])
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "ssd", "ssd_contacts.csv", content + "\n"))
    # 100 rows, 2 rejected = 2 %: not over F07's limit, so the file lands with rows 100 and 101 quarantined.
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == (
        "landed",
        100,
        98,
        2,
    )
    assert issues(tmp_path, "_quarantine/rows", outcome) == [
        (100, "cont_contact_outcome_json", "R01"),
        (101, "cont_contact_outcome_json", "R01"),
    ]


def test_a_quarantine_message_quoting_a_value_with_a_line_break_stays_one_line(tmp_path: Path) -> None:
    good = [f"L{n:03d},2025-26,2025-10,M32B,S100,1.00,ACTUAL" for n in range(1, 50)]
    content = "\n".join([LEDGER, *good, 'L900,2025-26,2025-10,M32B,S100,"1\n1",ACTUAL']) + "\n"
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "fin", "fin_ledger.csv", content))
    assert (outcome.outcome, outcome.rows_quarantined) == ("landed", 1)
    [row] = pq.read_table(tmp_path / "landing" / "_quarantine" / "rows" / f"{outcome.load_id}.parquet").to_pylist()
    assert (row["source_row"], row["field"], row["value"]) == (51, "amount_gbp", "1\n1")  # the raw value as delivered
    assert row["message"] == "amount_gbp '1\\n1' is not a decimal (digits, optional '-' and '.', nothing else)"


def test_a_cin_child_inside_header_is_f05_not_an_unexpected_error(tmp_path: Path) -> None:
    # The full walk flattened any Child ending at depth 2, so one inside Header was validated before the file's
    # collection year was known (CIN_schema_None.xsd: OSError, an F01 "unexpected error" outside the tests).
    document = cin_xml(cin_child("C001")).replace("  </Header>", cin_child("C002") + "  </Header>")
    path = deliver_to(tmp_path / "inbound", "cin", "E06000039_cin_2025-26.xml", document)
    message = rejected_alone(tmp_path, path, "F05")
    # Lines: 1 declaration, 2 Message, 3 Header, 4 CollectionDetails, 5 Source, 6 the misplaced Child.
    assert message.endswith(
        "F05 does not validate against CIN_schema_2026.xsd for 2025-26: line 6: "
        "Element 'Child': This element is not expected. Expected is ( Source )."
    )


def _episodes_with_manifest(root: Path, manifest: bytes) -> Path:
    path = deliver_to(root / "inbound", "903", "episodes.csv", episodes_csv())
    (path.parent.parent / "_delivery.json").write_bytes(manifest)
    return path


def test_a_manifest_nested_past_the_stack_rejects_the_delivery_f08(tmp_path: Path) -> None:
    # json.loads raised RecursionError (not JSONDecodeError) while the file's context was read, outside every check.
    path = _episodes_with_manifest(tmp_path, b"[" * 100_000)
    message = rejected_alone(tmp_path, path, "F08")
    assert message.endswith(
        "F08 delivery manifest _delivery.json is not readable JSON (nested too deeply or a number too long)"
    )


def test_a_manifest_holding_a_5000_digit_number_rejects_the_delivery_f08(tmp_path: Path) -> None:
    path = _episodes_with_manifest(tmp_path, b'{"contract_version": ' + b"9" * 5000 + b"}")
    assert "not readable JSON" in rejected_alone(tmp_path, path, "F08")


def test_a_bank_holidays_json_nested_past_the_stack_is_f01(tmp_path: Path) -> None:
    path = deliver_to(tmp_path / "inbound", "ref", "bank-holidays.json", b"[" * 100_000, month="la-ref")
    message = rejected_alone(tmp_path, path, "F01")
    assert message.endswith("F01 not readable JSON (nested too deeply or a number too long)")


def test_a_manifest_listing_impossible_paths_gives_one_line_f09s(tmp_path: Path) -> None:
    # A name longer than the file system allows made is_file() raise ENAMETOOLONG in the delivery pass; a name with
    # a line break made a two-line F09.
    files = [{"path": "903/" + "a" * 5000}, {"path": "903/line\nbreak.csv"}]
    manifest = {"contract_version": "1.0", "la_code": LA, "reporting_month": "2025-10", "as_at_date": "2025-10-31"}
    deliver_to(tmp_path / "inbound", "903", "episodes.csv", episodes_csv())
    (tmp_path / "inbound" / LA / "2025-10" / "_delivery.json").write_text(json.dumps({**manifest, "files": files}))
    outcomes = extract_all(tmp_path / "inbound", tmp_path / "landing", tmp_path / "archive", date(2025, 10, 31))
    missing = [outcome for outcome in outcomes if outcome.outcome == "rejected"]
    assert [outcome.message.split(": ", 1)[1] for outcome in missing] == [
        "F09 listed in the delivery manifest but absent from the delivery"
    ] * 2
    assert missing[1].source_file == f"{LA}/2025-10/903/line\nbreak.csv"  # the path as listed, in its own field
    assert missing[1].message.startswith(f"{LA}/2025-10/903/line\\nbreak.csv: F09 ")
