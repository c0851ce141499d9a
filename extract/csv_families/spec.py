"""Table specs of the generic CSV families, written as compact text transcribed from the input contract (§2-§5).

One line per column: `name type null [codes] [flags]`.

* type: `id`, `id:20` (at most 20 characters), `str`, `str:100`, `code`, `date`, `datetime`, `int`, `dec:4.2`
  (dec(p,s)), `gbp` (dec(14,2)), `bool`, `yn_na`, `json`, `postcode`, `month`, `fy` (input contract §0.5).
* null: `N` required (absent column F03, null value R04), `Y` nullable, `C` conditional (a table rule says when).
  `N*` columns of the contract ("required unless ref_local_code_map maps ...") are `Y` here: extract cannot know.
* codes (code columns): `M,F,U` (inline list), `@ETHNIC` (a named list, `extract.csv_families.codes`), or `~`:
  free text the contract maps through `ref_local_code_map` at staging, landed as delivered (never W05 at extract).
* flags: `key` (★ key code: unknown -> R02, otherwise W05 and nulled), `future` (exempt from R06), `range=0..40`,
  `array` (a json column that may hold a JSON array as well as an object).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

import pyarrow as pa

from extract.csv_families.codes import named_codes
from extract.csv_families.overlap_cap import OverlapCap

TYPES = frozenset(
    {"id", "str", "code", "date", "datetime", "int", "dec", "gbp", "bool", "yn_na", "json", "postcode", "month", "fy"}
)
_PERSONAL_NAME = re.compile(
    r"(person_id|child_id|worker_id|professional_id|staff_id|registration_no|agency_worker_ref|(^|_)dob$|"
    r"death_date|postcode|yj_person_ref|personal_advisor|upn|carer_id|family_id|(^|_)pcds$)"
)
# Values shown raw in quarantine/warnings only for these types, and never for a personal column.
_SHOWABLE = frozenset({"code", "date", "datetime", "int", "dec", "gbp", "bool", "yn_na", "month", "fy"})


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    required: bool = False
    max_len: int | None = None
    precision: tuple[int, int] | None = None  # dec(p, s)
    codes: frozenset[str] | None = None
    mapped: bool = False  # free text mapped at staging (ref_local_code_map): landed as delivered
    key: bool = False
    future: bool = False
    value_range: tuple[Decimal, Decimal] | None = None
    json_array: bool = False

    @cached_property  # asked for every value checked: the name's regex is searched once per column
    def personal(self) -> bool:
        """Never written raw to quarantine or warnings (ids, free text, dates of birth, postcodes): hash only."""
        return self.type not in _SHOWABLE or bool(_PERSONAL_NAME.search(self.name))

    @property
    def arrow_type(self) -> pa.DataType:
        if self.type == "date":
            return pa.date32()
        if self.type == "datetime":
            return pa.timestamp("us", tz="UTC")
        if self.type == "int":
            return pa.int64()
        if self.type in ("dec", "gbp"):
            return pa.decimal128(*self.precision)
        if self.type == "bool":
            return pa.bool_()
        return pa.string()


@dataclass(frozen=True)
class TableSpec:
    name: str  # contract table name, e.g. ssd_contacts: file name, ledger table_name, load-id prefix
    family: str  # ssd | local | hr | fin | ref
    tier: str  # M | R | O (input contract §9)
    pk: tuple[str, ...]
    columns: tuple[Column, ...]
    prohibited: frozenset[str] = frozenset()  # §11.2 columns named by the table: dropped with W10
    orderings: tuple[tuple[str, str], ...] = ()  # (start, end): end before start -> R05
    at_least_one: tuple[tuple[str, ...], ...] = ()  # all null -> R04
    not_both: tuple[tuple[str, str], ...] = ()  # both set -> R05
    within_fy: tuple[tuple[str, str], ...] = ()  # (month, fy): a month outside its financial year -> R05
    overlap_cap: OverlapCap | None = None  # overlapping assignments over a cap -> R05 on the later row
    la_code_as: str | None = None  # the table's own `la_code` column means something else: landed under this name

    @property
    def folder(self) -> str:
        """Landed folder under landing/<family>/: the name without its family prefix (ssd_contacts -> contacts)."""
        return self.name.removeprefix(f"{self.family}_")

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)

    @property
    def names(self) -> frozenset[str]:
        return frozenset(column.name for column in self.columns)


def table(
    name: str,
    tier: str,
    pk: str,
    columns: str,
    *,
    prohibited: tuple[str, ...] = (),
    orderings: tuple[tuple[str, str], ...] = (),
    at_least_one: tuple[tuple[str, ...], ...] = (),
    not_both: tuple[tuple[str, str], ...] = (),
    within_fy: tuple[tuple[str, str], ...] = (),
    overlap_cap: OverlapCap | None = None,
    la_code_as: str | None = None,
) -> TableSpec:
    """A TableSpec from the compact text (module docstring); `pk` is space-separated column names."""
    parsed = tuple(_column(line) for line in columns.strip().splitlines() if line.strip())
    spec = TableSpec(
        name=name,
        family=name.split("_", 1)[0],
        tier=tier,
        pk=tuple(pk.split()),
        columns=parsed,
        prohibited=frozenset(prohibited),
        orderings=orderings,
        at_least_one=at_least_one,
        not_both=not_both,
        within_fy=within_fy,
        overlap_cap=overlap_cap,
        la_code_as=la_code_as,
    )
    known = spec.names | {"la_code"}
    for column_name in (*spec.pk, *(c for pair in (*orderings, *at_least_one, *not_both, *within_fy) for c in pair)):
        if column_name not in known:
            raise ValueError(f"{name}: rule names unknown column {column_name}")
    return spec


def _column(line: str) -> Column:
    name, kind, null, *rest = line.split()
    base, _, size = kind.partition(":")
    if base not in TYPES:
        raise ValueError(f"{name}: unknown type {kind}")
    settings: dict = {"required": null == "N"}
    if base in ("id", "str") and size:
        settings["max_len"] = int(size)
    if base == "dec":
        digits, scale = size.split(".")
        settings["precision"] = (int(digits), int(scale))
    if base == "gbp":
        settings["precision"] = (14, 2)
    for token in rest:
        if token == "key":
            settings["key"] = True
        elif token == "future":
            settings["future"] = True
        elif token == "array":
            settings["json_array"] = True
        elif token == "~":
            settings["mapped"] = True
        elif token.startswith("range="):
            low, high = token.removeprefix("range=").split("..")
            settings["value_range"] = (Decimal(low), Decimal(high))
        elif token.startswith("@"):
            settings["codes"] = named_codes(token[1:])
        else:
            settings["codes"] = frozenset(token.split(","))
    return Column(name, base, **settings)


@dataclass(frozen=True)
class Registry:
    tables: tuple[TableSpec, ...]
    ignored: dict[str, str] = field(default_factory=dict)  # table name or prefix -> reason (W02, not landed)

    def find(self, name: str) -> TableSpec | None:
        return next((spec for spec in self.tables if spec.name == name), None)
