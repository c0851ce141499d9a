"""Write a small file so that a reader, or a run killed half-way, only ever finds the old bytes or the new ones."""

from __future__ import annotations

import os
from pathlib import Path


def write_text_atomic(path: Path, text: str) -> None:
    """Write `text` (UTF-8) to a temporary sibling, then rename it over `path` (atomic on one file system). A
    leftover temporary from a killed run has the same name and is simply overwritten by the next write."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)
