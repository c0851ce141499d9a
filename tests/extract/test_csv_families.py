"""The generic CSV families (input contract §0.2-§0.5, §2-§5, §11.2): recognition by name, header rules, types,
row rules, prohibited columns, conservation and idempotence."""

from __future__ import annotations

import gzip
import io
import struct
import zipfile
import zlib
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pyarrow.parquet as pq

from extract import extract_all, list_delivery_files
from extract.csv_families import REGISTRY
from tests.extract.builders import LA, run
from tests.extract.family_builders import deliver_to, issues, landed, rejected_alone
from tests.helpers import tree_snapshot

CONTACTS = "cont_contact_id,cont_person_id,cont_contact_date,cont_contact_source_code,local_decision_datetime"
POST = "post_id,funded_from,cost_centre,job_family,frontline_case_holding,budgeted_fte,job_title"


def _contacts(*extra: str, good: int = 49, columns: str = CONTACTS) -> str:
    rows = [f"K{n:03d},C{n:03d},2025-10-01T09:30,2A,2025-10-01T12:00" for n in range(1, good + 1)]
    return "\n".join([columns, *rows, *extra]) + "\n"


def _posts(*extra: str, good: int = 49, columns: str = POST) -> str:
    rows = [f"P{n:03d},2024-04-01,M32B,QSW,Y,1.00,Social worker" for n in range(1, good + 1)]
    return "\n".join([columns, *rows, *extra]) + "\n"


def _ssd(root: Path, name: str, content: str | bytes, month: str = "2025-10") -> Path:
    return deliver_to(root / "inbound", "ssd", name, content, month=month)


def test_a_valid_file_lands_typed_rows_under_its_family_and_table(tmp_path: Path) -> None:
    content = _contacts("K900,C900,2025-10-31 23:30+00:00,6,", good=2)
    outcome = run(tmp_path, _ssd(tmp_path, "E06000039_SSD_Contacts_20251103.csv", content))
    assert (outcome.outcome, outcome.table_name, outcome.rows_read, outcome.rows_landed) == (
        "landed",
        "ssd_contacts",
        3,
        3,
    )
    assert outcome.load_id.startswith("ssd_contacts-") and outcome.message is None
    rows = landed(tmp_path, outcome, "ssd", "contacts")
    # 09:30 London summer time is 08:30 UTC; an explicit +00:00 offset is kept as given.
    assert [(row["cont_contact_id"], row["cont_contact_date"], row["source_row"]) for row in rows] == [
        ("K001", datetime(2025, 10, 1, 8, 30, tzinfo=UTC), 2),
        ("K002", datetime(2025, 10, 1, 8, 30, tzinfo=UTC), 3),
        ("K900", datetime(2025, 10, 31, 23, 30, tzinfo=UTC), 4),
    ]
    assert rows[0]["local_decision_outcome"] is None  # an optional extension column that is absent lands null


