"""Where a delivered file sits, and what that says about it (input contract §0.2, §0.3, §1.1.3, §1.2.1).

The path gives the LA, the family (the folder: `903/`, `cin/`, `ssd/`, `local/`, `hr/`, `fin/`, `ref/`) and the
reporting month; the delivery's `_delivery.json` manifest gives `as_at_date` and the collection year (defaults when it
is absent); a `YYYY-YY`/`YYYY_YY` token in the file name overrides the year. History returns
(`<la>/history/903|cin/<CY>/`) belong to the month of 31 March of their collection year. LA-level reference data
(`<la>/ref/`, replaced when re-delivered) belongs to no month: its reporting month, collection year and as-at date are
null, so it is never checked for future dates.
"""

from __future__ import annotations

import calendar
import json
import re
from dataclasses import dataclass, replace
from datetime import date, timedelta
from pathlib import Path

from extract.la_numbers import delivered_dfe_la_number, dfe_la_number

LA_CODE = re.compile(r"^E(06|08|09|10)\d{6}$")
MONTH = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_CY_TOKEN = re.compile(r"(?<!\d)(\d{4})[-_](\d{2})(?!\d)")
MANIFEST = "_delivery.json"
# Delivery sub-folder -> landing family (the folder under landing/ and the prefix of the PostgreSQL landing tables).
FAMILIES = {"903": "ssda903", "cin": "cin", "ssd": "ssd", "local": "local", "hr": "hr", "fin": "fin", "ref": "ref"}
HISTORY_FAMILIES = ("903", "cin")
AS_AT_GRACE = timedelta(days=15)


@dataclass(frozen=True)
class FileContext:
    """What the location of one delivered file says about it; `problem` rejects the file before it is read."""

    source_file: str  # relative to the inbound folder, posix
    family: str = "ssda903"  # landing family, from the delivery sub-folder (FAMILIES)
    la_code: str | None = None
    reporting_month: str | None = None
    collection_year: str | None = None
    as_at_date: date | None = None
    history: bool = False
    manifest_entry: dict | None = None  # this file's files[] entry of the manifest
    manifest_lists_files: bool = False  # the manifest has a files[] list (unlisted files get W09)
    problem: tuple[str, str] | None = None  # (rule code, one-line reason, without the file name)
    dfe_la_number: str | None = None  # CIN files: the LEA the file must carry (ref_la_profile, else the known table)


def collection_year_of(text: str) -> str | None:
    """The first valid collection-year token (`2025-26`, `2025_26`) in `text`, as `YYYY-YY`."""
    for match in _CY_TOKEN.finditer(text):
        start, end = int(match.group(1)), int(match.group(2))
        if (start + 1) % 100 == end:
            return f"{start}-{end:02d}"
    return None


def collection_year_containing(day: date) -> str:
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def period_end(month: str) -> date:
    year, number = int(month[:4]), int(month[5:7])
    return date(year, number, calendar.monthrange(year, number)[1])


def list_delivery_files(inbound_dir: Path, as_of: date) -> list[Path]:
    """Every file of every family folder of every LA: monthly deliveries up to `as_of`'s month (`903/`, `cin/`,
    `ssd/`, `local/`, `hr/`, `fin/`, `ref/`), all history years (`history/903/<CY>/`, `history/cin/<CY>/`) and the
    LA-level reference folder (`<la>/ref/`).

    Every regular file in a family folder is listed, whatever its extension, so that a stray file (an `.xlsx`, a
    `.txt`) is rejected with a line saying so rather than silently ignored. Hidden files (`.*`) and folders whose
    name is not a month (`YYYY-MM`), `history` or `ref` are not deliveries and are skipped. The manifest sits beside
    the family folders, so it is never listed.
    """
    inbound_dir = Path(inbound_dir)
    last_month = f"{as_of:%Y-%m}"
    folders: list[Path] = []
    for la_dir in _subfolders(inbound_dir):
        for child in _subfolders(la_dir):
            if child.name == "history":
                for family in HISTORY_FAMILIES:
                    folders.extend(_subfolders(child / family))
            elif child.name == "ref":
                folders.append(child)
            elif MONTH.match(child.name) and child.name <= last_month:
                folders.extend(child / family for family in FAMILIES)
    files = [
        path
        for folder in folders
        if folder.is_dir()
        for path in folder.iterdir()
        if path.is_file() and not path.name.startswith(".")
    ]
    return sorted(files)


def _subfolders(folder: Path) -> list[Path]:
    return sorted(path for path in folder.iterdir() if path.is_dir()) if folder.is_dir() else []


def file_context(path: Path, inbound_dir: Path) -> FileContext:
    """LA, reporting month, collection year and as-at date of a delivered file, or the problem that rejects it."""
    path, inbound_dir = Path(path).absolute(), Path(inbound_dir).absolute()
    try:
        relative = path.relative_to(inbound_dir)
    except ValueError:
        return FileContext(path.as_posix(), problem=("F02", f"not under the inbound folder {inbound_dir}"))
    source_file = relative.as_posix()
    parts = relative.parts
    if len(parts) == 4 and parts[2] in FAMILIES:
        return _with_la_number(_monthly(path, source_file, parts[0], parts[1], FAMILIES[parts[2]]), inbound_dir)
    if len(parts) == 5 and parts[1] == "history" and parts[2] in HISTORY_FAMILIES:
        return _with_la_number(_history(source_file, parts[0], parts[3], path.name, FAMILIES[parts[2]]), inbound_dir)
    if len(parts) == 3 and parts[1] == "ref":
        return FileContext(source_file, family="ref", la_code=parts[0], problem=_la_problem(source_file, parts[0]))
    expected = (
        "<la_code>/<YYYY-MM>/<903|cin|ssd|local|hr|fin|ref>/<file>, <la_code>/history/<903|cin>/<CY>/<file> "
        "or <la_code>/ref/<file>"
    )
    family = FAMILIES.get(parts[2], "ssda903") if len(parts) > 2 else "ssda903"
    return FileContext(source_file, family=family, problem=("F02", f"not in a delivery folder ({expected})"))


