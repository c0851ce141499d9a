"""Byte-exact output: RFC-4180 CSV (UTF-8, no BOM, LF) and the delivery manifest, with no wall-clock content."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from pathlib import Path


def write_csv(path: Path, columns: Sequence[str], rows: Iterable[Sequence[str]]) -> dict[str, object]:
    """Write the CSV and return its manifest entry facts: data-row count and SHA-256 of the bytes written."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    rows = rows if isinstance(rows, list) else list(rows)
    writer.writerows(rows)
    count = len(rows)
    data = buffer.getvalue().encode("utf-8")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    return {"rows": count, "sha256": hashlib.sha256(data).hexdigest()}


def write_manifest(path: Path, manifest: dict[str, object]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8", newline="\n")
