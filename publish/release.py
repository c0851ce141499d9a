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
    _update_latest(publish_dir / la_code)
    return public_path


def current_release(publish_dir: Path, la_code: str, period: str) -> Path | None:
    """The release folder the public path of a month points to, if that month was published."""
    public_path = publish_dir / la_code / period
    return public_path.resolve() if public_path.is_symlink() else None


def _copy_complete(source: Path, destination: Path) -> None:
    """Copy to a temporary sibling, flush it to disk, then rename: the release appears whole or not at all."""
    destination.parent.mkdir(parents=True, exist_ok=True)
    staging = destination.parent / f".{destination.name}.{os.getpid()}.partial"
    shutil.rmtree(staging, ignore_errors=True)
    shutil.copytree(source, staging)
    for path in staging.rglob("*"):
        if path.is_file():
            with path.open("rb") as handle:
                os.fsync(handle.fileno())
    os.replace(staging, destination)


def _swap_symlink(link: Path, target: Path) -> None:
    link.parent.mkdir(parents=True, exist_ok=True)
    relative_target = os.path.relpath(target, link.parent)
    temporary = link.parent / f".{link.name}.{os.getpid()}.swap"
    if temporary.is_symlink() or temporary.exists():
        temporary.unlink()
    os.symlink(relative_target, temporary)
    os.replace(temporary, link)


def _update_latest(la_folder: Path) -> None:
    """Point `latest` at the newest month published, so a backfill of an old month does not move it back."""
    months = sorted(p.name for p in la_folder.iterdir() if p.is_symlink() and p.name != LATEST)
    if months:
        _swap_symlink(la_folder / LATEST, la_folder / months[-1])
