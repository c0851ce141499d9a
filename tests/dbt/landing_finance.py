"""A small landing area for the finance marts (fct_fin_pnl_lines, fct_placement_demand, fct_finance_indicators and
the finance reconciliations), written exactly as `extract/` lands it, with the extract layer's own schemas
(`extract.table_catalogue`). Period end 2025-05-31 (financial year 2025-26: 1 April 2025 - 31 March 2026, 365
days). Ids are synthetic, no real data. `test_finance.py` works every pinned figure out by hand from these rows.

E06000039 (`LA_MAIN`): finance deliveries for 2025-04 and 2025-05 (the May one replaces April's rows, as a full
    refresh of the current and previous financial year), the 903 return of 2025-26 delivered in 2025-05, and the
    LA-level reference maps (inbound/<la>/ref/). E09000001 (`LA_SMALL`): a ledger, budget and subjective map only
    (no forecast, no commitments): b25 and the placement figures are NO_DATA.
`write_landing(..., broken=True)` breaks the three reconciliations: the May ledger of M28B is £15,000.00 instead of
the commitments' £17,100.00 (beyond 5 % of the ledger, £750), three more children are looked after in external
foster care without a commitment (5 from the episodes against 2 from the commitments, beyond the ±2 tolerance), and
the April trial balance of SBC income is £1,000.01 off the ledger (beyond £1,000).
"""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from extract.landing import LEDGER_SCHEMA
from extract.table_catalogue import landed_tables, write_empty_tables

LA_MAIN = "E06000039"
LA_SMALL = "E09000001"
AS_OF = date(2025, 5, 31)
D = date.fromisoformat
_SCHEMAS: dict[tuple[str, str], pa.Schema] = {(t.family, t.folder): t.schema for t in landed_tables()}

Tables = dict[tuple[str, str], list[dict]]


# --- row builders (landed column names) ------------------------------------------------------------------------------
def gl(line_id: str, period: str, cost_centre: str, subjective: str, amount: str, kind: str = "ACTUAL") -> dict:
    year = int(period[:4]) - (1 if int(period[5:]) < 4 else 0)
    return {"ledger_line_id": line_id, "fy": f"{year}-{str(year + 1)[2:]}", "period": period,
            "cost_centre": cost_centre, "subjective_code": subjective, "amount_gbp": amount, "line_type": kind,
            "child_id": None}  # fmt: skip


def budget(cost_centre: str, subjective: str, amount: str, period: str | None = None) -> dict:
    return {"fy": "2025-26", "budget_version": "ORIGINAL", "cost_centre": cost_centre,
            "subjective_code": subjective, "period": period, "budget_gbp": amount}  # fmt: skip


def forecast(as_of_period: str, cost_centre: str, subjective: str, amount: str) -> dict:
    return {"fy": "2025-26", "as_of_period": as_of_period, "cost_centre": cost_centre,
            "subjective_code": subjective, "forecast_full_year_gbp": amount}  # fmt: skip


def placement_budget(kind: str, fte: str, rate: str, total: str) -> dict:
    return {"fy": "2025-26", "finance_placement_type": kind, "budget_fte": fte, "budget_weekly_rate_gbp": rate,
            "budget_total_gbp": total}  # fmt: skip


def commitment(
    commitment_id: str, child: str, kind: str, cost_centre: str, rate: str, start: str, rate_from: str,
    rate_to: str | None = None, end: str | None = None, expected: str | None = None, status: str = "ACTIVE",
) -> dict:  # fmt: skip
    return {"commitment_id": commitment_id, "rate_effective_from": D(rate_from),
            "rate_effective_to": D(rate_to) if rate_to else None, "child_id": child, "provider_id": "P1",
            "finance_placement_type": kind, "cost_centre": cost_centre, "weekly_rate_gbp": rate,
            "start_date": D(start), "end_date": D(end) if end else None,
            "expected_end_date": D(expected) if expected else None, "status": status}  # fmt: skip


