"""No direct identifier reaches an analyst: every column of every analyst-facing model (schemas `marts` and
`publish`, from dbt's manifest; the restricted drill-down `restricted.pub_tsg_detail` is scanned too) is checked on a
warehouse built over a fixture landing area (landing_privacy.py):

* by NAME: no column is called like a raw child, person or worker id, a UPN, a date of birth, a postcode or a name;
* by VALUE: no value equals (or, in a composite text like 'contact|CT1', contains as a token) a child, person or
  worker id, UPN or postcode delivered in the landing area; no date equals a delivered date of birth; no text is
  shaped like a full UK postcode.

Each check is run first on the staging layer, where the identifiers legitimately are, to prove it finds them.
Also: the pseudonymous keys are keyed (they change with CSC_PSEUDONYM_KEY), stable, and differ between
organisations for the same id; dates of birth and postcodes reduce to month and sector (macros/privacy/).
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest

from pipeline.dbt_runner import run_dbt
from tests.dbt.landing_privacy import AS_OF, write_landing

pytestmark = [pytest.mark.dbt, pytest.mark.xdist_group("dbt_duckdb")]

SCANNED_SCHEMAS = ("marts", "publish", "restricted")
# Column names of direct identifiers (and of the quasi-identifiers marts may only carry reduced).
IDENTIFIER_NAME = re.compile(
    r"^(child|upn|uln|unique_pupil_number|dob|mc_dob|home_post|pl_post|name|address|email|phone)$"
    r"|(^|_)child_id$|person_id$|professional_id$|worker_id$|staff_id$|registration_no$|(^|_)upn$"
    r"|postcode$|post_code$|date_of_birth|birth_date|(^|_)(fore|sur|first|last|family|given|full)_?names?$"
)
# A full UK postcode (outward code, space optional, inward code); a sector ('B15 2') does not match.
FULL_POSTCODE = re.compile(r"^[A-Z]{1,2}[0-9][A-Z0-9]? ?[0-9][A-Z]{2}$")
TOKEN_SEPARATORS = re.compile(r"[|,;:\s]+")
# The calendar lists every day from 2000 to 2028, so every date of birth is one of its days, about no one: its dates
# are not compared with the delivered dates of birth (its text columns still are).
CALENDAR_RELATIONS = {("marts", "dim_date")}


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("privacy_scan")
    landing = write_landing(root / "landing")
    warehouse = root / "warehouse.duckdb"
    result = run_dbt(
        ["build", "--resource-type", "seed", "--resource-type", "model"],  # the data tests run in test_dbt_build.py
        as_of=AS_OF,
        target="duckdb",
        target_path=root / "target",
        env_overrides={"CSC_LANDING_DIR": str(landing), "CSC_WAREHOUSE_PATH": str(warehouse)},
    )
    assert result.success, "\n".join(result.failures) or result.log_tail
    return root, warehouse


def _analyst_models(root: Path) -> set[tuple[str, str]]:
    manifest = json.loads((root / "target" / "manifest.json").read_text())
    return {
        (node["schema"], node["alias"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "model" and node["schema"] in SCANNED_SCHEMAS
    }


def _columns(warehouse: Path, schemas: tuple[str, ...]) -> list[tuple[str, str, str, str]]:
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        return connection.execute(
            f"""
            select table_schema, table_name, column_name, data_type from information_schema.columns
            where table_schema in ({", ".join("?" for _ in schemas)}) order by 1, 2, ordinal_position
            """,
            list(schemas),
        ).fetchall()


def _delivered_identifiers(landing: Path) -> tuple[set[str], set[date]]:
    """Every id, UPN and postcode (text) and every date of birth delivered in the landing area."""
    texts: set[str] = set()
    dates: set[date] = set()
    for path in landing.glob("*/*/la_code=*/*.parquet"):
        table = pq.read_table(path)
        for name in table.column_names:
            if not IDENTIFIER_NAME.search(name):
                continue
            for value in table.column(name).to_pylist():
                if isinstance(value, str) and value.strip():
                    texts.add(value.strip())
                elif isinstance(value, date):
                    dates.add(value)
    return texts, dates


def _value_findings(warehouse: Path, schemas: tuple[str, ...], texts: set[str], dates: set[date]) -> list[str]:
    findings = []
    with duckdb.connect(str(warehouse), read_only=True) as connection:
        for schema, table, column, data_type in _columns(warehouse, schemas):
            values = [
                row[0]
                for row in connection.execute(
                    f'select distinct "{column}" from "{schema}"."{table}" where "{column}" is not null'
                ).fetchall()
            ]
            where = f"{schema}.{table}.{column}"
            if data_type in ("VARCHAR", "TEXT"):
                for value in values:
                    tokens = {value.strip(), *TOKEN_SEPARATORS.split(value)}
                    if tokens & texts or FULL_POSTCODE.match(value.strip().upper()):
                        findings.append(f"{where} = {value!r}")
            elif (data_type == "DATE" or data_type.startswith("TIMESTAMP")) and (
                schema,
                table,
            ) not in CALENDAR_RELATIONS:
                days = {value.date() if isinstance(value, datetime) else value for value in values}
                findings += [f"{where} = {day} (a date of birth)" for day in sorted(days & dates)]
    return findings


def test_every_analyst_facing_model_is_built_and_scanned(built: tuple[Path, Path]) -> None:
    root, warehouse = built
    models = _analyst_models(root)
    tables = {(schema, table) for schema, table, _, _ in _columns(warehouse, SCANNED_SCHEMAS)}
    assert models == tables
    assert {("publish", "pub_tsg_dataset"), ("restricted", "pub_tsg_detail")} <= models
    assert len(models) >= 20  # marts of the placements and compliance areas at least


def test_no_analyst_facing_column_is_named_like_a_direct_identifier(built: tuple[Path, Path]) -> None:
    _, warehouse = built
    # A boolean is a flag about an identifier (e.g. has_hr_person_id), never the identifier itself.
    named = [
        f"{s}.{t}.{c}"
        for s, t, c, data_type in _columns(warehouse, SCANNED_SCHEMAS)
        if IDENTIFIER_NAME.search(c) and data_type != "BOOLEAN"
    ]
    assert named == []
    # The same rule on the staging layer finds the identifiers it keeps (the rule is not vacuous).
    staging = {f"{t}.{c}" for s, t, c, _ in _columns(warehouse, ("staging",)) if IDENTIFIER_NAME.search(c)}
    assert {"stg_ssda903__header.child_id", "stg_ssda903__header.unique_pupil_number"} <= staging, sorted(staging)


def test_no_analyst_facing_value_is_a_delivered_identifier(built: tuple[Path, Path]) -> None:
    root, warehouse = built
    texts, dates = _delivered_identifiers(root / "landing")
    # What was delivered (landing_compliance_casework.py, landing_privacy.py): children, workers, UPNs, postcodes.
    assert {"A01", "L6", "Z1", "P101", "W1", "W9", "WTM", "UN1", "A123456789012", "B15 2TT", "B4 7DA"} <= texts
    assert {date(2012, 5, 5), date(2013, 7, 19), date(2016, 2, 29)} <= dates
    assert _value_findings(warehouse, SCANNED_SCHEMAS, texts, dates) == []
    # Staging holds them: the scan finds them there.
    in_staging = _value_findings(warehouse, ("staging",), texts, dates)
    assert any("'P101'" in f for f in in_staging) and any("2013-07-19" in f for f in in_staging)
    assert any("'B15 2TT'" in f for f in in_staging), in_staging[:20]


def test_pseudonymous_keys_are_keyed_stable_and_differ_between_organisations(tmp_path: Path) -> None:
    """Compiled by dbt (`dbt show --inline`) with two keys: the same key and id give the same pseudonym, another
    key or another organisation another one. md5('demo|E06000039|A01') is the value, as computed in Python below."""
    import hashlib

    query = """
        select {{ pseudonymous_key("'E06000039'", "'A01'") }} as same_la,
               {{ pseudonymous_key("'E09000001'", "'A01'") }} as other_la,
               {{ birth_month("cast('2013-07-19' as date)") }} as birth_month,
               {{ postcode_sector("' b15 2tt'") }} as sector, {{ postcode_sector("'B152TT'") }} as no_space,
               {{ postcode_sector("'EC1A 1BB'") }} as long_outward, {{ postcode_sector("'XYZ'") }} as not_a_postcode
    """

    def show(key: str) -> dict:
        result = run_dbt(
            ["show", "--inline", query, "--output", "json", "--log-format", "text"],
            as_of=AS_OF,
            target="duckdb",
            target_path=tmp_path / "target",
            env_overrides={"CSC_PSEUDONYM_KEY": key, "CSC_WAREHOUSE_PATH": str(tmp_path / "show.duckdb")},
        )
        assert result.success, result.log_tail
        text = result.log_tail[result.log_tail.index("{") : result.log_tail.rindex("}") + 1]
        return json.loads(text)["show"][0]

    demo, again, other_key = show("demo"), show("demo"), show("another key")
    assert demo["same_la"] == hashlib.md5(b"demo|E06000039|A01").hexdigest()
    assert demo == again  # stable across runs
    assert demo["other_la"] == hashlib.md5(b"demo|E09000001|A01").hexdigest() != demo["same_la"]
    assert other_key["same_la"] == hashlib.md5(b"another key|E06000039|A01").hexdigest() != demo["same_la"]
    # A quote in the key is part of the key, not SQL.
    assert show("it's")["same_la"] == hashlib.md5(b"it's|E06000039|A01").hexdigest()
    assert (demo["birth_month"], demo["sector"], demo["no_space"]) == ("2013-07", "B15 2", "B15 2")
    assert (demo["long_outward"], demo["not_a_postcode"]) == ("EC1A 1", None)
