"""A small landing area written exactly as `extract/` lands it (docs/architecture.md), for building the warehouse.

Two organisations, period end 2025-02-28. Every figure the tests expect is worked out by hand in
`test_dbt_build.py` from the episodes below. Child ids are synthetic (`A01`...), no real data.

Deliveries of E06000039 (episodes and header each):
    history 2023-24  reporting_month 2024-03   complete return of the previous collection year
    in-year 2024-25  reporting_month 2025-01   superseded by the February delivery (holds A98, deleted since)
    in-year 2024-25  reporting_month 2025-02   authoritative for 2024-25 at 2025-02-28
    in-year 2024-25  reporting_month 2025-03   after the period end: must be ignored (holds A99)
E09000001 has a single in-year delivery for 2025-02.
No CIN, SSD or local tables are delivered (their zero-row schema files only): every compliance indicator is
published as NO_DATA with its missing sources flagged (input contract §9.3).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA, data_schema
from extract.table_catalogue import write_empty_tables
from extract.tables import TABLES

LA_MAIN = "E06000039"
LA_SMALL = "E09000001"

EPISODE_COLUMNS = [
    "child",
    "decom",
    "rne",
    "ls",
    "cin",
    "place",
    "place_provider",
    "dec",
    "rec",
    "reason_place_change",
    "home_post",
    "pl_post",
    "urn",
]
HEADER_COLUMNS = ["child", "sex", "dob", "ethnic", "upn", "mother", "mc_dob"]
# The schemas are the extract layer's own (docs/architecture.md, "Landing"), so the fixture cannot drift from what
# `extract/` really writes.
_SPECS = {spec.table: spec for spec in TABLES}
EPISODE_SCHEMA = data_schema(_SPECS["episodes"])
HEADER_SCHEMA = data_schema(_SPECS["header"])
assert EPISODE_SCHEMA.names[: len(EPISODE_COLUMNS)] == EPISODE_COLUMNS
assert HEADER_SCHEMA.names[: len(HEADER_COLUMNS)] == HEADER_COLUMNS

D = date.fromisoformat


def episode(
    child: str,
    decom: str,
    rne: str,
    ls: str,
    place: str,
    provider: str | None,
    dec: str | None = None,
    rec: str | None = None,
    pl_post: str | None = "SL1 2EL",
    urn: str | None = None,
) -> tuple:
    """One Episodes row; postcodes are a non-residential site, the same for every placement unless stated."""
    return (
        child,
        D(decom),
        rne,
        ls,
        "N1",
        place,
        provider,
        D(dec) if dec else None,
        rec,
        None,
        "SL1 2EL",
        pl_post,
        urn,
    )


# --- E06000039 ------------------------------------------------------------------------------------------------
HISTORY_2023_24 = [
    # A01 entered care in June 2023; still open on 31 March 2024 in the history return (closed in 2024-25).
    episode("A01", "2023-06-01", "S", "C2", "U4", "PR1"),
    # A02's first placement ended exactly on 2024-02-28, the start of the rolling window of 2025-02-28.
    episode("A02", "2024-01-10", "S", "C1", "K2", "PR4", "2024-02-28", "X1"),
    episode("A02", "2024-02-28", "P", "C1", "U6", "PR1", None, None, "SL1 1AA"),
    # A03's first placement ended on 2024-02-29, the day after the window start (a leap day).
    episode("A03", "2023-11-01", "S", "C2", "R1", "PR4", "2024-02-29", "X1", "SL2 1AA"),
    episode("A03", "2024-02-29", "P", "C2", "U4", "PR4", None, None, "SL2 2AA"),
]

IN_YEAR_2024_25_JANUARY = [
    # The January delivery: superseded by February's full refresh of the year. A98 was recorded in error.
    episode("A98", "2024-12-01", "S", "C2", "U4", "PR1"),
    episode("A01", "2023-06-01", "S", "C2", "U4", "PR1", "2024-09-01", "X1"),
    episode("A01", "2024-09-01", "P", "C2", "U4", "PR1", pl_post="SL3 3AA"),
]

IN_YEAR_2024_25_FEBRUARY = [
    # A01: the history episode closed in 2024-25 (the later year wins), then an external foster placement.
    episode("A01", "2023-06-01", "S", "C2", "U4", "PR1", "2024-09-01", "X1"),
    episode("A01", "2024-09-01", "P", "C2", "U4", "PR4", pl_post="SL3 3AA"),
    # A02: open in April 2024 so in this year's extract; a legal-status-only change (RNE L) in June, then a move.
    episode("A02", "2024-02-28", "P", "C1", "U6", "PR1", "2024-06-01", "X1", "SL1 1AA"),
    episode("A02", "2024-06-01", "L", "C2", "U6", "PR1", "2024-10-01", "X1", "SL1 1AA"),
    episode("A02", "2024-10-01", "P", "C2", "U5", "PR1", None, None, "SL1 3AA"),
    # A03: two moves after the leap-day change: three placements in the window.
    episode("A03", "2024-02-29", "P", "C2", "U4", "PR4", "2024-08-01", "X1", "SL2 2AA"),
    episode("A03", "2024-08-01", "P", "C2", "U1", "PR1", None, None, "SL2 3AA"),
    # A04: hospital (T1) and back to the same carer, then a holiday (T2) and a move to a children's home.
    episode("A04", "2024-03-15", "S", "C1", "U4", "PR1", "2024-05-01", "X1", "SL4 1AA"),
    episode("A04", "2024-05-01", "T", "C1", "T1", None, "2024-05-05", "X1", "SL4 9ZZ"),
    episode("A04", "2024-05-05", "T", "C1", "U4", "PR1", "2024-08-01", "X1", "SL4 1AA"),
    episode("A04", "2024-08-01", "T", "C1", "T2", None, "2024-08-04", "X1", "SL4 8ZZ"),
    episode("A04", "2024-08-04", "P", "C1", "K2", "PR4", None, None, "SL4 2AA", "SC123456"),
    # A05: the episode ends on the period end itself, so A05 is not looked after on 2025-02-28.
    episode("A05", "2024-05-01", "S", "V2", "U4", "PR1", "2025-02-28", "E4A", "SL5 1AA"),
    # A06: a short-break series (V3) open on the period end: not a CLA.
    episode("A06", "2025-02-20", "S", "V3", "K2", "PR1", None, None, "SL6 1AA"),
    # A07: three short breaks (V3/V4), then full care: the short breaks are not placements.
    episode("A07", "2024-04-01", "S", "V3", "K2", "PR1", "2024-04-03", "E13", "SL7 1AA"),
    episode("A07", "2024-06-01", "S", "V3", "K2", "PR1", "2024-06-04", "E13", "SL7 1AA"),
    episode("A07", "2024-07-01", "S", "V4", "K2", "PR1", "2024-07-05", "E13", "SL7 1AA"),
    episode("A07", "2024-10-01", "S", "C2", "U6", "PR4", None, None, "SL7 2AA"),
    # A08: came into care this month, with a connected (family and friends) in-house foster carer.
    episode("A08", "2025-02-10", "S", "C1", "U3", "PR1", None, None, "SL8 1AA"),
    # A09: three placements in the window, now placed with parents.
    episode("A09", "2024-03-01", "S", "C1", "K2", "PR5", "2024-06-01", "X1", "SL9 1AA"),
    episode("A09", "2024-06-01", "P", "C1", "R1", "PR4", "2024-12-01", "X1", "SL9 2AA"),
    episode("A09", "2024-12-01", "P", "C2", "P1", "PR0", None, None, "SL9 3AA"),
]

IN_YEAR_2024_25_MARCH = [
    # Delivered for March: after the period end, so none of it may reach the February figures.
    *IN_YEAR_2024_25_FEBRUARY,
    episode("A99", "2025-01-15", "S", "C1", "U4", "PR1"),
]

# --- E09000001 ------------------------------------------------------------------------------------------------
SMALL_2024_25_FEBRUARY = [
    episode("B01", "2025-02-03", "S", "C1", "U4", "PR1", None, None, "EC1A 1BB"),
]


def header_rows(children: list[str], sex: str) -> list[tuple]:
    """One Header row per child; 2023-24 files code SEX as 1/2, 2024-25 files as M/F."""
    return [(child, sex, D("2012-05-15"), "WBRI", "UN1", None, None) for child in children]


@dataclass(frozen=True)
class Delivery:
    la_code: str
    reporting_month: str
    collection_year: str
    episodes: list[tuple]
    sex: str


DELIVERIES = [
    Delivery(LA_MAIN, "2024-03", "2023-24", HISTORY_2023_24, "1"),
    Delivery(LA_MAIN, "2025-01", "2024-25", IN_YEAR_2024_25_JANUARY, "M"),
    Delivery(LA_MAIN, "2025-02", "2024-25", IN_YEAR_2024_25_FEBRUARY, "F"),
    Delivery(LA_MAIN, "2025-03", "2024-25", IN_YEAR_2024_25_MARCH, "M"),
    Delivery(LA_SMALL, "2025-02", "2024-25", SMALL_2024_25_FEBRUARY, "M"),
]


def _load_id(table: str, delivery: Delivery) -> str:
    digest = hashlib.sha256(f"{table}|{delivery.la_code}|{delivery.reporting_month}".encode()).hexdigest()
    return f"{table}-{digest[:16]}"


def load_ids(table: str, la_code: str, reporting_months: list[str]) -> list[str]:
    """The load ids of the fixture files of `table` for these deliveries (what source_load_ids should list)."""
    return [
        _load_id(table, delivery)
        for delivery in DELIVERIES
        if delivery.la_code == la_code and delivery.reporting_month in reporting_months
    ]


def _write(rows: list[tuple], schema: pa.Schema, metadata: dict, path: Path) -> None:
    data_names = [name for name in schema.names if name not in metadata]
    columns = {name: [row[index] for row in rows] for index, name in enumerate(data_names)}
    for name, value in metadata.items():
        columns[name] = [value] * len(rows)
    columns["source_row"] = list(range(2, len(rows) + 2))
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.table(columns, schema=schema), path)


def write_landing(landing_dir: Path) -> Path:
    """Write the fixture's episodes, header and ledger Parquet files under `landing_dir`; returns it."""
    ledger: list[dict] = []
    for delivery in DELIVERIES:
        children = sorted({row[0] for row in delivery.episodes})
        tables = {
            "episodes": (delivery.episodes, EPISODE_SCHEMA),
            "header": (header_rows(children, delivery.sex), HEADER_SCHEMA),
        }
        for table, (rows, schema) in tables.items():
            load_id = _load_id(table, delivery)
            folder = (
                "history/903/" + delivery.collection_year
                if delivery.reporting_month == "2024-03"
                else (delivery.reporting_month + "/903")
            )
            source_file = f"{delivery.la_code}/{folder}/{delivery.la_code}_903_{delivery.collection_year}_{table}.csv"
            metadata = {
                "la_code": delivery.la_code,
                "reporting_month": delivery.reporting_month,
                "collection_year": delivery.collection_year,
                "load_id": load_id,
                "source_file": source_file,
                "source_row": None,
            }
            path = landing_dir / "ssda903" / table / f"la_code={delivery.la_code}" / f"{load_id}.parquet"
            _write(rows, schema, metadata, path)
            ledger.append(
                {
                    "load_id": load_id,
                    "la_code": delivery.la_code,
                    "reporting_month": delivery.reporting_month,
                    "collection_year": delivery.collection_year,
                    "table_name": table,
                    "source_file": source_file,
                    "sha256": hashlib.sha256(load_id.encode()).hexdigest(),
                    "bytes": 1000 + len(rows),
                    "rows_read": len(rows),
                    "rows_landed": len(rows),
                    "rows_quarantined": 0,
                    "outcome": "landed",
                    "message": None,
                }
            )
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)  # what the pipeline does before every build: undelivered tables read as empty
    return landing_dir