def _with_la_number(context: FileContext, inbound_dir: Path) -> FileContext:
    """CIN files carry the LA's DfE number: from its delivered ref_la_profile, else the table of known numbers."""
    if context.family != "cin" or context.la_code is None or context.problem:
        return context
    number = delivered_dfe_la_number(inbound_dir, context.la_code) or dfe_la_number(context.la_code)
    return replace(context, dfe_la_number=number)


def _la_problem(source_file: str, la_code: str) -> tuple[str, str] | None:
    if LA_CODE.match(la_code):
        return None
    return ("F06", f"folder {la_code!r} is not an LA code (E06/E08/E09/E10 + 6 digits)")


def _history(source_file: str, la_code: str, folder_year: str, name: str, family: str) -> FileContext:
    problem = _la_problem(source_file, la_code)
    cy = collection_year_of(folder_year) if folder_year == folder_year.strip() else None
    if cy is None or len(folder_year) != 7:
        problem = problem or ("F02", f"history folder {folder_year!r} is not a collection year YYYY-YY")
        return FileContext(source_file, family=family, la_code=la_code, history=True, problem=problem)
    end_year = int(cy[:4]) + 1
    return FileContext(
        source_file,
        family=family,
        la_code=la_code,
        reporting_month=f"{end_year}-03",
        collection_year=collection_year_of(name) or cy,
        as_at_date=date(end_year, 3, 31),
        history=True,
        problem=problem,
    )


def _monthly(path: Path, source_file: str, la_code: str, month: str, family: str) -> FileContext:
    problem = _la_problem(source_file, la_code)
    if not MONTH.match(month):
        problem = problem or ("F02", f"delivery folder {month!r} is not a month YYYY-MM")
        return FileContext(source_file, family=family, la_code=la_code, problem=problem)
    end = period_end(month)
    delivery_dir = path.parent.parent
    manifest, manifest_problem = read_manifest(delivery_dir / MANIFEST, la_code, month, end)
    files = manifest.get("files") if manifest else None
    entry = _manifest_entry(files, path.relative_to(delivery_dir).as_posix(), source_file) if files else None
    return FileContext(
        source_file,
        family=family,
        la_code=la_code,
        reporting_month=month,
        collection_year=(
            collection_year_of(path.name)
            or (manifest.get("collection_year") if manifest else None)
            or collection_year_containing(end)
        ),
        as_at_date=date.fromisoformat(manifest["as_at_date"]) if manifest else end,
        manifest_entry=entry,
        manifest_lists_files=bool(files),
        problem=problem or (("F08", manifest_problem) if manifest_problem else None),
    )


def read_manifest(path: Path, la_code: str, month: str, end: date) -> tuple[dict | None, str | None]:
    """The validated manifest (None when absent), or the problem that rejects the whole delivery (F08)."""
    if not path.is_file():
        return None, None
    try:
        manifest = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return None, f"delivery manifest {MANIFEST} is not valid JSON ({error})"
    except (ValueError, RecursionError):  # json.loads's other refusals: a number past 4300 digits, deep nesting
        return None, f"delivery manifest {MANIFEST} is not readable JSON (nested too deeply or a number too long)"
    if not isinstance(manifest, dict):
        return None, f"delivery manifest {MANIFEST} is not a JSON object"
    missing = [key for key in ("contract_version", "la_code", "reporting_month", "as_at_date") if key not in manifest]
    if missing:
        return None, f"delivery manifest lacks required keys {', '.join(missing)}"
    version = str(manifest["contract_version"])
    if version.split(".")[0] != "1":
        return None, f"delivery manifest contract_version {version!r} has an unknown major version (expected 1.x)"
    for key, folder_value in (("la_code", la_code), ("reporting_month", month)):
        if manifest[key] != folder_value:
            return None, f"delivery manifest {key} {manifest[key]!r} differs from the folder {folder_value!r}"
    try:
        as_at = date.fromisoformat(str(manifest["as_at_date"]))
    except ValueError:
        return None, f"delivery manifest as_at_date {manifest['as_at_date']!r} is not an ISO date"
    if not end <= as_at <= end + AS_AT_GRACE:
        return None, (
            f"delivery manifest as_at_date {as_at.isoformat()} is outside {end.isoformat()}"
            f"..{(end + AS_AT_GRACE).isoformat()} (period end to period end + 15 days)"
        )
    manifest = {**manifest, "as_at_date": as_at.isoformat()}
    year = manifest.get("collection_year")
    if year is not None and (not isinstance(year, str) or collection_year_of(year) != year):
        return None, f"delivery manifest collection_year {year!r} is not YYYY-YY"
    files = manifest.get("files")
    if files is not None and not (isinstance(files, list) and all(isinstance(item, dict) for item in files)):
        return None, "delivery manifest files is not a list of {path, table, rows, sha256} objects"
    return manifest, None


def _manifest_entry(files: list[dict], in_delivery: str, source_file: str) -> dict | None:
    """The files[] entry naming this file (path relative to the delivery folder, or to the inbound folder)."""
    for item in files:
        listed = str(item.get("path", "")).removeprefix("./")
        if listed in (in_delivery, source_file):
            return item
    return None
