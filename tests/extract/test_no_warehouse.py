"""Issue 4, item 4: the extraction tasks never open the warehouse database.

The nightly DAG maps one `extract_file` task per delivered file (`tests/dags/test_dag_integrity.py` pins the mapping
and that those tasks are outside the writer pool), then one `check_deliveries` task. Here the same three steps run
in a fresh interpreter, as an Airflow worker would run them, and no database driver is ever imported: with neither
`duckdb` nor `psycopg2` loaded, nothing can have opened the warehouse, whichever engine it is on.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.extract.builders import deliver, episodes_csv, header_csv

_TASKS = """
import json, sys
from datetime import date
from pipeline import steps
from pipeline.settings import Settings

settings = Settings.from_env()
as_of = date(2025, 10, 31)
outcomes = [steps.extract_delivery_file(settings, path) for path in steps.list_files_to_extract(settings, as_of)]
steps.check_deliveries(settings, as_of)
drivers = sorted(name for name in ("duckdb", "psycopg2", "psycopg") if name in sys.modules)
print(json.dumps({"outcomes": [(o["table_name"], o["outcome"]) for o in outcomes], "drivers": drivers}))
"""


def test_the_extraction_tasks_load_no_database_driver(data_dir: Path) -> None:
    inbound = data_dir / "inbound"
    deliver(inbound, "episodes.csv", episodes_csv(good=2))
    deliver(inbound, "header.csv", header_csv("C001,M,01/01/2015,WBRI,UN1,,", "C002,F,01/01/2015,WBRI,UN1,,"))
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "-c", _TASKS], cwd=root, env=dict(os.environ), capture_output=True, text=True, check=True
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"outcomes": [["episodes", "landed"], ["header", "landed"]], "drivers": []}
    assert not list(data_dir.rglob("*.duckdb"))  # and no warehouse file was made
