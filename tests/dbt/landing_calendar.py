"""A landing area for the calendar models: delivered ref_bank_holidays files of two organisations, written with the
extract layer's own landed schema (every other table is present as its zero-row `_empty` file).

Period end 2025-02-28. What the warning test (stg_ref__bank_holidays vs the seed) must find, by hand:
    E06000039  LA-level ref/ file (no month) for 2024-2025: 2024-05-06 (Early May) left out, 2024-12-24 (a
               Christmas Eve closure, not a bank holiday) added -> 2 disagreements; 2025 agrees.
               A monthly ref/ delivery for 2025-03 (after the period end) lists 2025-03-03: invisible, no warning.
    E09000001  LA-level file with a stale 2025 list (Boxing Day missing), replaced by the newer monthly
               delivery of 2025-01, which agrees with the seed (one row with an empty division, read as
               england-and-wales, and a Scotland-only day, ignored) -> no disagreement.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import landed_path
from extract.table_catalogue import landed_tables, write_empty_tables

LA_MAIN = "E06000039"
LA_SMALL = "E09000001"
EW = "england-and-wales"

HOLIDAYS_2024 = [
    ("2024-01-01", "New Year’s Day"),
    ("2024-03-29", "Good Friday"),
    ("2024-04-01", "Easter Monday"),
    ("2024-05-06", "Early May bank holiday"),
    ("2024-05-27", "Spring bank holiday"),
    ("2024-08-26", "Summer bank holiday"),
    ("2024-12-25", "Christmas Day"),
    ("2024-12-26", "Boxing Day"),
]
HOLIDAYS_2025 = [
    ("2025-01-01", "New Year’s Day"),
    ("2025-04-18", "Good Friday"),
    ("2025-04-21", "Easter Monday"),
    ("2025-05-05", "Early May bank holiday"),
    ("2025-05-26", "Spring bank holiday"),
    ("2025-08-25", "Summer bank holiday"),
    ("2025-12-25", "Christmas Day"),
    ("2025-12-26", "Boxing Day"),
]

# (la_code, reporting_month, source file, rows of (date, title, division))
DELIVERIES: list[tuple[str, str | None, str, list[tuple[str, str, str | None]]]] = [
    (
        LA_MAIN,
        None,
        f"{LA_MAIN}/ref/ref_bank_holidays.csv",
        [(d, t, EW) for d, t in HOLIDAYS_2024 if d != "2024-05-06"]
        + [("2024-12-24", "Christmas Eve", EW)]
        + [(d, t, EW) for d, t in HOLIDAYS_2025],
    ),
    (LA_MAIN, "2025-03", f"{LA_MAIN}/2025-03/ref/ref_bank_holidays.csv", [("2025-03-03", "Not a holiday", EW)]),
    (
        LA_SMALL,
        None,
        f"{LA_SMALL}/ref/bank-holidays.json",
        [(d, t, EW) for d, t in HOLIDAYS_2025 if d != "2025-12-26"],
    ),
    (
        LA_SMALL,
        "2025-01",
        f"{LA_SMALL}/2025-01/ref/ref_bank_holidays.csv",
        [(d, t, None if d == "2025-01-01" else EW) for d, t in HOLIDAYS_2025]
        + [("2025-01-02", "2nd January", "scotland")],
    ),
]


def _collection_year(reporting_month: str | None) -> str | None:
    if reporting_month is None:
        return None
    year, month = int(reporting_month[:4]), int(reporting_month[5:])
    first = year if month >= 4 else year - 1
    return f"{first}-{(first + 1) % 100:02d}"


def write_landing(landing_dir: Path) -> Path:
    """Write the deliveries above as landed Parquet plus every other table's zero-row file; returns landing_dir."""
    write_empty_tables(landing_dir)
    table = next(t for t in landed_tables() if (t.family, t.folder) == ("ref", "bank_holidays"))
    for la_code, month, source_file, rows in DELIVERIES:
        load_id = "ref_bank_holidays-" + hashlib.sha256(f"{source_file}|{month}".encode()).hexdigest()[:16]
        columns = {
            "date": [date.fromisoformat(day) for day, _, _ in rows],
            "title": [title for _, title, _ in rows],
            "division": [division for _, _, division in rows],
            "la_code": [la_code] * len(rows),
            "reporting_month": [month] * len(rows),
            "collection_year": [_collection_year(month)] * len(rows),
            "load_id": [load_id] * len(rows),
            "source_file": [source_file] * len(rows),
            "source_row": list(range(2, len(rows) + 2)),
        }
        path = landed_path(landing_dir, "ref", "bank_holidays", la_code, load_id)
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(columns, schema=table.schema), path)
    return landing_dir
