"""Small helpers shared by tests."""

from __future__ import annotations

import os
from pathlib import Path


def tree_snapshot(root: Path) -> dict[str, str]:
    """Every file and symlink under `root` with its bytes (files) or target (symlinks): equal snapshots mean
    byte-for-byte equal trees."""
    snapshot: dict[str, str] = {}
    if not root.exists():
        return snapshot
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        if path.is_symlink():
            snapshot[key] = "-> " + os.readlink(path)
        elif path.is_file():
            snapshot[key] = path.read_bytes().hex()
    return snapshot
