"""The CIN census files: valid against the DfE XSD of their year, in scope, nothing after the as_at date, the
header and manifest entries right."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from lxml import etree

from synth.cin.census import census_xml, in_scope, xsd_year
from tests.synth.cin.conftest import LA, Organisation, xsd_path

FILES = {
    "history/cin/2023-24": ("2023-24", date(2024, 3, 31), 2024),
    "history/cin/2024-25": ("2024-25", date(2025, 3, 31), 2025),
    "history/cin/2025-26": ("2025-26", date(2026, 3, 31), 2026),
    "2026-09": ("2026-27", date(2026, 9, 30), 2026),
    "2026-10": ("2026-27", date(2026, 10, 31), 2026),
}


def _read(organisation: Organisation, folder: str) -> tuple[bytes, dict]:
    (entry,) = organisation.entries[folder]
    return (organisation.inbound / LA / folder / entry["path"]).read_bytes(), entry


def test_the_files_written_and_their_manifest_entries(organisation: Organisation) -> None:
    assert set(organisation.entries) == set(FILES)
    for folder, (cy, _, _) in FILES.items():
        data, entry = _read(organisation, folder)
        prefix = "" if folder.startswith("history") else "cin/"
        assert entry["path"] == f"{prefix}{LA}_cin_{cy}.xml" and entry["table"] == "cin"
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        assert entry["rows"] == data.count(b"<Child>") > 1000


@pytest.mark.parametrize("folder", list(FILES))
def test_each_file_is_valid_against_the_xsd_of_its_schema_year(organisation: Organisation, folder: str) -> None:
    cy, _as_at, year = FILES[folder]
    assert xsd_year(cy) == year
    schema = etree.XMLSchema(etree.parse(str(xsd_path(year))))
    data, _ = _read(organisation, folder)
    document = etree.fromstring(data)
    assert schema.validate(document), schema.error_log
    assert document.findtext("Header/Source/LEA") == "871"
    assert document.findtext("Header/CollectionDetails/Year") == str(int(cy[:4]) + 1)
    assert document.findtext("Header/CollectionDetails/ReferenceDate") == f"{int(cy[:4]) + 1}-03-31"
    sex = "GenderCurrent" if year <= 2024 else "Sex"
    assert len(document.findall(f"Children/Child/ChildIdentifiers/{sex}")) == len(document.findall("Children/Child"))


@pytest.mark.parametrize("folder", list(FILES))
def test_nothing_after_as_at_and_every_episode_in_scope(organisation: Organisation, folder: str) -> None:
    cy, as_at, _ = FILES[folder]
    first = date(int(cy[:4]), 4, 1).isoformat()
    document = etree.fromstring(_read(organisation, folder)[0])
    later_ok = {"ExpectedPersonBirthDate", "InitialCPCtarget"}  # the only dates that may lie ahead
    for element in document.find("Children").iter():
        if element.tag not in later_ok and element.text and element.text[:4].isdigit() and len(element.text) == 10:
            assert element.text <= as_at.isoformat(), (element.tag, element.text)
    for details in document.iter("CINdetails"):
        closure = details.findtext("CINclosureDate")
        assert closure is None or closure >= first
        for tag in ("AssessmentAuthorisationDate", "CPPendDate", "CINPlanEndDate", "DateOfInitialCPC"):
            assert all(element.text >= first for element in details.iter(tag))


def test_scope_follows_the_collection_year(organisation: Organisation) -> None:
    """An episode closed on 31 March is in that year's file and not in the next one's."""
    closed = [
        (child, referral)
        for child in organisation.cin
        for referral in child.referrals
        if referral.closure == date(2025, 3, 31).toordinal()
    ]
    assert closed
    child, referral = closed[0]
    assert referral in in_scope(child, date(2024, 4, 1).toordinal(), date(2025, 3, 31).toordinal())
    assert referral not in in_scope(child, date(2025, 4, 1).toordinal(), date(2026, 3, 31).toordinal())


def test_unborn_children_show_an_expected_birth_date_and_sex_u(organisation: Organisation) -> None:
    document = etree.fromstring(_read(organisation, "2026-10")[0])
    unborn = [ids for ids in document.iter("ChildIdentifiers") if ids.find("ExpectedPersonBirthDate") is not None]
    assert unborn
    assert all(ids.findtext("Sex") == "U" and ids.find("PersonBirthDate") is None for ids in unborn)


def test_years_without_their_own_xsd_use_the_nearest() -> None:
    assert (xsd_year("2022-23"), xsd_year("2026-27"), xsd_year("2029-30")) == (2024, 2026, 2026)


def test_old_years_follow_their_own_code_lists(organisation: Organisation) -> None:
    """No CINPlanDates before 2021-22, GenderCurrent before 2024-25, 18A/19A (not 18B/18C) before 2020-21."""
    data, _ = census_xml(organisation.cin, LA, "2020-21", date(2021, 3, 31))
    assert b"<CINPlanDates>" not in data and b"<GenderCurrent>" in data and b"<Sex>" not in data
    assert b"<AssessmentFactors>18C</AssessmentFactors>" in data
    data, _ = census_xml(organisation.cin, LA, "2019-20", date(2020, 3, 31))
    assert b"<AssessmentFactors>18C</AssessmentFactors>" not in data
    assert b"<AssessmentFactors>18A</AssessmentFactors>" in data
