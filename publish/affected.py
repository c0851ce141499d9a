"""Which indicators a failure affects, for the failure report and the alert.

* a landed table (a rejected mandatory file, a dbt test on a model built from it) affects the indicators whose
  required sources include it (`seeds/ref_kpi_source_tables.csv`), and, for the SSDA903 tables every placement
  figure is built on (Header, Episodes), every live indicator of the register's `placements` area;
* a failed publication gate affects the indicators whose rows break it in the candidate (the same rules as the
  expectations of `expectations/tsg_dataset_suite.py`, evaluated row by row so each row's kpi_id is known);
* anything else stops the whole run: every live TSG indicator in force is affected (none is refreshed).
"""

from __future__ import annotations

import csv
import re
from datetime import date
from pathlib import Path

import pandas as pd

from expectations.kpi_register import load_register, tsg_kpis_due
from pipeline.settings import DBT_PROJECT_DIR

SOURCE_TABLES_SEED = DBT_PROJECT_DIR / "seeds" / "ref_kpi_source_tables.csv"
PLACEMENT_BASE_TABLES = frozenset({"ssda903_header", "ssda903_episodes"})


def kpis_for_tables(tables: set[str]) -> list[str]:
    """Live register indicators whose figures depend on any of `tables` (landing names: ssda903_episodes, cin...)."""
    with SOURCE_TABLES_SEED.open(newline="", encoding="utf-8") as handle:
        kpis = {row["kpi_id"] for row in csv.DictReader(handle) if row["table_name"].split(".")[0] in tables}
    register = load_register()
    if tables & PLACEMENT_BASE_TABLES:
        kpis |= {row.kpi_id for row in register if row.mart_area == "placements"}
    live = {row.kpi_id for row in register if row.status == "live"}
    return sorted(kpis & live)


def all_tsg_kpis(as_of: date, la_code: str | None = None) -> list[str]:
    return sorted(tsg_kpis_due(as_of, la_code=la_code))


def mandatory_tables(message: str) -> set[str]:
    """The landing tables a mandatory-input failure names (`<la> <YYYY-MM> 903 header: rejected ...`)."""
    return {f"ssda903_{table}" for table in re.findall(r"\b\d{4}-\d{2} 903 (\w+):", message)}


def kpis_breaking_gates(frame: pd.DataFrame, failed_gates: list[str], due: set[str]) -> list[str]:
    """The kpi_ids of the candidate rows that break the failed gates (labels of tsg_dataset_suite)."""
    from expectations import tsg_dataset_suite as suite

    kpis: set[str] = set()
    numbers = frame.reindex(columns=["numerator", "denominator", "value"]).apply(pd.to_numeric, errors="coerce")
    for gate in failed_gates:
        if gate == suite.GATE_COMPLETENESS:
            present = set(frame["kpi_id"].dropna()) if "kpi_id" in frame else set()
            kpis |= (due - present) | (present - due)
            keys = [c for c in ("la_code", "kpi_id", "period_end", "grain", "grain_key") if c in frame]
            kpis |= set(frame.loc[frame.duplicated(keys, keep=False), "kpi_id"]) if keys else set()
            kpis |= set(frame.loc[frame.reindex(columns=["grain_key"])["grain_key"].isna(), "kpi_id"])
        elif gate == suite.GATE_NUMERATOR:
            broken = (numbers["numerator"] < 0) | (numbers["denominator"] < 0)
            broken |= numbers["numerator"] > numbers["denominator"]
            kpis |= set(frame.loc[broken, "kpi_id"])
        elif gate == suite.GATE_PERCENT:
            percent = frame.reindex(columns=["unit"])["unit"] == "%"
            kpis |= set(frame.loc[percent & ((numbers["value"] < 0) | (numbers["value"] > 100)), "kpi_id"])
        elif gate == suite.GATE_RAG:
            rag = frame.reindex(columns=["rag_state", "rag_colour"])
            kpis |= set(frame.loc[rag["rag_state"].isna() | rag["rag_colour"].isna(), "kpi_id"])
        else:  # reconciliations, code lists: every indicator of the candidate is suspect
            kpis |= set(frame["kpi_id"].dropna()) if "kpi_id" in frame else due
    return sorted(str(kpi) for kpi in kpis if isinstance(kpi, str))


def dbt_failure_tables(failures_text: str, target_path: Path) -> set[str]:
    """The landing tables upstream of the dbt nodes named in a build failure, from dbt's manifest.json."""
    import json

    manifest_path = target_path / "manifest.json"
    if not manifest_path.is_file():
        return set()
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    nodes = {**manifest.get("nodes", {}), **manifest.get("sources", {})}
    parents = manifest.get("parent_map", {})
    tables: set[str] = set()
    pending = [node for node in re.findall(r"\b((?:test|model|seed|snapshot|unit_test)\.[\w.]+)", failures_text)]
    seen: set[str] = set()
    while pending:
        node = pending.pop()
        if node in seen:
            continue
        seen.add(node)
        if node.startswith("source."):
            tables.add(nodes.get(node, {}).get("name", node.rsplit(".", 1)[-1]))
        pending.extend(parents.get(node, []))
    return tables
