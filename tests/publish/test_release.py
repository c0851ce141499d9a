"""Atomic publication: whole releases, one-rename swaps, earlier publications untouched."""

from __future__ import annotations

from pathlib import Path

from publish.release import content_hash, current_release, publish_release
from tests.helpers import tree_snapshot


def _candidate(folder: Path, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "tsg_dataset.csv").write_text(text)
    (folder / "manifest.json").write_text('{"v": 1}\n')
    return folder


def test_publish_creates_release_and_symlink(tmp_path: Path) -> None:
    candidate = _candidate(tmp_path / "cand", "kpi,value\nb08,12.5\n")
    public = publish_release(candidate, tmp_path / "pub", "E06000039", "2026-10")

    assert public == tmp_path / "pub" / "E06000039" / "2026-10"
    assert public.is_symlink()
    assert (public / "tsg_dataset.csv").read_text() == "kpi,value\nb08,12.5\n"
    assert public.resolve().parent == tmp_path / "pub" / "releases" / "E06000039" / "2026-10"
    assert public.resolve().name == content_hash(candidate)[:16]
    assert (tmp_path / "pub" / "E06000039" / "latest").resolve() == public.resolve()


def test_same_content_twice_changes_nothing(tmp_path: Path) -> None:
    publish_release(_candidate(tmp_path / "a", "x\n1\n"), tmp_path / "pub", "E06000039", "2026-10")
    before = tree_snapshot(tmp_path / "pub")
    publish_release(_candidate(tmp_path / "b", "x\n1\n"), tmp_path / "pub", "E06000039", "2026-10")
    assert tree_snapshot(tmp_path / "pub") == before


def test_republication_swaps_the_month_and_keeps_the_old_release(tmp_path: Path) -> None:
    first = publish_release(_candidate(tmp_path / "a", "x\n1\n"), tmp_path / "pub", "E06000039", "2026-10")
    old_release = first.resolve()
    publish_release(_candidate(tmp_path / "b", "x\n2\n"), tmp_path / "pub", "E06000039", "2026-10")

    assert (first / "tsg_dataset.csv").read_text() == "x\n2\n"
    assert (old_release / "tsg_dataset.csv").read_text() == "x\n1\n"  # history stays readable
    assert current_release(tmp_path / "pub", "E06000039", "2026-10") != old_release


def test_backfill_of_an_older_month_does_not_move_latest(tmp_path: Path) -> None:
    publish_release(_candidate(tmp_path / "oct", "x\n10\n"), tmp_path / "pub", "E06000039", "2026-10")
    publish_release(_candidate(tmp_path / "aug", "x\n8\n"), tmp_path / "pub", "E06000039", "2026-08")

    latest = tmp_path / "pub" / "E06000039" / "latest"
    assert (latest / "tsg_dataset.csv").read_text() == "x\n10\n"


def test_no_partial_or_swap_files_left_behind(tmp_path: Path) -> None:
    publish_release(_candidate(tmp_path / "a", "x\n1\n"), tmp_path / "pub", "E06000039", "2026-10")
    leftovers = [p for p in (tmp_path / "pub").rglob(".*")]
    assert leftovers == []


def test_unpublished_month_has_no_current_release(tmp_path: Path) -> None:
    assert current_release(tmp_path / "pub", "E06000039", "2026-10") is None
