"""Small 903 deliveries for the extract tests, written as CSV strings into a temporary inbound folder.

Child ids (`C001`...) and postcodes are synthetic; `SL1 2EL` is a non-residential site.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pyarrow.parquet as pq

from extract import FileOutcome, extract_file

LA = "E06000039"
HEADER_COLUMNS = "CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB"
EPISODE_COLUMNS = "CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN"


def good_episode(index: int, decom: str = "01/05/2025") -> str:
    """An open foster placement, by default one that started on 1 May 2025 (valid in 2025-26)."""
    return f"C{index:03d},{decom},S,C2,N1,U4,PR1,,,,SL1 2EL,SL1 2EL,XXXXXXX"


def episodes_csv(*extra_rows: str, good: int = 49, columns: str = EPISODE_COLUMNS, decom: str = "01/05/2025") -> str:
    """`good` valid rows (rows 2..good+1) followed by `extra_rows` (from row good+2 on)."""
    rows = [good_episode(index, decom) for index in range(1, good + 1)]
    return "\n".join([columns, *rows, *extra_rows]) + "\n"


def header_csv(*rows: str) -> str:
    return "\n".join([HEADER_COLUMNS, *rows]) + "\n"


def deliver(
    inbound: Path,
    name: str,
    content: str | bytes,
    *,
    la: str = LA,
    month: str = "2025-10",
    manifest: dict | None = None,
) -> Path:
    """Write one file into `inbound/<la>/<month>/903/` (month `history/<CY>` for a history return)."""
    if month.startswith("history/"):
        folder = inbound / la / "history" / "903" / month.removeprefix("history/")
    else:
        folder = inbound / la / month / "903"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / name
    path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    if manifest is not None:
        (folder.parent / "_delivery.json").write_text(json.dumps(manifest), encoding="utf-8")
    return path


def manifest(month: str = "2025-10", as_at: str = "2025-10-31", **overrides: object) -> dict:
    return {"contract_version": "1.0", "la_code": LA, "reporting_month": month, "as_at_date": as_at, **overrides}


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(root: Path, path: Path) -> FileOutcome:
    return extract_file(path, inbound_dir=root / "inbound", landing_dir=root / "landing", archive_dir=root / "archive")


def landed_rows(root: Path, outcome: FileOutcome) -> list[dict]:
    path = (
        root / "landing" / "ssda903" / outcome.table_name / f"la_code={outcome.la_code}" / f"{outcome.load_id}.parquet"
    )
    return pq.read_table(path).to_pylist()


def quarantine(root: Path, outcome: FileOutcome) -> list[dict]:
    return _read(root / "landing" / "_quarantine" / "rows" / f"{outcome.load_id}.parquet")


def warnings(root: Path, outcome: FileOutcome) -> list[dict]:
    return _read(root / "landing" / "_warnings" / f"{outcome.load_id}.parquet")


def findings(rows: list[dict]) -> list[tuple]:
    """(source_row, field, rule_code) of quarantine or warning rows, the shape most tests pin."""
    return [(row["source_row"], row["field"], row["rule_code"]) for row in rows]


def _read(path: Path) -> list[dict]:
    return pq.read_table(path).to_pylist() if path.is_file() else []
