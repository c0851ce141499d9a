"""Where a delivered file sits, and what that says about it (input contract §0.2, §0.3, §1.1.3, §1.2.1): its
family, LA, collection year, as-at date and the manifest entry that lists it."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from synth.calendar import collection_year, month_end

MANIFEST = "_delivery.json"
_MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CY_TOKEN = re.compile(r"(?<!\d)(\d{4})[-_](\d{2})(?!\d)")


@dataclass(frozen=True)
class FileFacts:
    relative: str  # posix path relative to the inbound folder, e.g. E06000039/2025-10/903/..._episodes.csv
    la_code: str
    collection_year: str
    as_at: date
    manifest: Path | None = None  # the delivery's _delivery.json (monthly deliveries only)
    manifest_path: str | None = None  # this file's path as files[] lists it (relative to the delivery folder)

    @property
    def schema_year(self) -> int:
        return int(self.collection_year[:4]) + 1


def _year_token(text: str) -> str | None:
    for match in _CY_TOKEN.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 == end:
            return f"{start}-{end:02d}"
    return None


def file_facts(path: Path, inbound_dir: Path) -> FileFacts | None:
    """The facts of a 903 file (`<la>/<YYYY-MM>/903/<name>` or `<la>/history/903/<CY>/<name>`), else None."""
    relative = Path(path).absolute().relative_to(Path(inbound_dir).absolute())
    parts = relative.parts
    if len(parts) == 5 and parts[1] == "history" and parts[2] == "903" and _year_token(parts[3]):
        cy = _year_token(parts[4]) or _year_token(parts[3])
        return FileFacts(relative.as_posix(), parts[0], cy, date(int(parts[3][:4]) + 1, 3, 31))
    if len(parts) != 4 or parts[2] != "903" or not _MONTH.match(parts[1]):
        return None
    end = month_end(int(parts[1][:4]), int(parts[1][5:]))
    manifest_file = Path(inbound_dir) / parts[0] / parts[1] / MANIFEST
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.is_file() else {}
    cy = _year_token(parts[3]) or manifest.get("collection_year") or collection_year(end)
    as_at = date.fromisoformat(manifest["as_at_date"]) if "as_at_date" in manifest else end
    in_delivery = f"903/{parts[3]}"
    listed = any(str(item.get("path", "")).removeprefix("./") == in_delivery for item in manifest.get("files", []))
    return FileFacts(
        relative.as_posix(),
        parts[0],
        cy,
        as_at,
        manifest_file if listed else None,
        in_delivery if listed else None,
    )


# Delivery sub-folders make_dirty knows; `ref/` (LA-level reference data) is never made dirty.
FAMILIES = ("903", "cin", "ssd", "local", "hr", "fin")


def delivered_file(path: Path, inbound_dir: Path) -> tuple[str, FileFacts] | None:
    """(family folder, facts) of a file in a family folder make_dirty knows (`FAMILIES`), else None.

    903: `file_facts`. Others: `<la>/<YYYY-MM>/<family>/<name>` (as-at date and collection year from the manifest,
    else the month end's), or `<la>/history/cin/<CY>/<name>` (as at 31 March of the collection year).
    """
    relative = Path(path).absolute().relative_to(Path(inbound_dir).absolute())
    parts = relative.parts
    family = parts[2] if len(parts) > 2 else None
    if family == "903":
        facts = file_facts(path, inbound_dir)
        return (family, facts) if facts else None
    if len(parts) == 5 and parts[1] == "history" and family == "cin" and _year_token(parts[3]):
        cy = _year_token(parts[3])
        return family, FileFacts(relative.as_posix(), parts[0], cy, date(int(cy[:4]) + 1, 3, 31))
    if len(parts) != 4 or family not in FAMILIES or not _MONTH.match(parts[1]):
        return None
    end = month_end(int(parts[1][:4]), int(parts[1][5:]))
    manifest_file = Path(inbound_dir) / parts[0] / parts[1] / MANIFEST
    manifest = json.loads(manifest_file.read_text(encoding="utf-8")) if manifest_file.is_file() else {}
    cy = (_year_token(parts[3]) if family == "cin" else None) or manifest.get("collection_year") or collection_year(end)
    as_at = date.fromisoformat(manifest["as_at_date"]) if "as_at_date" in manifest else end
    in_delivery = f"{family}/{parts[3]}"
    listed = any(str(item.get("path", "")).removeprefix("./") == in_delivery for item in manifest.get("files", []))
    return family, FileFacts(
        relative.as_posix(),
        parts[0],
        cy,
        as_at,
        manifest_file if listed else None,
        in_delivery if listed else None,
    )
