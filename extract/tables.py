"""The SSDA903 table registry (input contract §1.1.1, §1.1.4): one data-driven spec per table, no per-table code.

Each column says its type, whether it may be blank (N = required, Y = may be blank, C = conditional, with the
condition written as a `Conditional`), its code list (an item of `extract.codes`), whether that list is a ★ key
code (unknown -> R02) or not (unknown -> W05, nulled), and whether it is personal data (never written raw to the
quarantine, §11).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from extract.codes import PLACE_WITHOUT_PROVIDER

# Column types: id (opaque id, `max_len`), str (text, `max_len`), code, date (dd/mm/YYYY), partial_date (PrevPerm's
# DATE_PERM, zz allowed for day/month), int (`int_range`), postcode (normalised, invalid -> W05), upn, sw_id.
COLUMN_TYPES = frozenset({"id", "str", "code", "date", "partial_date", "int", "postcode", "upn", "sw_id"})
PRESENT = "<present>"  # a Conditional trigger: the other column has a value


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    blank: str = "Y"  # N required (R04), Y may be blank, C conditional (see TableSpec.conditionals)
    codes: str | None = None  # code list item (extract.codes)
    key: bool = False  # ★ key code: unknown -> R02; otherwise unknown -> W05 (value nulled)
    max_len: int | None = None
    int_range: tuple[int, int] | None = None
    personal: bool = False  # raw value never stored in quarantine or warnings, only its hash
    may_be_future: bool = False  # exempt from R06 (e.g. DUC, the planned end of UASC status)
    label: str | None = None  # for messages: "LS 'ZZ' is not a legal status code in 2025-26"

    @property
    def landed_name(self) -> str:
        return self.name.lower()


@dataclass(frozen=True)
class Conditional:
    """`column` must be present (`must` = "present") or blank ("blank") when `when_column` holds one of
    `when_values` (or any value, PRESENT; or no value, `when_values` = ()), else `rule_code`."""

    column: str
    must: str
    when_column: str
    when_values: tuple[str, ...] | str
    rule_code: str = "R05"
    negate: bool = False  # the condition holds when when_column is NOT one of when_values

    def applies(self, value: object) -> bool:
        if self.when_values == PRESENT:
            return value is not None
        if self.when_values == ():
            return value is None
        if value is None:  # the trigger column is itself blank or invalid: nothing to check
            return False
        return (value not in self.when_values) if self.negate else (value in self.when_values)


@dataclass(frozen=True)
class Ordering:
    """`end` must be after `start` (strictly when `strict`), else R05."""

    start: str
    end: str
    strict: bool = False


@dataclass(frozen=True)
class StartLimit:
    """`code` in `column` is invalid (R02) for records whose `start_column` is on or after `from_date`, in files of
    schema year `from_year` or later (PLACE P2 from 28/10/2023)."""

    column: str
    code: str
    start_column: str
    from_date: date
    from_year: int


@dataclass(frozen=True)
class TableSpec:
    name: str  # DfE name, e.g. "PlacedAdoption"
    table: str  # landed folder, ledger table_name and load_id prefix, e.g. "placed_adoption"
    columns: tuple[Column, ...]
    pk: tuple[str, ...]
    from_year: int | None = None  # first schema year of the table (SWEpisodes 2024, DoLo 2027)
    conditionals: tuple[Conditional, ...] = ()
    orderings: tuple[Ordering, ...] = ()
    start_limits: tuple[StartLimit, ...] = ()
    legacy_end: str | None = None  # the record's end date, for the W07 legacy-code rule (§1.1.5)

    @property
    def column_set(self) -> frozenset[str]:
        return frozenset(column.name for column in self.columns)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _child() -> Column:
    return Column("CHILD", "id", "N", max_len=20, personal=True)


def _dob(blank: str = "N") -> Column:
    return Column("DOB", "date", blank, personal=True)


def _sex() -> Column:
    return Column("SEX", "code", "N", codes="SEX", key=True, label="sex")


_NO_PROVIDER = tuple(sorted(PLACE_WITHOUT_PROVIDER))
_FLAGS = (
    "CONVICTED",
    "HEALTH_CHECK",
    "IMMUNISATIONS",
    "TEETH_CHECK",
    "HEALTH_ASSESSMENT",
    "SUBSTANCE_MISUSE",
    "INTERVENTION_RECEIVED",
    "INTERVENTION_OFFERED",
)

TABLES: tuple[TableSpec, ...] = (
    TableSpec(
        "Header",
        "header",
        (
            _child(),
            _sex(),
            _dob(),
            Column("ETHNIC", "code", "N", codes="ETHNIC", label="ethnicity"),
            Column("UPN", "upn", "N", max_len=13, personal=True),
            Column("MOTHER", "code", codes="FLAG01", label="0/1 flag"),
            Column("MC_DOB", "date", "C", personal=True),
        ),
        pk=("CHILD",),
        conditionals=(Conditional("MC_DOB", "present", "MOTHER", ("1",)),),
    ),
    TableSpec(
        "Episodes",
        "episodes",
        (
            _child(),
            Column("DECOM", "date", "N"),
            Column("RNE", "code", "N", codes="RNE", key=True, label="reason for new episode"),
            Column("LS", "code", "N", codes="LS", key=True, label="legal status"),
            Column("CIN", "code", "N", codes="CIN", label="category of need"),
            Column("PLACE", "code", "N", codes="PLACE", key=True, label="placement type"),
            Column("PLACE_PROVIDER", "code", "C", codes="PLACE_PROVIDER", label="placement provider"),
            Column("DEC", "date"),
            Column("REC", "code", "C", codes="REC", key=True, label="reason episode ceased"),
            Column("REASON_PLACE_CHANGE", "code", "C", codes="REASON_PLACE_CHANGE", label="placement change reason"),
            Column("HOME_POST", "postcode", personal=True),
            Column("PL_POST", "postcode", personal=True),
            Column("URN", "str", "C", max_len=8),
        ),
        pk=("CHILD", "DECOM"),
        conditionals=(
            Conditional("REC", "present", "DEC", PRESENT),
            Conditional("REC", "blank", "DEC", ()),
            # A provider given for a temporary or "other" placement is meaningless: nulled with a warning.
            Conditional("PLACE_PROVIDER", "blank", "PLACE", _NO_PROVIDER, "W05"),
            Conditional("PLACE_PROVIDER", "present", "PLACE", _NO_PROVIDER, "R05", negate=True),
        ),
        orderings=(Ordering("DECOM", "DEC", strict=True),),
        start_limits=(StartLimit("PLACE", "P2", "DECOM", date(2023, 10, 28), 2024),),
        legacy_end="DEC",
    ),
    TableSpec(
        "Reviews",
        "reviews",
        (
            _child(),
            _dob(),
            Column("REVIEW", "date", "N"),
            Column("REVIEW_CODE", "code", "N", codes="REVIEW_CODE", key=True, label="review participation"),
        ),
        pk=("CHILD", "REVIEW"),
    ),
    TableSpec(
        "UASC",
        "uasc",
        (_child(), _sex(), _dob(), Column("DUC", "date", may_be_future=True)),
        pk=("CHILD",),
    ),
    TableSpec(
        "OC2",
        "oc2",
        (
            _child(),
            _dob(),
            Column("SDQ_SCORE", "int", int_range=(0, 40)),
            Column("SDQ_REASON", "code", codes="SDQ_REASON", label="SDQ reason"),
            *(Column(name, "code", codes="FLAG01", label="0/1 flag") for name in _FLAGS),
        ),
        pk=("CHILD",),
    ),
    TableSpec(
        "OC3",
        "oc3",
        (
            _child(),
            _dob(),
            Column("IN_TOUCH", "code", "N", codes="IN_TOUCH", key=True, label="in-touch"),
            Column("ACTIV", "code", "C", codes="ACTIV", key=True, label="activity"),
            Column("ACCOM", "code", "C", codes="ACCOM", key=True, label="accommodation"),
        ),
        pk=("CHILD",),
        conditionals=(
            Conditional("ACTIV", "present", "IN_TOUCH", ("YES", "NO")),
            Conditional("ACCOM", "present", "IN_TOUCH", ("YES", "NO")),
        ),
    ),
    TableSpec(
        "AD1",
        "ad1",
        (
            _child(),
            _dob(),
            Column("DATE_INT", "date", "N"),
            Column("DATE_MATCH", "date", "N"),
            Column("FOSTER_CARE", "code", "N", codes="FLAG01", label="0/1 flag"),
            Column("NB_ADOPTR", "int", "N", int_range=(0, 99)),
            Column("SEX_ADOPTR", "code", "N", codes="SEX_ADOPTR", label="adopters' sex"),
            Column("LS_ADOPTR", "code", "N", codes="LS_ADOPTR", label="adopters' legal status"),
        ),
        pk=("CHILD",),
    ),
    TableSpec(
        "PlacedAdoption",
        "placed_adoption",
        (
            _child(),
            _dob(),
            Column("DATE_PLACED", "date", "N"),
            Column("DATE_PLACED_CEASED", "date"),
            Column("REASON_PLACED_CEASED", "code", "C", codes="REASON_PLACED_CEASED", label="reason placement ceased"),
        ),
        pk=("CHILD", "DATE_PLACED"),
        conditionals=(Conditional("REASON_PLACED_CEASED", "present", "DATE_PLACED_CEASED", PRESENT),),
    ),
    TableSpec(
        "PrevPerm",
        "prev_perm",
        (
            _child(),
            _dob(),
            Column("PREV_PERM", "code", "N", codes="PREV_PERM", label="previous permanence"),
            Column("LA_PERM", "str", max_len=100),
            Column("DATE_PERM", "partial_date"),
        ),
        pk=("CHILD",),
    ),
    TableSpec(
        "Missing",
        "missing",
        (
            _child(),
            _dob(),
            Column("MISSING", "code", "N", codes="MISSING", key=True, label="missing/away"),
            Column("MIS_START", "date", "N"),
            Column("MIS_END", "date"),
        ),
        pk=("CHILD", "MIS_START"),
        orderings=(Ordering("MIS_START", "MIS_END"),),
    ),
    TableSpec(
        "SWEpisodes",
        "sw_episodes",
        (
            _child(),
            _dob(),
            Column("SW_ID", "sw_id", "N", max_len=12, personal=True),
            Column("SW_DECOM", "date", "N"),
            Column("SW_DEC", "date"),
            Column("SW_REASON", "code", codes="SW_REASON", label="social worker change reason"),
        ),
        pk=("CHILD", "SW_DECOM"),
        from_year=2024,
    ),
    TableSpec(
        "DoLo",
        "dolo",
        (_child(), _dob(), Column("DOLO_START", "date", "N"), Column("DOLO_END", "date")),
        pk=("CHILD", "DOLO_START"),
        from_year=2027,
    ),
)

PARTIAL_DATE_PRECISION_SUFFIX = "_precision"  # PrevPerm.DATE_PERM -> date_perm + date_perm_precision


def recognise(header: list[str]) -> TableSpec | None:
    """The table whose exact column set is `header` (already trimmed and upper-cased), or None."""
    names = frozenset(header)
    return next((spec for spec in TABLES if spec.column_set == names), None)


def closest(header: list[str]) -> tuple[TableSpec, list[str], list[str]]:
    """The table nearest to `header` (fewest missing + extra columns), with the missing and extra columns."""
    names = frozenset(header)

    def distance(spec: TableSpec) -> tuple[int, int]:
        return (len(spec.column_set ^ names), -len(spec.column_set & names))

    spec = min(TABLES, key=distance)
    missing = [column.name for column in spec.columns if column.name not in names]
    extra = [name for name in header if name not in spec.column_set]
    return spec, missing, extra
