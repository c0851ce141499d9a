"""Move a validated candidate into place atomically, leaving every earlier publication untouched.

Layout under the publish folder:
    releases/<la_code>/<YYYY-MM>/<content hash>/   immutable, complete release folders
    <la_code>/<YYYY-MM>                             symlink to the current release of that month
    <la_code>/latest                                symlink to the newest month published
A reader following a symlink sees either the old release or the new one, never a half-written file: the release
folder is complete before it is renamed into `releases/`, and the symlink is swapped with one rename.
"""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path

from pipeline.crashpoints import crashpoint

RELEASES = "releases"
UNHASHED = frozenset({"run_log.jsonl"})  # the run's step log (pipeline.run_log): times, never part of the content
LATEST = "latest"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def content_hash(folder: Path) -> str:
    """A hash of every file's name and bytes (but the run log's): the same content always gives the same release
    folder."""
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.name not in UNHASHED):
        digest.update(path.relative_to(folder).as_posix().encode())
        digest.update(file_sha256(path).encode())
    return digest.hexdigest()


def publish_release(candidate_dir: Path, publish_dir: Path, la_code: str, period: str) -> Path:
    """Publish `candidate_dir` as the release of `la_code` for `period` (YYYY-MM); return the public path."""
    release_dir = publish_dir / RELEASES / la_code / period / content_hash(candidate_dir)[:16]
    if not release_dir.exists():
        _copy_complete(candidate_dir, release_dir)
    public_path = publish_dir / la_code / period
    _swap_symlink(public_path, release_dir)
    crashpoint("release.swapped")
    _update_latest(publish_dir / la_code)
    return public_path


def current_release(publish_dir: Path, la_code: str, period: str) -> Path | None:
    """The release folder the public path of a month points to, if that month was published."""
    public_path = publish_dir / la_code / period
    return public_path.resolve() if public_path.is_symlink() else None


def _copy_complete(source: Path, destination: Path) -> None:
    """Copy to a temporary sibling, flush it to disk, then rename: the release appears whole or not at all.

    The staging name is fixed (one publisher at a time holds the writer lock), and every staging folder of the
    month, e.g. one a killed run left half copied, is removed first, so a re-run leaves no debris."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    for stale in destination.parent.glob(".*.partial"):
        shutil.rmtree(stale, ignore_errors=True)
    staging = destination.parent / f".{destination.name}.partial"
    shutil.copytree(source, staging, copy_function=_copy_file)
    crashpoint("release.staged")
    os.replace(staging, destination)
    crashpoint("release.renamed")


def _copy_file(source: str, destination: str) -> str:
    """Copy one file and flush it to disk (the rename after it must not publish a file still in the page cache)."""
    data = Path(source).read_bytes()
    with open(destination, "wb") as handle:
        handle.write(data[: len(data) // 2])
        crashpoint("release.copying")  # a file half written, as a crash in the middle of a write leaves it
        handle.write(data[len(data) // 2 :])
        handle.flush()
        os.fsync(handle.fileno())
    shutil.copystat(source, destination)
    return destination


def _swap_symlink(link: Path, target: Path) -> None:
    """Point `link` at `target` with one rename. Temporary links a killed run left in the folder are removed first
    (one publisher at a time holds the writer lock, so none of them is in use)."""
    link.parent.mkdir(parents=True, exist_ok=True)
    relative_target = os.path.relpath(target, link.parent)
    for stale in link.parent.glob(".*.swap"):
        stale.unlink()
    temporary = link.parent / f".{link.name}.swap"
    os.symlink(relative_target, temporary)
    crashpoint("release.link")
    os.replace(temporary, link)


def _update_latest(la_folder: Path) -> None:
    """Point `latest` at the newest month published, so a backfill of an old month does not move it back."""
    months = sorted(
        p.name for p in la_folder.iterdir() if p.is_symlink() and p.name != LATEST and not p.name.startswith(".")
    )
    if months:
        _swap_symlink(la_folder / LATEST, la_folder / months[-1])