def test_a_semicolon_delimited_file_is_f03_naming_the_delimiter(tmp_path: Path) -> None:
    content = _contacts(good=3).replace(",", ";")
    message = rejected_alone(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", content), "F03")
    assert message.endswith(
        "F03 required column(s) absent: cont_contact_id, cont_person_id, cont_contact_date "
        "(the header is one column holding ';': the delimiter must be a comma)"
    )


def test_a_bom_and_crlf_are_accepted_and_utf16_is_f01(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + _contacts(good=2).replace("\n", "\r\n").encode("utf-8")
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", content))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.message) == ("landed", 2, 2, None)
    assert [row["cont_contact_id"] for row in landed(tmp_path, outcome, "ssd", "contacts")] == ["K001", "K002"]
    other = tmp_path / "utf16"
    path = deliver_to(other / "inbound", "ssd", "ssd_contacts.csv", _contacts(good=2).encode("utf-16"))
    assert rejected_alone(other, path, "F01").endswith(
        "F01 not UTF-8 (it starts with a UTF-16 byte-order mark: save the file as UTF-8)"
    )


def test_a_missing_required_column_is_f03(tmp_path: Path) -> None:
    content = "cont_contact_id,cont_contact_date\nK1,2025-10-01T09:00\n"
    message = rejected_alone(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", content), "F03")
    assert message.endswith("F03 required column(s) absent: cont_person_id")


def test_header_names_are_trimmed_and_case_insensitive_and_duplicates_are_f04(tmp_path: Path) -> None:
    content = " CONT_CONTACT_ID ,Cont_Person_Id,cont_contact_date,cont_person_id\n"
    message = rejected_alone(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", content), "F04")
    assert message.endswith("F04 duplicate column names CONT_PERSON_ID")


def test_an_unknown_extra_column_is_ignored_with_w02(tmp_path: Path) -> None:
    content = _contacts(good=2, columns=CONTACTS + ",case_colour").replace("12:00\n", "12:00,blue\n")
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", content))
    assert (outcome.outcome, outcome.rows_landed, outcome.message) == ("landed", 2, "1 warnings (W02 x1)")
    assert issues(tmp_path, "_warnings", outcome) == [(1, "case_colour", "W02")]
    assert "case_colour" not in landed(tmp_path, outcome, "ssd", "contacts")[0]


def test_a_prohibited_column_is_dropped_with_w10_and_its_values_are_never_persisted(tmp_path: Path) -> None:
    header = "pers_person_id,pers_dob,pers_forename,pers_sex,nhs_number"
    content = f"{header}\nC001,2015-05-01,Zzyzxa,F,Q9Q9Q9Q9Q9\nC002,2016-06-02,Qwopzy,M,X8X8X8X8X8\n"
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_person.csv", content))
    assert (outcome.outcome, outcome.rows_landed, outcome.message) == ("landed", 2, "2 warnings (W10 x2)")
    assert issues(tmp_path, "_warnings", outcome) == [(1, "pers_forename", "W10"), (1, "nhs_number", "W10")]
    for path in [*(tmp_path / "landing").rglob("*"), *(tmp_path / "archive").rglob("*")]:
        if path.is_file():
            data = path.read_bytes()
            assert not any(secret in data for secret in (b"Zzyzxa", b"Qwopzy", b"Q9Q9Q9Q9Q9", b"X8X8X8X8X8")), path
            if path.suffix == ".parquet":
                assert "Zzyzxa" not in str(pq.read_table(path).to_pylist())
    assert not (tmp_path / "archive").exists()  # the raw bytes carry the column, so they are not archived
    assert [row["pers_dob"] for row in landed(tmp_path, outcome, "ssd", "person")] == [
        date(2015, 5, 1),
        date(2016, 6, 2),
    ]


def test_null_literals_are_null_with_w03(tmp_path: Path) -> None:
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", _contacts("K900,C900,2025-10-01T09:30,N/A,NULL")))
    assert (outcome.outcome, outcome.rows_landed) == ("landed", 50)
    assert issues(tmp_path, "_warnings", outcome) == [
        (51, "cont_contact_source_code", "W03"),
        (51, "local_decision_datetime", "W03"),
    ]
    last = landed(tmp_path, outcome, "ssd", "contacts")[-1]
    assert (last["cont_contact_source_code"], last["local_decision_datetime"]) == (None, None)


def test_a_date_in_a_datetime_column_is_midnight_london_with_w04(tmp_path: Path) -> None:
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", _contacts("K900,C900,2025-10-02,6,")))
    assert issues(tmp_path, "_warnings", outcome) == [(51, "cont_contact_date", "W04")]
    assert landed(tmp_path, outcome, "ssd", "contacts")[-1]["cont_contact_date"] == datetime(
        2025, 10, 1, 23, 0, tzinfo=UTC
    )


def test_an_enormous_field_longer_than_str_n_is_r01(tmp_path: Path) -> None:
    content = _posts("P900,2024-04-01,M32B,QSW,Y,1.00," + "x" * 100_000)
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "hr", "hr_post.csv", content))
    assert (outcome.outcome, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 49, 1)
    [row] = pq.read_table(tmp_path / "landing" / "_quarantine" / "rows" / f"{outcome.load_id}.parquet").to_pylist()
    assert (row["source_row"], row["field"], row["rule_code"], row["value"]) == (51, "job_title", "R01", None)
    assert row["message"] == "job_title is longer than 100 characters"


def test_a_field_past_the_csv_modules_128_kib_limit_is_r01_not_a_file_rejection(tmp_path: Path) -> None:
    # Python's csv refuses a field over 131,072 characters by default ("field larger than field limit"), which used to
    # reject the whole well-formed file (F01); a value too long for its column is the row's R01 (§0.5). One file read
    # by the Arrow path (no quote character) and one by the csv module (quoted), each 1,000,000 characters long.
    for name, value in (("plain", "x" * 1_000_000), ("quoted", '"' + "x" * 1_000_000 + '"')):
        root = tmp_path / name
        outcome = run(
            root, deliver_to(root / "inbound", "hr", "hr_post.csv", _posts(f"P900,2024-04-01,M32B,QSW,Y,1.00,{value}"))
        )
        assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == (
            "landed",
            50,
            49,
            1,
        ), name
        [row] = pq.read_table(root / "landing" / "_quarantine" / "rows" / f"{outcome.load_id}.parquet").to_pylist()
        assert (row["source_row"], row["field"], row["rule_code"], row["value"]) == (51, "job_title", "R01", None)
        assert row["message"] == "job_title is longer than 100 characters"
        assert issues(root, "_warnings", outcome) == []
        assert [r["post_id"] for r in landed(root, outcome, "hr", "post")] == [f"P{n:03d}" for n in range(1, 50)]


def test_a_decimal_with_a_comma_or_too_many_places_is_r01(tmp_path: Path) -> None:
    content = _posts('P900,2024-04-01,M32B,QSW,Y,"1,5",SW', "P901,2024-04-01,M32B,QSW,Y,0.755,SW", good=98)
    outcome = run(tmp_path, deliver_to(tmp_path / "inbound", "hr", "hr_post.csv", content))
    assert (outcome.outcome, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 98, 2)
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(100, "budgeted_fte", "R01"), (101, "budgeted_fte", "R01")]
    assert landed(tmp_path, outcome, "hr", "post")[0]["budgeted_fte"] == Decimal("1.00")


def test_a_la_code_column_that_differs_from_the_folder_is_f06(tmp_path: Path) -> None:
    header = "la_code,pep_id,person_id,pep_date,pep_status"
    content = f"{header}\nE06000039,1,C1,2025-09-01,DRAFT\nE06000040,2,C2,2025-09-01,DRAFT\n"
    message = rejected_alone(tmp_path, deliver_to(tmp_path / "inbound", "local", "local_peps.csv", content), "F06")
    assert message.endswith("F06 la_code 'E06000040' on line 3 differs from the folder E06000039")


def test_a_file_name_prefix_of_another_la_is_f06(tmp_path: Path) -> None:
    path = _ssd(tmp_path, "E06000040_ssd_contacts.csv", _contacts(good=1))
    assert rejected_alone(tmp_path, path, "F06").endswith(
        "F06 file name prefix E06000040 differs from the folder E06000039"
    )


def test_a_conflicting_duplicate_key_rejects_both_rows_r03(tmp_path: Path) -> None:
    rows = ("K001,C001,2025-10-01T09:30,2A,2025-10-01T12:00", "K001,C001,2025-10-01T09:30,3A,2025-10-01T12:00")
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", _contacts(*rows[1:], good=99)))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 100, 98, 2)
    assert issues(tmp_path, "_quarantine/rows", outcome) == [
        (2, "cont_contact_id", "R03"),
        (101, "cont_contact_id", "R03"),
    ]


def test_an_empty_file_is_f01(tmp_path: Path) -> None:
    message = rejected_alone(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", b""), "F01")
    assert message.endswith("F01 empty file (0 bytes): no header row")


def test_a_header_only_file_lands_zero_rows(tmp_path: Path) -> None:
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_contacts.csv", CONTACTS + "\n"))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 0, 0, 0)
    assert landed(tmp_path, outcome, "ssd", "contacts") == []


def _refuse_to_open(*args: object, **kwargs: object) -> None:
    raise AssertionError("the extract layer opened a zip archive")


def _zip_bomb(name: str, gib: int) -> bytes:
    """A one-member zip whose member inflates to `gib` GiB of zero bytes, from about 1 MB per GiB: one deflate block
    of 16 MiB of zeros, ended by a full flush (byte-aligned, no back-references across it), repeated, then the final
    empty block. Written by hand because zipfile would have to compress the gigabytes to write it. The CRC is the real
    one, so the archive is a valid zip that an unzipper would really inflate."""
    chunk_size = 16 << 20
    zeros = bytes(chunk_size)
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15)
    chunk = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    count = (gib << 30) // chunk_size
    data = chunk * count + compressor.flush(zlib.Z_FINISH)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    size, encoded = count * chunk_size, name.encode()
    fields = struct.pack("<HHHHHIII", 20, 0, 8, 0, 0x21, crc, len(data), size)  # deflate, dated 1980-01-01
    local = b"PK\x03\x04" + fields + struct.pack("<HH", len(encoded), 0) + encoded
    central = b"PK\x01\x02" + struct.pack("<H", 20) + fields + struct.pack("<HHHHHII", len(encoded), 0, 0, 0, 0, 0, 0)
    central += encoded
    end = b"PK\x05\x06" + struct.pack("<HHHHIIH", 0, 0, 1, 1, len(central), len(local) + len(data), 0)
    return local + data + central + end


def test_an_xlsx_is_f02_without_being_opened_even_a_zip_bomb(tmp_path: Path, monkeypatch) -> None:
    bomb = _zip_bomb("xl/worksheets/sheet1.xml", 3)
    with zipfile.ZipFile(io.BytesIO(bomb)) as archive:  # a real archive: 3 GiB of zeros from about 3 MB
        [member] = archive.infolist()
        assert (member.file_size, member.compress_size < 4 << 20) == (3 << 30, True)
        with archive.open(member) as inflating:
            assert inflating.read(1 << 20) == bytes(1 << 20)
    path = deliver_to(tmp_path / "inbound", "hr", "hr_post.xlsx", bomb)
    # Recognition is by name: the archive is never opened (an attempt would fail the test here).
    monkeypatch.setattr(zipfile, "ZipFile", _refuse_to_open)
    message = rejected_alone(tmp_path, path, "F02")
    assert message.endswith("F02 not a .csv file (.xlsx): hr tables are delivered as CSV only (input contract §0.1)")


def test_an_unknown_name_and_a_table_in_the_wrong_family_are_f02(tmp_path: Path) -> None:
    unknown = rejected_alone(tmp_path, _ssd(tmp_path, "contacts.csv", _contacts(good=1)), "F02")
    assert unknown.endswith("F02 file name matches no ssd table of the input contract (e.g. ssd_person.csv)")
    wrong = run(tmp_path, deliver_to(tmp_path / "inbound", "hr", "ssd_contacts.csv", _contacts(good=1)))
    assert wrong.message.endswith("F02 ssd_contacts is a ssd table: deliver it in the ssd/ folder")


def test_an_ssd_table_v1_does_not_read_is_ignored_with_w02(tmp_path: Path) -> None:
    message = rejected_alone(tmp_path, _ssd(tmp_path, "ssd_ehcp_requests.csv", "a,b\n1,2\n"), "W02")
    assert message.endswith("W02 ssd_ehcp_requests is not read in v1 (input contract §2.1): the file is ignored")


def test_a_future_event_is_r06_and_an_end_before_its_start_is_r05(tmp_path: Path) -> None:
    header = (
        "invo_involvements_id,invo_person_id,invo_professional_id,invo_professional_role_id,invo_professional_team,"
    )
    header += "invo_involvement_start_date,invo_involvement_end_date"
    rows = [f"I{n:03d},C{n:03d},W1,Allocated social worker,T1,2025-01-01," for n in range(1, 99)]
    rows += ["I900,C900,W1,ALLOCATED_SW,T1,2025-11-01,", "I901,C901,W1,ALLOCATED_SW,T1,2025-06-01,2025-05-01"]
    outcome = run(tmp_path, _ssd(tmp_path, "ssd_involvements.csv", "\n".join([header, *rows]) + "\n"))
    assert (outcome.outcome, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 98, 2)
    assert issues(tmp_path, "_quarantine/rows", outcome) == [
        (100, "invo_involvement_start_date", "R06"),
        (101, "invo_involvement_end_date", "R05"),
    ]
    # A role the contract maps through ref_local_code_map lands as delivered, for staging to map.
    assert landed(tmp_path, outcome, "ssd", "involvements")[0]["invo_professional_role_id"] == "Allocated social worker"


# family -> (file, header, good row template, a bad row, the bad row's finding)
FAMILY_FILES = {
    "fin": (
        "fin_ledger.csv",
        "ledger_line_id,fy,period,cost_centre,subjective_code,amount_gbp,line_type",
        "L{n},2025-26,2025-09,M32B,S1,-1250.50,ACTUAL",
        "L900,2025-26,2025-09,M32B,S1,£12,ACTUAL",
        (62, "amount_gbp", "R01"),
    ),
    "hr": (
        "hr_leaver.csv",
        "person_id,leave_date,contract_type,reason,voluntary",
        "H{n},2025-09-01,PERM,RESIGNATION,yes",
        "H900,2025-09-01,PERM,RESIGNATION,maybe",
        (62, "voluntary", "R01"),
    ),
    "local": (
        "local_audits.csv",
        "audit_id,audit_date,audit_type,grade",
        "A{n},2025-09-01,CORE,G",
        "A900,2025-13-01,CORE,G",
        (62, "audit_date", "R01"),
    ),
    "ref": (
        "ref_subjective_map.csv",
        "subjective_code,description,subjective_group",
        "S{n},Pay,PAY",
        ",Pay,PAY",
        (62, "subjective_code", "R04"),
    ),
    "ssd": (
        "ssd_cin_visits.csv",
        "cinv_cin_visit_id,cinv_person_id,cinv_cin_visit_date,cinv_cin_visit_seen_alone",
        "V{n},C{n},2025-09-01,NA",
        "V900,C900,01/09/2025,Y",
        (62, "cinv_cin_visit_date", "R01"),
    ),
}


def test_conservation_in_every_family(tmp_path: Path) -> None:
    for family, (name, header, template, bad, _finding) in FAMILY_FILES.items():
        rows = [template.format(n=n) for n in range(1, 60)]
        content = "\n".join([header, *rows, rows[0], bad]) + "\n"  # 59 good rows, an exact duplicate, a bad row
        deliver_to(tmp_path / "inbound", family, name, content)
    outcomes = extract_all(tmp_path / "inbound", tmp_path / "landing", tmp_path / "archive", date(2025, 10, 31))
    assert [(o.table_name, o.outcome, o.rows_read, o.rows_landed, o.rows_quarantined) for o in outcomes] == [
        ("fin_ledger", "landed", 61, 59, 2),
        ("hr_leaver", "landed", 61, 59, 2),
        ("local_audits", "landed", 61, 59, 2),
        ("ref_subjective_map", "landed", 61, 59, 2),
        ("ssd_cin_visits", "landed", 61, 59, 2),
    ]
    for outcome, (family, spec) in zip(outcomes, FAMILY_FILES.items(), strict=True):
        assert issues(tmp_path, "_quarantine/rows", outcome) == [(61, None, "W01"), spec[4]]
        folder = outcome.table_name.removeprefix(f"{family}_")
        assert len(landed(tmp_path, outcome, family, folder)) == 59


def test_la_level_reference_files_and_parts_land_and_a_rerun_is_unchanged(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    onspd = "pcds,oseast1m,osnrth1m,oslaua\nsl12el,497000,179000,E06000039\n"
    deliver_to(inbound, "ref", "ref_onspd_part01.csv", onspd, month="la-ref")
    deliver_to(inbound, "ref", "ref_onspd_part02.csv", onspd.replace("sl12el", "SL1 1AA"), month="la-ref")
    deliver_to(inbound, "hr", "hr_post.csv", _posts(good=2))
    args = (inbound, tmp_path / "landing", tmp_path / "archive", date(2025, 10, 31))
    first = extract_all(*args)
    assert [(o.source_file, o.table_name, o.outcome, o.reporting_month) for o in first] == [
        (f"{LA}/2025-10/hr/hr_post.csv", "hr_post", "landed", "2025-10"),
        (f"{LA}/ref/ref_onspd_part01.csv", "ref_onspd", "landed", None),
        (f"{LA}/ref/ref_onspd_part02.csv", "ref_onspd", "landed", None),
    ]
    assert [row["pcds"] for row in landed(tmp_path, first[1], "ref", "onspd")] == ["SL1 2EL"]
    before = tree_snapshot(tmp_path / "landing")
    assert [o.outcome for o in extract_all(*args)] == ["unchanged"] * 3
    assert tree_snapshot(tmp_path / "landing") == before


def test_list_delivery_files_reads_every_family_folder(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    for folder in ("903", "cin", "ssd", "local", "hr", "fin", "ref"):
        deliver_to(inbound, folder, f"{folder}.csv", "x")
    deliver_to(inbound, "cin", "old.xml", "x", month="history/2023-24")
    deliver_to(inbound, "ref", "ref_onspd.csv", "x", month="la-ref")
    deliver_to(inbound, "ssd", "late.csv", "x", month="2025-11")
    deliver_to(inbound, "misc", "other.csv", "x")
    listed = [path.relative_to(inbound / LA).as_posix() for path in list_delivery_files(inbound, date(2025, 10, 31))]
    assert listed == [
        "2025-10/903/903.csv",
        "2025-10/cin/cin.csv",
        "2025-10/fin/fin.csv",
        "2025-10/hr/hr.csv",
        "2025-10/local/local.csv",
        "2025-10/ref/ref.csv",
        "2025-10/ssd/ssd.csv",
        "history/cin/2023-24/old.xml",
        "ref/ref_onspd.csv",
    ]


def test_every_mandatory_table_of_section_9_1_is_in_the_registry() -> None:
    mandatory = {spec.name for spec in REGISTRY.tables if spec.tier == "M"}
    assert mandatory == {
        *("ssd_person", "ssd_department", "ssd_professionals", "ssd_involvements", "ssd_contacts"),
        *("ssd_cin_visits", "ssd_cp_visits", "ssd_cla_visits", "ssd_care_leavers"),
        *("hr_post", "hr_employee", "hr_agency_assignment", "hr_leaver", "hr_absence"),
        *("fin_ledger", "fin_budget", "fin_forecast"),
        *("ref_la_profile", "ref_onspd", "ref_bank_holidays", "ref_subjective_map", "ref_cost_centre_map"),
    }


def test_a_ledger_period_outside_its_financial_year_is_r05(tmp_path: Path) -> None:
    # 2025-26 runs from 2025-04 to 2026-03: both ends land, 2025-03 and 2026-04 do not (contract §4.2).
    header = "ledger_line_id,fy,period,cost_centre,subjective_code,amount_gbp,line_type"
    rows = [f"L{n:03d},2025-26,2025-09,M32B,S1,100.00,ACTUAL" for n in range(1, 97)]
    rows += [
        "L901,2025-26,2025-04,M32B,S1,1.00,ACTUAL",
        "L902,2025-26,2026-03,M32B,S1,1.00,ACTUAL",
        "L903,2025-26,2025-03,M32B,S1,1.00,ACTUAL",
        "L904,2025-26,2026-04,M32B,S1,1.00,ACTUAL",
    ]
    path = deliver_to(tmp_path / "inbound", "fin", "fin_ledger.csv", "\n".join([header, *rows]) + "\n")
    outcome = run(tmp_path, path)
    # 100 rows, 2 rejected = 2 %: not over F07's limit, so the file lands with rows 100 and 101 quarantined.
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 100, 98, 2)
    found = pq.read_table(tmp_path / "landing" / "_quarantine" / "rows" / f"{outcome.load_id}.parquet").to_pylist()
    assert [(row["source_row"], row["field"], row["value"], row["rule_code"], row["message"]) for row in found] == [
        (100, "period", "2025-03", "R05", "period is outside its financial year (fy 2025-26)"),
        (101, "period", "2026-04", "R05", "period is outside its financial year (fy 2025-26)"),
    ]
    assert issues(tmp_path, "_warnings", outcome) == []
    assert [row["ledger_line_id"] for row in landed(tmp_path, outcome, "fin", "ledger")][-2:] == ["L901", "L902"]


def test_overlapping_perm_assignments_over_1_5_fte_are_r05_on_the_later_row(tmp_path: Path) -> None:
    header = "person_id,post_id,contract_type,fte,start_date,end_date,employment_start_date"
    rows = [f"H{n:03d},P{n:03d},PERM,1.00,2024-01-01,,2024-01-01" for n in range(1, 95)]
    rows += [
        # A: 1.0 from January, 0.5 from March (1.5: at the cap, kept), 0.2 from June (1.7 on 1 June: R05, row 98).
        "A1,P1,PERM,1.00,2025-01-01,,2025-01-01",
        "A1,P2,PERM,0.50,2025-03-01,,2025-01-01",
        "A1,P3,PERM,0.20,2025-06-01,,2025-01-01",
        # B: 1.0 to 31 May, then 1.0 from 31 May (2.0 on the shared last day, ends inclusive: R05, row 100);
        # a 0.8 FTC overlapping is not PERM and lands.
        "B1,P1,PERM,1.00,2025-01-01,2025-05-31,2025-01-01",
        "B1,P2,PERM,1.00,2025-05-31,,2025-01-01",
        "B1,P3,FTC,0.80,2025-02-01,,2025-01-01",
    ]
    path = deliver_to(tmp_path / "inbound", "hr", "hr_employee.csv", "\n".join([header, *rows]) + "\n")
    outcome = run(tmp_path, path)
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == ("landed", 100, 98, 2)
    found = pq.read_table(tmp_path / "landing" / "_quarantine" / "rows" / f"{outcome.load_id}.parquet").to_pylist()
    assert [(row["source_row"], row["field"], row["rule_code"], row["message"]) for row in found] == [
        (98, "fte", "R05", "fte 1.70 of overlapping PERM assignments on 2025-06-01 is over 1.5"),
        (100, "fte", "R05", "fte 2.00 of overlapping PERM assignments on 2025-05-31 is over 1.5"),
    ]
    assert issues(tmp_path, "_warnings", outcome) == []
    kept = [(row["person_id"], row["post_id"]) for row in landed(tmp_path, outcome, "hr", "employee")][-4:]
    assert kept == [("A1", "P1"), ("A1", "P2"), ("B1", "P1"), ("B1", "P3")]


def test_a_compressed_csv_is_f02_saying_so(tmp_path: Path) -> None:
    # Not "matches no table": the name without .gz is a known table, and what is wrong is the compression.
    path = deliver_to(tmp_path / "inbound", "ssd", "ssd_contacts.csv.gz", gzip.compress(_contacts(good=1).encode()))
    message = rejected_alone(tmp_path, path, "F02")
    assert message.endswith(
        "F02 a compressed file (.gz): ssd tables are delivered as uncompressed CSV (input contract §0.1)"
    )


def test_a_doubled_byte_order_mark_is_f01_naming_it(tmp_path: Path) -> None:
    # One BOM is stripped (§0.4); a second would make the first column's name wrong by an invisible character.
    bom = "\ufeff"
    path = deliver_to(tmp_path / "inbound", "ssd", "ssd_contacts.csv", (bom + bom + _contacts(good=1)).encode())
    message = rejected_alone(tmp_path, path, "F01")
    assert message.endswith("F01 starts with two UTF-8 byte-order marks (EF BB BF twice): save it once as UTF-8")


def test_a_compressed_csv_keeps_the_table_its_name_names(tmp_path: Path) -> None:
    # The LA prefix and the .gz are both read off, so the rejection is recorded against ssd_contacts.
    name = "E06000039_ssd_contacts.csv.gz"
    path = deliver_to(tmp_path / "inbound", "ssd", name, gzip.compress(_contacts(good=1).encode()))
    outcome = run(tmp_path, path)
    assert (outcome.outcome, outcome.table_name) == ("rejected", "ssd_contacts")
    assert "F02 a compressed file (.gz)" in outcome.message