def episode(child: str, decom: str, place: str, provider: str, dec: str | None = None, rne: str = "S") -> dict:
    return {"child": child, "decom": D(decom), "rne": rne, "ls": "C2", "cin": "N1", "place": place,
            "place_provider": provider, "dec": D(dec) if dec else None, "rec": "X1" if dec else None}  # fmt: skip


def header(child: str) -> dict:
    return {"child": child, "sex": "2", "dob": D("2012-05-05"), "ethnic": "WBRI", "upn": None}


# --- E06000039 --------------------------------------------------------------------------------------------------------
SUBJECTIVES = [
    ("I1000", "INCOME_SBC"), ("I3000", "INCOME_GRANT"), ("E1000", "PAY"), ("E1100", "AGENCY"),
    ("E3000", "PLACEMENTS"), ("E3010", "PLACEMENTS"), ("E3030", "PLACEMENTS"), ("E4000", "SUPPORT_CYP"),
    ("E5000", "LEGAL"), ("E6000", "OVERHEADS"), ("E7000", "TRANSFORMATION"), ("B9000", "BALANCE_SHEET"),
]  # fmt: skip
COST_CENTRES = [
    ("M33B", "EXT_IFA"), ("M28B", "EXT_RES"), ("M32B", "INHOUSE_FOSTER"), ("M63B", "SGO"), ("M40B", "CARE_LEAVER"),
    ("CINC01", None), ("CPAY01", None), ("CLEG01", None), ("CCOR01", None), ("CTRN01", None),
]  # fmt: skip

APRIL_LEDGER = [
    gl("L01", "2025-04", "CINC01", "I1000", "-100000.00"),
    gl("L02", "2025-04", "CINC01", "I3000", "-5000.00"),
    gl("L03", "2025-04", "CPAY01", "E1000", "40000.00"),
    gl("L04", "2025-04", "CPAY01", "E1100", "6000.00"),  # agency: part of Pay
    gl("L05", "2025-04", "M33B", "E3000", "3300.00"),
    gl("L06", "2025-04", "M28B", "E3000", "15000.00"),
    gl("L07", "2025-04", "M32B", "E3010", "1800.00"),
    gl("L08", "2025-04", "M63B", "E3030", "900.00"),
    gl("L09", "2025-04", "CLEG01", "E5000", "2500.00"),
    gl("L10", "2025-04", "CCOR01", "E6000", "4000.00"),
    gl("L11", "2025-04", "CCOR01", "B9000", "9999.00"),  # balance sheet: not in the P&L
    gl("L12", "2025-04", "CLEG01", "E5000", "1000.00", "COMMITMENT"),  # an order, not spend
]


def may_ledger(broken: bool) -> list[dict]:
    return [
        gl("L13", "2025-05", "CINC01", "I1000", "-100000.00"),
        gl("L14", "2025-05", "CINC01", "I3000", "-5000.00"),
        gl("L15", "2025-05", "CPAY01", "E1000", "41000.00"),
        gl("L16", "2025-05", "M33B", "E3000", "3410.00"),
        gl("L17", "2025-05", "M28B", "E3000", "15000.00" if broken else "17100.00"),
        gl("L18", "2025-05", "M32B", "E3010", "600.00"),
        gl("L19", "2025-05", "M63B", "E3030", "930.00"),
        gl("L20", "2025-05", "M40B", "E4000", "2657.14"),
        gl("L21", "2025-05", "CLEG01", "E5000", "3200.00"),
        gl("L22", "2025-05", "CLEG01", "E5000", "-200.00", "REVERSAL"),
        gl("L23", "2025-05", "CCOR01", "E6000", "4100.00"),
        gl("L24", "2025-03", "CLEG01", "E5000", "7777.00"),  # 2024-25: not in 2025-26's year to date
    ]


