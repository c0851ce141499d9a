"""The expectation suites for the TSG candidate: the publication gates of kpi-catalogue §5.8 that apply to it.

Each expectation here is a hard gate, labelled (meta `gate`) with the §5.8 rule it enforces so the failure
report can say which gate failed and why. Month-on-month volatility is not a gate (§5.8 item 4); it is reported
as a warning by `expectations.volatility`. The gates that need the warehouse rather than the candidate run in
the dbt build before it (fail-fast): referential integrity (§5.8 item 5), code lists of the delivered data
(item 6, staging accepted_values tests) and the RAG macro's vectors (item 7, the singular test
assert_rag_state_matches_catalogue_vectors).
"""

from __future__ import annotations

from datetime import date

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

from expectations.kpi_register import load_register
from expectations.warehouse_reconciliation import CHECK_IDS
from publish.rag import colour_table

GATE_COMPLETENESS = "5.8-1 completeness: every live TSG indicator, one row per grain key for the period end"
GATE_NUMERATOR = "5.8-1 numerator <= denominator, no negative counts"
GATE_PERCENT = "5.8-1 percentages between 0 and 100"
GATE_RAG = "5.8-1 every row rated (no null rag_state or colour)"
GATE_RECONCILIATION = "5.8-2 reconciliations: services add up to the company; trend agrees with the dataset"
GATE_OPEN_CHILDREN = "5.8-2 reconciliation: open children = distinct union of open referrals and 903 episodes"
GATE_CLA_903 = "5.8-2 reconciliation: 903 CLA count within tolerance (±2) of the case-system CLA list"
GATE_CODE_LISTS = "5.8-6 code lists: states, colours, schemes, directions, units, grains, organisation codes"

TSG_DATASET_COLUMNS = [
    "la_code",
    "kpi_id",
    "kpi_name",
    "definition_version",
    "period_start",
    "period_end",
    "snapshot_date",
    "grain",
    "grain_key",
    "numerator",
    "denominator",
    "value",
    "unit",
    "target",
    "tolerance",
    "direction",
    "prev_value",
    "rag_state",
    "rag_colour",
    "rag_scheme",
    "low_n_flag",
    "data_quality_flag",
    "source_load_ids",
]

RAG_STATES = [
    "ON_TARGET",
    "WITHIN_TOLERANCE",
    "OUTSIDE_IMPROVING",
    "OUTSIDE_NOT_IMPROVING",
    "OFF_TARGET_NOT_IMPROVING",
    "TBC",
    "NO_DATA",
    "NOT_YET_DUE",
]
GRAINS = ["company", "service", "team", "worker"]
LA_CODE_PATTERN = r"^E(?:06|08|09|10)\d{6}$"

RECONCILIATION_COLUMNS = [
    "kpi_id",
    "company_numerator",
    "services_numerator",
    "company_denominator",
    "services_denominator",
    "dataset_value",
    "series_value",
    "dataset_rag_state",
    "series_rag_state",
]


def _gate(expectation: gxe.Expectation, gate: str) -> gxe.Expectation:
    expectation.meta = {"gate": gate}
    return expectation


