"""The landing area the privacy scan builds the warehouse over: the casework compliance fixture (children, contacts,
workers, allocations, supervision and 903 returns of E06000039 and E09000001; landing_compliance_casework.py) plus a
third organisation, E08000025, whose 903 return carries the quasi-identifiers marts must reduce: distinctive dates
of birth, full home and placement postcodes, UPNs. Period end 2025-04-30. Every value is synthetic.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA
from extract.table_catalogue import write_empty_tables
from tests.dbt import landing_compliance_casework as casework

AS_OF = casework.AS_OF
LA_THIRD = "E08000025"
D = date.fromisoformat

# (child, dob, upn, home postcode, placement postcode, episode start)
THIRD_CHILDREN = [
    ("P101", "2013-07-19", "A123456789012", "B15 2TT", "B4 7DA", "2024-11-04"),
    ("P102", "2016-02-29", "B987654321098", "B29 6QR", "B5 4AA", "2025-01-13"),
]


def _episode(child: str, start: str, home: str, placed: str) -> dict:
    return {"child": child, "decom": D(start), "rne": "S", "ls": "C2", "cin": "N1", "place": "U4",
            "place_provider": "PR1", "home_post": home, "pl_post": placed}  # fmt: skip


THIRD_903: casework.Tables = {
    ("ssda903", "header"): [
        {"child": child, "sex": "1", "dob": D(dob), "ethnic": "WBRI", "upn": upn}
        for child, dob, upn, _, _, _ in THIRD_CHILDREN
    ],
    ("ssda903", "episodes"): [
        _episode(child, start, home, placed) for child, _, _, home, placed, start in THIRD_CHILDREN
    ],
}


def write_landing(landing_dir: Path) -> Path:
    """The casework fixture, then the third organisation's 2025-26 in-year 903 delivery (reporting month 2025-04)."""
    landing_dir = Path(landing_dir)
    casework.write_landing(landing_dir)
    ledger: list[dict] = []
    casework._land(landing_dir, LA_THIRD, "2025-04", "2025-26", "2025-04", THIRD_903, ledger)
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)
    return landing_dir