BUDGET = [
    budget("CINC01", "I1000", "-1200000.00"),
    budget("CINC01", "I3000", "-60000.00"),
    budget("CPAY01", "E1000", "480000.00"),
    budget("CPAY01", "E1100", "60000.00"),
    budget("M33B", "E3000", "39000.00"),
    budget("M28B", "E3000", "208000.00"),
    budget("M32B", "E3010", "10400.00"),
    budget("M63B", "E3030", "10500.00"),
    budget("M40B", "E4000", "31200.00"),
    budget("CLEG01", "E5000", "2000.00", "2025-04"),  # legal: two monthly lines and an annual remainder
    budget("CLEG01", "E5000", "4000.00", "2025-05"),
    budget("CLEG01", "E5000", "30000.00"),
    budget("CCOR01", "E6000", "48000.00"),
    budget("CTRN01", "E7000", "336900.00"),
]


def forecast_lines(as_of_period: str, transformation: str) -> list[dict]:
    lines = [
        ("CINC01", "I1000", "-1200000.00"), ("CINC01", "I3000", "-60000.00"), ("CPAY01", "E1000", "490000.00"),
        ("CPAY01", "E1100", "70000.00"), ("M33B", "E3000", "40150.00"), ("M28B", "E3000", "105300.00"),
        ("M32B", "E3010", "2400.00"), ("M63B", "E3030", "10950.00"), ("M40B", "E4000", "21000.00"),
        ("CLEG01", "E5000", "40000.00"), ("CCOR01", "E6000", "49000.00"), ("CTRN01", "E7000", transformation),
    ]  # fmt: skip
    return [forecast(as_of_period, *line) for line in lines]


PLACEMENT_BUDGET = [
    placement_budget("EXT_IFA", "1.00", "750.00", "39000.00"),
    placement_budget("EXT_RES", "1.00", "4000.00", "208000.00"),
    placement_budget("INHOUSE_FOSTER", "0.50", "400.00", "10400.00"),
    placement_budget("SGO", "1.00", "200.00", "10500.00"),  # 1 x 200 x 52 = 10,400: a £100 identity gap
    placement_budget("CARE_LEAVER", "1.00", "600.00", "31200.00"),
]

# As known at the end of April: C2's rate change and C3's end are not known yet, C5 has not started.
APRIL_COMMITMENTS = [
    commitment("C1", "A1", "EXT_IFA", "M33B", "700.00", "2025-01-01", "2025-01-01", "2025-03-31"),
    commitment("C1", "A1", "EXT_IFA", "M33B", "770.00", "2025-01-01", "2025-04-01"),
    commitment("C2", "A2", "EXT_RES", "M28B", "3500.00", "2025-04-01", "2025-04-01", expected="2025-10-01"),
    commitment("C3", "A3", "INHOUSE_FOSTER", "M32B", "420.00", "2024-06-01", "2024-06-01"),
    commitment("C4", "B4", "SGO", "M63B", "210.00", "2023-01-01", "2023-01-01"),
]
MAY_COMMITMENTS = [
    # C1 straddles the financial-year boundary, its rate rising on 1 April; open-ended, no expected end.
    commitment("C1", "A1", "EXT_IFA", "M33B", "700.00", "2025-01-01", "2025-01-01", "2025-03-31"),
    commitment("C1", "A1", "EXT_IFA", "M33B", "770.00", "2025-01-01", "2025-04-01"),
    # C2's weekly rate changes mid-year: £3,500 to 15 May, £4,200 from 16 May; expected to end on 1 October.
    commitment("C2", "A2", "EXT_RES", "M28B", "3500.00", "2025-04-01", "2025-04-01", "2025-05-15",
               expected="2025-10-01"),
    commitment("C2", "A2", "EXT_RES", "M28B", "4200.00", "2025-04-01", "2025-05-16", expected="2025-10-01"),
    # C3 began in the previous year and ended on 11 May (the day it ended is not funded).
    commitment("C3", "A3", "INHOUSE_FOSTER", "M32B", "420.00", "2024-06-01", "2024-06-01", end="2025-05-11",
               status="ENDED"),
    # C4: a post-order allowance, open-ended since 2023.
    commitment("C4", "B4", "SGO", "M63B", "210.00", "2023-01-01", "2023-01-01"),
    # C5: care-leaver accommodation from 1 May, expected to end on 1 January 2026.
    commitment("C5", "B5", "CARE_LEAVER", "M40B", "600.00", "2025-05-01", "2025-05-01", expected="2026-01-01"),
    # C6: raised in error and cancelled: ignored.
    commitment("C6", "A1", "EXT_IFA", "M33B", "999.00", "2025-01-01", "2025-01-01", status="CANCELLED"),
]  # fmt: skip