def tsg_dataset_expectations(as_of: date, due_kpis: set[str]) -> list[gxe.Expectation]:
    """The gates for the dataset of the month ending `as_of`, which must hold exactly `due_kpis`."""
    colours = sorted({colour for colour in colour_table().values()})
    schemes = sorted({scheme for scheme, _ in colour_table()})
    units = sorted({row.unit for row in load_register()})  # the register's units: a new unit is one data change
    return [
        _gate(gxe.ExpectTableColumnsToMatchOrderedList(column_list=TSG_DATASET_COLUMNS), GATE_COMPLETENESS),
        _gate(gxe.ExpectTableRowCountToBeBetween(min_value=1), GATE_COMPLETENESS),
        # Every live TSG indicator due this month is present, and nothing else (kpi_register: planned rows are
        # not required).
        _gate(gxe.ExpectColumnDistinctValuesToEqualSet(column="kpi_id", value_set=sorted(due_kpis)), GATE_COMPLETENESS),
        _gate(
            gxe.ExpectCompoundColumnsToBeUnique(column_list=["la_code", "kpi_id", "period_end", "grain", "grain_key"]),
            GATE_COMPLETENESS,
        ),
        _gate(gxe.ExpectColumnValuesToBeInSet(column="period_end", value_set=[as_of.isoformat()]), GATE_COMPLETENESS),
        _gate(gxe.ExpectColumnValuesToNotBeNull(column="grain_key"), GATE_COMPLETENESS),
        _gate(gxe.ExpectColumnValuesToNotBeNull(column="rag_state"), GATE_RAG),
        _gate(gxe.ExpectColumnValuesToNotBeNull(column="rag_colour"), GATE_RAG),
        _gate(gxe.ExpectColumnValuesToBeBetween(column="numerator", min_value=0), GATE_NUMERATOR),
        _gate(gxe.ExpectColumnValuesToBeBetween(column="denominator", min_value=0), GATE_NUMERATOR),
        _gate(
            gxe.ExpectColumnPairValuesAToBeGreaterThanB(
                column_A="denominator",
                column_B="numerator",
                or_equal=True,
                ignore_row_if="either_value_is_missing",
            ),
            GATE_NUMERATOR,
        ),
        _gate(
            gxe.ExpectColumnValuesToBeBetween(
                column="value", min_value=0, max_value=100, row_condition=Column("unit") == "%"
            ),
            GATE_PERCENT,
        ),
        _gate(gxe.ExpectColumnValuesToMatchRegex(column="la_code", regex=LA_CODE_PATTERN), GATE_CODE_LISTS),
        _gate(gxe.ExpectColumnValuesToBeInSet(column="rag_state", value_set=RAG_STATES), GATE_CODE_LISTS),
        _gate(gxe.ExpectColumnValuesToBeInSet(column="rag_colour", value_set=colours), GATE_CODE_LISTS),
        _gate(gxe.ExpectColumnValuesToBeInSet(column="rag_scheme", value_set=schemes), GATE_CODE_LISTS),
        _gate(gxe.ExpectColumnValuesToBeInSet(column="direction", value_set=["H", "L", "M"]), GATE_CODE_LISTS),
        _gate(gxe.ExpectColumnValuesToBeInSet(column="unit", value_set=units), GATE_CODE_LISTS),
        _gate(gxe.ExpectColumnValuesToBeInSet(column="grain", value_set=GRAINS), GATE_CODE_LISTS),
    ]


def reconciliation_expectations() -> list[gxe.Expectation]:
    """Gates over the reconciliation table (`expectations.reconciliation`): one row per indicator."""
    return [
        _gate(
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="company_numerator", column_B="services_numerator", ignore_row_if="either_value_is_missing"
            ),
            GATE_RECONCILIATION,
        ),
        _gate(
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="company_denominator",
                column_B="services_denominator",
                ignore_row_if="either_value_is_missing",
            ),
            GATE_RECONCILIATION,
        ),
        _gate(
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="dataset_value", column_B="series_value", ignore_row_if="either_value_is_missing"
            ),
            GATE_RECONCILIATION,
        ),
        _gate(
            gxe.ExpectColumnPairValuesToBeEqual(
                column_A="dataset_rag_state", column_B="series_rag_state", ignore_row_if="either_value_is_missing"
            ),
            GATE_RECONCILIATION,
        ),
    ]


# check_id of pub_tsg_reconciliations -> (its gate, the statuses that pass). A check the month's data could not
# support (NOT_CHECKED: the case-system CLA list is optional, input contract X5) passes with a warning.
WAREHOUSE_CHECKS = {
    "open_children": (GATE_OPEN_CHILDREN, ["PASS"]),
    "cla_903": (GATE_CLA_903, ["PASS", "NOT_CHECKED"]),
}


def warehouse_reconciliation_expectations() -> list[gxe.Expectation]:
    """Gates over pub_tsg_reconciliations: each check present for the organisation and within its tolerance."""
    expectations = []
    for check_id in CHECK_IDS:
        gate, passing = WAREHOUSE_CHECKS[check_id]
        expectations += [
            _gate(gxe.ExpectColumnDistinctValuesToContainSet(column="check_id", value_set=[check_id]), gate),
            _gate(
                gxe.ExpectColumnValuesToBeInSet(
                    column="status", value_set=passing, row_condition=Column("check_id") == check_id
                ),
                gate,
            ),
        ]
    return expectations
