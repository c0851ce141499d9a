"""CIN census XML (input contract §1.2): safe parsing, XSD validation by year, LEA check, flattening and keys."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from extract import extract_all
from extract.cin import dfe_la_number
from extract.cin.schema import xsd_year_for
from tests.extract.builders import LA, run
from tests.extract.family_builders import (
    cin_child,
    cin_details,
    cin_xml,
    cp_plan,
    deliver_to,
    issues,
    landed,
    rejected_alone,
)
from tests.helpers import tree_snapshot

NAME = "E06000039_cin_2025-26.xml"
ASSESSMENT = (
    "<Assessments><AssessmentActualStartDate>2025-05-02</AssessmentActualStartDate>"
    "<AssessmentAuthorisationDate>2025-05-20</AssessmentAuthorisationDate>"
    "<FactorsIdentifiedAtAssessment><AssessmentFactors>1B</AssessmentFactors>"
    "<AssessmentFactors>3A</AssessmentFactors></FactorsIdentifiedAtAssessment></Assessments>"
)
PLAN_DATES = "<CINPlanDates><CINPlanStartDate>2025-05-21</CINPlanStartDate></CINPlanDates>"
S47 = "<Section47><S47ActualStartDate>2025-05-25</S47ActualStartDate><ICPCnotRequired>0</ICPCnotRequired></Section47>"


def _deliver(root: Path, content: str | bytes, name: str = NAME, month: str = "2025-10") -> Path:
    return deliver_to(root / "inbound", "cin", name, content, month=month)


def _full_child() -> str:
    modules = ASSESSMENT + PLAN_DATES + S47
    disabilities = "<Disabilities><Disability>MOB</Disability><Disability>HEAR</Disability></Disabilities>"
    two_referrals = (
        cin_details(modules=modules, after_nfa=cp_plan(reviews=("2025-07-01", "2025-08-01"))) + cin_details()
    )
    return cin_child("C001", details=two_referrals, disabilities=disabilities)


def test_a_valid_file_lands_every_table_with_the_contract_keys_and_line_numbers(tmp_path: Path) -> None:
    outcome = run(tmp_path, _deliver(tmp_path, cin_xml(_full_child())))
    # child 1 + disabilities 2 + episodes 2 + assessment 1 + factors 2 + plan 1 + s47 1 + cp plan 1 + reviews 2 = 13
    assert (outcome.outcome, outcome.table_name, outcome.rows_read, outcome.rows_landed) == ("landed", "cin", 13, 13)
    assert (outcome.collection_year, outcome.message) == ("2025-26", None)
    assert outcome.load_id.startswith("cin-")
    [child] = landed(tmp_path, outcome, "cin", "child")
    assert (child["lachildid"], child["sex"], child["gendercurrent"], child["personbirthdate"]) == (
        "C001",
        "F",
        None,
        date(2015, 5, 1),
    )
    assert (child["source_row"], child["reporting_month"]) == (8, "2025-10")  # <Child> opens on line 8
    episodes = landed(tmp_path, outcome, "cin", "episode")
    # Two referrals on the same date: ordinals 1 and 2 in document order (§1.2.6).
    assert [row["cin_details_key"] for row in episodes] == [f"{LA}|C001|2025-05-01|1", f"{LA}|C001|2025-05-01|2"]
    assert [row["referralnfa"] for row in episodes] == [False, False]
    [assessment] = landed(tmp_path, outcome, "cin", "assessment")
    assert assessment["assessment_key"] == f"{LA}|C001|2025-05-01|1|2025-05-02|1"
    factors = landed(tmp_path, outcome, "cin", "factor")
    assert [(row["assessment_key"], row["assessmentfactors"]) for row in factors] == [
        (assessment["assessment_key"], "1B"),
        (assessment["assessment_key"], "3A"),
    ]
    [plan] = landed(tmp_path, outcome, "cin", "cp_plan")
    assert (plan["cpp_key"], plan["numberofpreviouscpp"]) == (f"{LA}|C001|2025-05-01|1|2025-06-01|1", 1)
    reviews = landed(tmp_path, outcome, "cin", "review")
    assert [(row["cpp_key"], row["cppreviewdate"]) for row in reviews] == [
        (plan["cpp_key"], date(2025, 7, 1)),
        (plan["cpp_key"], date(2025, 8, 1)),
    ]
    [s47] = landed(tmp_path, outcome, "cin", "s47")
    assert (s47["s47_key"], s47["icpcnotrequired"]) == (f"{LA}|C001|2025-05-01|1|2025-05-25|1", False)
    [dates] = landed(tmp_path, outcome, "cin", "plan_dates")
    assert dates["cin_plan_key"] == f"{LA}|C001|2025-05-01|1|2025-05-21|1"
    assert [row["disability"] for row in landed(tmp_path, outcome, "cin", "disability")] == ["MOB", "HEAR"]


def test_external_entity_is_refused_unread_f01(tmp_path: Path) -> None:
    prolog = '<!DOCTYPE Message [<!ENTITY leak SYSTEM "file:///etc/passwd">]>\n'
    content = cin_xml(cin_child("&leak;"), prolog=prolog)
    message = rejected_alone(tmp_path, _deliver(tmp_path, content), "F01")
    assert message.endswith("F01 has a DOCTYPE (DTD): DTDs and entities are refused unread (XXE, entity expansion)")


def test_billion_laughs_is_refused_unread_f01(tmp_path: Path) -> None:
    entities = '<!ENTITY a "lol">' + "".join(
        f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">' for n in range(9)
    )
    content = cin_xml(cin_child("&j;"), prolog=f"<!DOCTYPE Message [{entities}]>\n")
    assert "F01 has a DOCTYPE (DTD)" in rejected_alone(tmp_path, _deliver(tmp_path, content), "F01")


def test_any_dtd_is_refused_f01(tmp_path: Path) -> None:
    content = cin_xml(cin_child(), prolog='<!DOCTYPE Message SYSTEM "http://example.invalid/cin.dtd">\n')
    assert "F01 has a DOCTYPE" in rejected_alone(tmp_path, _deliver(tmp_path, content), "F01")


def test_gendercurrent_in_a_2025_26_file_is_f05_with_the_line(tmp_path: Path) -> None:
    content = cin_xml(cin_child("C001"), cin_child("C002", sex="<GenderCurrent>1</GenderCurrent>"))
    message = rejected_alone(tmp_path, _deliver(tmp_path, content), "F05")
    assert message.endswith(
        "F05 does not validate against CIN_schema_2026.xsd for 2025-26: line 14: Element 'GenderCurrent': This "
        "element is not expected. Expected is one of ( ExpectedPersonBirthDate, Sex )."
    )


def test_legacy_factor_18a_is_f05_although_the_shipped_xsd_keeps_it(tmp_path: Path) -> None:
    assessment = ASSESSMENT.replace(
        "<AssessmentFactors>3A</AssessmentFactors>", "<AssessmentFactors>18A</AssessmentFactors>"
    )
    content = cin_xml(cin_child(details=cin_details(modules=assessment)))
    message = rejected_alone(tmp_path, _deliver(tmp_path, content), "F05")
    assert "line 11: AssessmentFactors '18A' is not valid in schema year 2026: removed in 2020-21" in message


def test_a_year_without_its_own_xsd_uses_the_first_shipped_one_plus_the_year_rules(tmp_path: Path) -> None:
    assert (xsd_year_for(2021), xsd_year_for(2023), xsd_year_for(2025), xsd_year_for(2030)) == (2024, 2024, 2025, 2026)
    content = cin_xml(
        cin_child(sex="<GenderCurrent>2</GenderCurrent>", details=cin_details(source="5D")),
        reference_date="2022-03-31",
    )
    path = _deliver(tmp_path, content, name="cin_2021-22.xml", month="history/2021-22")
    message = rejected_alone(tmp_path, path, "F05")
    assert "line 11: ReferralSource '5D' is not valid in schema year 2022: added in 2022-23" in message


def test_wrong_lea_is_f06(tmp_path: Path) -> None:
    assert dfe_la_number(LA) == "871"
    message = rejected_alone(tmp_path, _deliver(tmp_path, cin_xml(cin_child(), lea="872")), "F06")
    assert message.endswith("F06 line 5: Header/Source/LEA 872 is not 871, the DfE LA number of E06000039")


def test_truncated_xml_is_f01(tmp_path: Path) -> None:
    content = cin_xml(cin_child())
    message = rejected_alone(tmp_path, _deliver(tmp_path, content[: len(content) // 2]), "F01")
    assert "F01 not well-formed XML: Premature end of data" in message


def test_not_utf8_is_f01(tmp_path: Path) -> None:
    content = cin_xml(cin_child("C\u00e9")).encode("cp1252")
    assert "F01 not UTF-8 (byte 0xe9 at offset" in rejected_alone(tmp_path, _deliver(tmp_path, content), "F01")


def test_utf16_is_f01_naming_its_byte_order_mark(tmp_path: Path) -> None:
    content = cin_xml(cin_child()).replace('encoding="UTF-8"', 'encoding="UTF-16"').encode("utf-16")
    message = rejected_alone(tmp_path, _deliver(tmp_path, content), "F01")
    assert message.endswith("F01 not UTF-8 (it starts with a UTF-16 byte-order mark: save the file as UTF-8)")


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    outcome = run(tmp_path, _deliver(tmp_path, b"\xef\xbb\xbf" + cin_xml(cin_child()).encode("utf-8")))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.message) == ("landed", 2, 2, None)
    assert [row["lachildid"] for row in landed(tmp_path, outcome, "cin", "child")] == ["C001"]


def test_a_declared_non_utf8_encoding_is_f01(tmp_path: Path) -> None:
    content = cin_xml(cin_child()).replace('encoding="UTF-8"', 'encoding="ISO-8859-1"')
    message = rejected_alone(tmp_path, _deliver(tmp_path, content), "F01")
    assert message.endswith("F01 declares encoding ISO-8859-1: CIN XML must be UTF-8")


def test_a_root_that_is_not_message_is_f02(tmp_path: Path) -> None:
    content = '<?xml version="1.0"?>\n<Census><Children/></Census>\n'
    assert rejected_alone(tmp_path, _deliver(tmp_path, content), "F02").endswith(
        "root element is 'Census', not Message (with no namespace)"
    )


def test_another_collection_or_a_namespaced_root_is_f02(tmp_path: Path) -> None:
    content = cin_xml(cin_child()).replace("<Collection>CIN<", "<Collection>SSDA903<")
    message = rejected_alone(tmp_path, _deliver(tmp_path, content), "F02")
    assert message.endswith("F02 line 4: Collection is 'SSDA903', not CIN")  # CollectionDetails is on line 4
    other = tmp_path / "namespaced"
    content = cin_xml(cin_child()).replace("<Message>", '<Message xmlns="http://www.example.invalid/cin">')
    assert rejected_alone(other, _deliver(other, content), "F02").endswith(
        "F02 root element is '{http://www.example.invalid/cin}Message', not Message (with no namespace)"
    )


def test_without_a_reference_date_the_year_comes_from_the_file_name(tmp_path: Path) -> None:
    # §1.2.1: ReferenceDate first, else the name token: a 2024-25 file in October 2025's delivery, checked against
    # the 2025 schema (Sex, not GenderCurrent, from 2024-25).
    content = cin_xml(cin_child(), reference_date=None)
    outcome = run(tmp_path, _deliver(tmp_path, content, name="E06000039_cin_2024-25.xml"))
    assert (outcome.outcome, outcome.collection_year, outcome.rows_landed, outcome.message) == (
        "landed",
        "2024-25",
        2,
        None,
    )


def test_no_child_is_f05(tmp_path: Path) -> None:
    message = rejected_alone(tmp_path, _deliver(tmp_path, cin_xml()), "F05")
    assert message.endswith("line 7: Element 'Children': Missing child element(s). Expected is ( Child ).")


def test_an_end_before_its_start_rejects_that_plan_and_its_reviews_only(tmp_path: Path) -> None:
    bad = cin_child("C900", details=cin_details(after_nfa=cp_plan("2025-06-01", "2025-05-01", ("2025-07-01",))))
    children = [cin_child(f"C{n:03d}") for n in range(1, 61)]  # 60 x (child + episode) = 120 records
    outcome = run(tmp_path, _deliver(tmp_path, cin_xml(*children, bad)))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == (
        "landed",
        124,
        122,
        2,
    )
    line = 8 + 60 * 5  # the bad Child opens on this line; its CINdetails is 3 lines further
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(line + 3, "CPPendDate", "R05"), (line + 3, None, "R05")]
    assert "C900" in [row["lachildid"] for row in landed(tmp_path, outcome, "cin", "child")]
    assert landed(tmp_path, outcome, "cin", "cp_plan") == []


def test_a_child_id_on_two_children_rejects_both_whole_r03(tmp_path: Path) -> None:
    children = [cin_child(f"C{n:03d}") for n in range(1, 101)] + [cin_child("C001")]
    outcome = run(tmp_path, _deliver(tmp_path, cin_xml(*children)))
    assert (outcome.outcome, outcome.rows_read, outcome.rows_landed, outcome.rows_quarantined) == (
        "landed",
        202,
        198,
        4,
    )
    assert issues(tmp_path, "_quarantine/rows", outcome) == [
        (8, "LAchildID", "R03"),
        (11, None, "R03"),
        (508, "LAchildID", "R03"),
        (511, None, "R03"),
    ]


def test_an_event_after_the_as_at_date_is_r06_and_too_many_rejections_are_f07(tmp_path: Path) -> None:
    content = cin_xml(cin_child("C001"), cin_child("C002", details=cin_details(referral="2025-11-02")))
    outcome = run(tmp_path, _deliver(tmp_path, content))
    assert outcome.outcome == "rejected"
    assert outcome.message.endswith("F07 1 of 4 data rows rejected (25.0 %, more than 2 %): R06 x1")
    assert issues(tmp_path, "_quarantine/rows", outcome) == [(16, "CINreferralDate", "R06")]


def test_extracting_a_cin_file_twice_is_unchanged_and_byte_identical(tmp_path: Path) -> None:
    _deliver(tmp_path, cin_xml(_full_child()))
    args = (tmp_path / "inbound", tmp_path / "landing", tmp_path / "archive", date(2025, 10, 31))
    [first] = extract_all(*args)
    before = tree_snapshot(tmp_path / "landing")
    [second] = extract_all(*args)
    assert (first.outcome, second.outcome, second.rows_landed) == ("landed", "unchanged", 13)
    assert tree_snapshot(tmp_path / "landing") == before