def trial_balance(broken: bool) -> list[dict]:
    """April 2025 year to date by (cost centre, subjective): every April ledger line, whatever its type (input
    contract X7 sums fin_ledger), so CLEG01/E5000 is 2,500 + the 1,000 COMMITMENT line. Broken: SBC income
    -98,999.99, £1,000.01 off (beyond the £1,000 tolerance; -99,000.00 would be exactly on it and pass)."""
    balances = [
        ("CINC01", "I1000", "-98999.99" if broken else "-100000.00"), ("CINC01", "I3000", "-5000.00"),
        ("CPAY01", "E1000", "40000.00"), ("CPAY01", "E1100", "6000.00"), ("M33B", "E3000", "3300.00"),
        ("M28B", "E3000", "15000.00"), ("M32B", "E3010", "1800.00"), ("M63B", "E3030", "900.00"),
        ("CLEG01", "E5000", "3500.00"), ("CCOR01", "E6000", "4000.00"), ("CCOR01", "B9000", "9999.00"),
    ]  # fmt: skip
    return [
        {"fy": "2025-26", "period": "2025-04", "cost_centre": cc, "subjective_code": code, "ytd_amount_gbp": amount}
        for cc, code, amount in balances
    ]


def episodes_903(broken: bool) -> list[dict]:
    rows = [
        episode("A1", "2025-01-01", "U4", "PR4"),  # external fostering: EXT_IFA
        episode("A2", "2025-04-01", "K2", "PR4"),  # external residential: EXT_RES
        episode("A3", "2024-06-01", "U4", "PR1", dec="2025-05-11"),  # in-house foster carer until 11 May
        episode("A3", "2025-05-11", "P1", "PR0", rne="P"),  # then placed with parents: no cost
        episode("A4", "2024-09-01", "A5", "PR1"),  # placed for adoption: no cost
    ]
    if broken:  # three children in external foster care without a commitment
        rows += [episode(child, "2025-02-01", "U5", "PR4") for child in ("X1", "X2", "X3")]
    return rows


def main_tables(broken: bool) -> dict[str, Tables]:
    """Tables by delivery folder ('2025-04', '2025-05', 'ref')."""
    episodes = episodes_903(broken)
    return {
        "2025-04": {
            ("fin", "ledger"): APRIL_LEDGER,
            ("fin", "budget"): BUDGET,
            # Made in April: a deficit of £68,800 (transformation £500,000).
            ("fin", "forecast"): forecast_lines("2025-04", "500000.00"),
            ("fin", "placement_budget"): PLACEMENT_BUDGET,
            ("fin", "placement_commitment"): APRIL_COMMITMENTS,
        },
        "2025-05": {
            ("fin", "ledger"): APRIL_LEDGER + may_ledger(broken),
            ("fin", "budget"): BUDGET,
            ("fin", "forecast"): forecast_lines("2025-04", "500000.00") + forecast_lines("2025-05", "300000.00"),
            ("fin", "placement_budget"): PLACEMENT_BUDGET,
            ("fin", "placement_commitment"): MAY_COMMITMENTS,
            ("fin", "trial_balance"): trial_balance(broken),
            ("ssda903", "header"): [header(child) for child in sorted({row["child"] for row in episodes})],
            ("ssda903", "episodes"): episodes,
        },
        "ref": {
            ("ref", "subjective_map"): [
                {"subjective_code": code, "subjective_group": group} for code, group in SUBJECTIVES
            ],
            ("ref", "cost_centre_map"): [
                {"cost_centre": code, "finance_placement_type": kind} for code, kind in COST_CENTRES
            ],
        },
    }


