"""The mandatory-input gate (input contract §9.1): Header and Episodes of the month, landed, with rows."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from extract import MandatoryInputError, check_mandatory_inputs, extract_all
from tests.extract.builders import EPISODE_COLUMNS, LA, deliver, episodes_csv, header_csv, manifest

AS_OF = date(2025, 10, 31)
HEADER = header_csv(*(f"C00{index},M,15/05/2012,WBRI,UN1,," for index in (1, 2, 3)))  # the children of episodes_csv


def _outcomes(root: Path) -> list[dict]:
    outcomes = extract_all(root / "inbound", root / "landing", root / "archive", AS_OF)
    return [outcome.to_dict() for outcome in outcomes]


def _history(inbound: Path) -> None:
    """A complete return for 2024-25, whose reporting month (2025-03) is not the run's month."""
    deliver(inbound, "header.csv", header_csv("C001,M,15/05/2012,WBRI,UN1,,"), month="history/2024-25")


def test_a_complete_delivery_passes_and_a_rerun_with_unchanged_files_passes(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    deliver(inbound, "episodes.csv", episodes_csv(good=3), manifest=manifest())
    deliver(inbound, "header.csv", HEADER)
    deliver(inbound, "episodes.csv", episodes_csv(good=1), month="2025-09")  # an earlier month: not checked
    check_mandatory_inputs(_outcomes(tmp_path), AS_OF)
    rerun = _outcomes(tmp_path)
    assert {outcome["outcome"] for outcome in rerun} == {"unchanged"}
    assert [outcome["rows_landed"] for outcome in rerun] == [1, 3, 3]
    check_mandatory_inputs(rerun, AS_OF)


def test_absent_episodes_block(tmp_path: Path) -> None:
    deliver(tmp_path / "inbound", "header.csv", HEADER)
    with pytest.raises(MandatoryInputError) as raised:
        check_mandatory_inputs(_outcomes(tmp_path), AS_OF)
    assert str(raised.value) == f"{LA} 2025-10 903 episodes: absent"


def test_unreadable_file_is_named_when_episodes_are_absent(tmp_path: Path) -> None:
    deliver(tmp_path / "inbound", "header.csv", HEADER)
    deliver(tmp_path / "inbound", "E06000039_903_2025-26_episodes.csv", b"\xff\xfe")
    with pytest.raises(
        MandatoryInputError, match=r"903 episodes: absent \(unrecognised files in the delivery: .*F01 not UTF-8"
    ):
        check_mandatory_inputs(_outcomes(tmp_path), AS_OF)


def test_rejected_episodes_block_with_the_reason(tmp_path: Path) -> None:
    deliver(tmp_path / "inbound", "header.csv", HEADER)
    deliver(tmp_path / "inbound", "episodes.csv", episodes_csv("C900,31/02/2025,S,C2,N1,U4,PR1,,,,,,", good=1))
    with pytest.raises(MandatoryInputError) as raised:
        check_mandatory_inputs(_outcomes(tmp_path), AS_OF)
    assert str(raised.value) == (
        f"{LA} 2025-10 903 episodes: rejected: {LA}/2025-10/903/episodes.csv: "
        "F07 1 of 2 data rows rejected (50.0 %, more than 2 %): R01 x1"
    )


def test_header_only_episodes_block(tmp_path: Path) -> None:
    deliver(tmp_path / "inbound", "header.csv", HEADER)
    deliver(tmp_path / "inbound", "episodes.csv", EPISODE_COLUMNS + "\n")
    with pytest.raises(MandatoryInputError, match="903 episodes: empty \\(header only\\)"):
        check_mandatory_inputs(_outcomes(tmp_path), AS_OF)


def test_no_delivery_for_the_month(tmp_path: Path) -> None:
    _history(tmp_path / "inbound")
    deliver(tmp_path / "inbound", "header.csv", HEADER, month="2025-09")
    with pytest.raises(MandatoryInputError) as raised:
        check_mandatory_inputs(_outcomes(tmp_path), AS_OF, inbound_dir=tmp_path / "inbound")
    assert str(raised.value) == f"no delivery for 2025-10 in {tmp_path / 'inbound'}"


def test_a_history_return_ending_in_the_month_is_not_the_months_delivery(tmp_path: Path) -> None:
    _history(tmp_path / "inbound")
    outcomes = extract_all(tmp_path / "inbound", tmp_path / "landing", tmp_path / "archive", date(2025, 3, 31))
    with pytest.raises(MandatoryInputError, match="no delivery for 2025-03"):
        check_mandatory_inputs([outcome.to_dict() for outcome in outcomes], date(2025, 3, 31))


def test_every_la_of_the_month_is_checked(tmp_path: Path) -> None:
    inbound = tmp_path / "inbound"
    for la in (LA, "E09000001"):
        deliver(inbound, "header.csv", HEADER, la=la)
    deliver(inbound, "episodes.csv", episodes_csv(good=1), la=LA)
    with pytest.raises(MandatoryInputError) as raised:
        check_mandatory_inputs(_outcomes(tmp_path), AS_OF)
    assert str(raised.value) == "E09000001 2025-10 903 episodes: absent"
