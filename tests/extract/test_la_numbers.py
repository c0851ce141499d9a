"""Which LEA a CIN file must carry: the LA's delivered ref_la_profile, else the table of real DfE numbers."""

from __future__ import annotations

from pathlib import Path

from extract.delivery import file_context


def _cin_path(inbound: Path, la_code: str) -> Path:
    path = inbound / la_code / "history" / "cin" / "2024-25" / f"{la_code}_cin_2024-25.xml"
    path.parent.mkdir(parents=True)
    path.write_bytes(b"<Message/>")
    return path


def _profile(inbound: Path, la_code: str, name: str, number: str) -> None:
    folder = inbound / la_code / "ref"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(f"la_code,la_name,dfe_la_number\n{la_code},Somewhere,{number}\n", encoding="utf-8")


def test_the_delivered_la_profile_gives_the_number(tmp_path: Path) -> None:
    _profile(tmp_path, "E06000100", "ref_la_profile.csv", "912")
    assert file_context(_cin_path(tmp_path, "E06000100"), tmp_path).dfe_la_number == "912"


def test_the_profile_beats_the_table_and_the_latest_named_file_wins(tmp_path: Path) -> None:
    _profile(tmp_path, "E06000039", "E06000039_ref_la_profile_20250101.csv", "870")
    _profile(tmp_path, "E06000039", "E06000039_ref_la_profile_20260101.csv", "999")
    assert file_context(_cin_path(tmp_path, "E06000039"), tmp_path).dfe_la_number == "999"


def test_without_a_profile_the_table_of_real_numbers_is_used(tmp_path: Path) -> None:
    assert file_context(_cin_path(tmp_path, "E06000039"), tmp_path).dfe_la_number == "871"
    _profile(tmp_path, "E06000100", "ref_la_profile.csv", "")  # no number for this LA: not known
    assert file_context(_cin_path(tmp_path, "E06000100"), tmp_path).dfe_la_number is None


def test_only_cin_files_look_it_up(tmp_path: Path) -> None:
    _profile(tmp_path, "E06000039", "ref_la_profile.csv", "871")
    path = tmp_path / "E06000039" / "history" / "903" / "2024-25" / "episodes.csv"
    path.parent.mkdir(parents=True)
    path.write_text("CHILD\n", encoding="utf-8")
    assert file_context(path, tmp_path).dfe_la_number is None