SMALL_TABLES: dict[str, Tables] = {
    "2025-05": {
        ("fin", "ledger"): [gl("S1", "2025-04", "CLEG01", "E5000", "1234.56")],
        ("fin", "budget"): [budget("CLEG01", "E5000", "12000.00"), budget("CINC01", "I1000", "-12000.00")],
    },
    "ref": {
        ("ref", "subjective_map"): [
            {"subjective_code": "E5000", "subjective_group": "LEGAL"},
            {"subjective_code": "I1000", "subjective_group": "INCOME_SBC"},
        ]
    },
}


# --- writing ----------------------------------------------------------------------------------------------------------
def _load_id(table_name: str, la_code: str, month: str | None) -> str:
    return f"{table_name}-{hashlib.sha256(f'{table_name}|{la_code}|{month}'.encode()).hexdigest()[:16]}"


def _land(landing: Path, la_code: str, folder: str, tables: Tables, ledger: list[dict]) -> None:
    """One delivered file per table and its ledger row; `folder` is a month ('2025-05') or 'ref' (LA level)."""
    month = None if folder == "ref" else folder
    year = None if month is None else ("2025-26" if month >= "2025-04" else "2024-25")
    for (family, table_folder), rows in tables.items():
        table_name = table_folder if family == "ssda903" else f"{family}_{table_folder}"
        load_id = _load_id(table_name, la_code, month)
        family_folder = "903" if family == "ssda903" else family
        source_file = f"{la_code}/ref/{table_name}.csv" if month is None else (
            f"{la_code}/{folder}/{family_folder}/{table_name}.csv"
        )  # fmt: skip
        schema = _SCHEMAS[(family, table_folder)]
        unknown = {name for row in rows for name in row} - set(schema.names)
        assert not unknown, ((family, table_folder), unknown)  # a typo would silently land nulls
        columns = {name: [row.get(name) for row in rows] for name in schema.names}
        metadata = {"la_code": la_code, "reporting_month": month, "collection_year": year, "load_id": load_id,
                    "source_file": source_file}  # fmt: skip
        columns.update({name: [value] * len(rows) for name, value in metadata.items()})
        columns["source_row"] = list(range(2, len(rows) + 2))
        for name, field in zip(schema.names, schema, strict=True):
            if pa.types.is_decimal(field.type):  # amounts are written as exact decimal text
                columns[name] = [None if value is None else _decimal(value) for value in columns[name]]
        path = landing / family / table_folder / f"la_code={la_code}" / f"{load_id}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.table(columns, schema=schema), path)
        ledger.append({
            "load_id": load_id, "la_code": la_code, "reporting_month": month, "collection_year": year,
            "table_name": table_name, "source_file": source_file,
            "sha256": hashlib.sha256(load_id.encode()).hexdigest(), "bytes": 1000 + len(rows),
            "rows_read": len(rows), "rows_landed": len(rows), "rows_quarantined": 0,
            "outcome": "landed", "message": None,
        })  # fmt: skip


def _decimal(value: object) -> object:
    from decimal import Decimal

    return Decimal(str(value))


def write_landing(landing_dir: Path, broken: bool = False) -> Path:
    """Write both organisations' deliveries, the ledger and the empty-table files; returns `landing_dir`."""
    landing_dir = Path(landing_dir)
    ledger: list[dict] = []
    for folder, tables in main_tables(broken).items():
        _land(landing_dir, LA_MAIN, folder, tables, ledger)
    for folder, tables in SMALL_TABLES.items():
        _land(landing_dir, LA_SMALL, folder, tables, ledger)
    for entry in ledger:
        path = landing_dir / "_ledger" / f"{entry['load_id']}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(pa.Table.from_pylist([entry], schema=LEDGER_SCHEMA), path)
    write_empty_tables(landing_dir)  # what the pipeline does before every build: undelivered tables read as empty
    return landing_dir
