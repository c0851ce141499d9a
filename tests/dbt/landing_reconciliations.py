"""The whole-project landing area (landing_fixture.py, period end 2025-02-28) plus the case system's own lists the
publication gate reconciles the 903 episodes with (kpi-catalogue §5.8 item 2; pub_tsg_reconciliations), in the
February delivery. Every id is synthetic. By hand (open on d: start <= d and no end, or an end after d):

E06000039 (LA_MAIN), 903 episodes open on 2025-02-28: A01 A02 A03 A04 A07 A08 A09 (CLA, 7) and A06 (a short break:
    open, though not looked after); A05's episode ends on the date (closed).
  open_children: SSD referrals REF1 (A01, open) and REF2 (A05, closed 2025-01-31); SSD CP plan CPP1 of A05, open,
    whose referral has closed. Union of open referrals and 903 episodes = {A01..A04, A06..A09} = 8; any open record
    adds A05 (the CP plan) = 9; 9 - 8 = 1 > tolerance 0 -> FAIL.
  cla_903: the case-system CLA list (ssd_cla_episodes) shows A01 (CE1 open; CE2 ceased 2024-06-01), A02 (open), A03
    (ceases 2025-03-10: open) and A04 (ceased ON 2025-02-28: closed) -> {A01, A02, A03} = 3; 7 - 3 = 4 > 2 -> FAIL.
E09000001 (LA_SMALL): B01 came into care on 2025-02-03. open_children 1 = 1 (no referral tables) -> PASS; its CLA
    list shows B01 open -> 1 - 1 = 0 -> PASS.
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA
from extract.table_catalogue import landed_tables, write_empty_tables
from tests.dbt.landing_fixture import LA_MAIN, LA_SMALL, write_landing

MONTH, YEAR = "2025-02", "2024-25"
D = date.fromisoformat
_SCHEMAS: dict[tuple[str, str], pa.Schema] = {(t.family, t.folder): t.schema for t in landed_tables()}


def _cla(episode_id: str, child: str, start: str, ceased: str | None = None) -> dict:
    return {
        "clae_cla_episode_id": episode_id,
        "clae_person_id": child,
        "clae_cla_episode_start_date": D(start),
        "clae_cla_episode_ceased_date": None if ceased is None else D(ceased),
    }


SSD_TABLES: dict[str, dict[tuple[str, str], list[dict]]] = {
    LA_MAIN: {
        ("ssd", "cla_episodes"): [
            _cla("CE1", "A01", "2024-06-01"),
            _cla("CE2", "A01", "2023-06-01", "2024-06-01"),
            _cla("CE3", "A02", "2024-01-10"),
            _cla("CE4", "A03", "2024-01-10", "2025-03-10"),
            _cla("CE5", "A04", "2024-01-10", "2025-02-28"),
        ],
        ("ssd", "cin_episodes"): [
            {"cine_referral_id": "REF1", "cine_person_id": "A01", "cine_referral_date": D("2024-12-01")},
            {
                "cine_referral_id": "REF2",
                "cine_person_id": "A05",
                "cine_referral_date": D("2024-10-01"),
                "cine_close_date": D("2025-01-31"),
            },
        ],
        ("ssd", "cp_plans"): [
            {
                "cppl_cp_plan_id": "CPP1",
                "cppl_referral_id": "REF2",
                "cppl_person_id": "A05",
                "cppl_cp_plan_start_date": D("2024-11-01"),
            }
        ],
    },
    LA_SMALL: {("ssd", "cla_episodes"): [_cla("CE9", "B01", "2025-02-03")]},
}


def _load_id(table_name: str, la_code: str) -> str:
    return f"{table_name}-{hashlib.sha256(f'{table_name}|{la_code}|{MONTH}|recon'.encode()).hexdigest()[:16]}"


def write_reconciliation_landing(landing_dir: Path) -> Path:
    """The whole-project fixture plus the SSD files above, each with its ledger row; returns `landing_dir`."""
    write_landing(landing_dir)
    for la_code, tables in SSD_TABLES.items():
        for (family, folder), rows in tables.items():
            table_name = f"{family}_{folder}"
            load_id = _load_id(table_name, la_code)
            source_file = f"{la_code}/{MONTH}/{family}/{table_name}.csv"
            schema = _SCHEMAS[(family, folder)]
            unknown = {name for row in rows for name in row} - set(schema.names)
            assert not unknown, (table_name, unknown)  # a typo would silently land nulls
            columns = {name: [row.get(name) for row in rows] for name in schema.names}
            metadata = {"la_code": la_code, "reporting_month": MONTH, "collection_year": YEAR, "load_id": load_id}
            columns.update({name: [value] * len(rows) for name, value in metadata.items()})
            columns["source_file"] = [source_file] * len(rows)
            columns["source_row"] = list(range(2, len(rows) + 2))
            path = landing_dir / family / folder / f"la_code={la_code}" / f"{load_id}.parquet"
            path.parent.mkdir(parents=True, exist_ok=True)
            pq.write_table(pa.table(columns, schema=schema), path)
            entry = {
                "load_id": load_id, "la_code": la_code, "reporting_month": MONTH, "collection_year": YEAR,
                "table_name": table_name, "source_file": source_file,
                "sha256": hashlib.sha256(load_id.encode()).hexdigest(), "bytes": 1000 + len(rows),
                "rows_read": len(rows), "rows_landed": len(rows), "rows_quarantined": 0, "outcome": "landed",
                "message": None,
            }  # fmt: skip
            ledger_path = landing_dir / "_ledger" / f"{load_id}.parquet"
            pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), ledger_path)
    write_empty_tables(landing_dir)
    return landing_dir
