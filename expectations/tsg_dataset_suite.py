"""The expectation suite for the TSG dataset: the publication gates of kpi-catalogue §5.8 that apply to it.

Each expectation here is a hard gate: if one fails, nothing is published. Month-on-month volatility is not a
gate (§5.8 item 4); it is reported as a warning by `expectations.volatility`.
"""

from __future__ import annotations

from datetime import date

import great_expectations.expectations as gxe
from great_expectations.expectations.row_conditions import Column

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


def tsg_dataset_expectations(as_of: date, due_kpis: set[str]) -> list[gxe.Expectation]:
    """The gates for the dataset of the month ending `as_of`, which must hold exactly `due_kpis`."""
    return [
        gxe.ExpectTableColumnsToMatchOrderedList(column_list=TSG_DATASET_COLUMNS),
        gxe.ExpectTableRowCountToBeBetween(min_value=1),
        # Completeness: every TSG indicator due this month is present, and nothing else.
        gxe.ExpectColumnDistinctValuesToEqualSet(column="kpi_id", value_set=sorted(due_kpis)),
        gxe.ExpectCompoundColumnsToBeUnique(column_list=["la_code", "kpi_id", "period_end", "grain", "grain_key"]),
        gxe.ExpectColumnValuesToBeInSet(column="period_end", value_set=[as_of.isoformat()]),
        gxe.ExpectColumnValuesToMatchRegex(column="la_code", regex=r"^E(?:06|08|09|10)\d{6}$"),
        gxe.ExpectColumnValuesToNotBeNull(column="rag_state"),
        gxe.ExpectColumnValuesToBeInSet(column="rag_state", value_set=RAG_STATES),
        gxe.ExpectColumnValuesToNotBeNull(column="rag_colour"),
        gxe.ExpectColumnValuesToBeInSet(column="direction", value_set=["H", "L", "M"], mostly=1.0),
        gxe.ExpectColumnValuesToBeBetween(column="numerator", min_value=0),
        gxe.ExpectColumnValuesToBeBetween(column="denominator", min_value=0),
        gxe.ExpectColumnPairValuesAToBeGreaterThanB(
            column_A="denominator",
            column_B="numerator",
            or_equal=True,
            ignore_row_if="either_value_is_missing",
        ),
        gxe.ExpectColumnValuesToBeBetween(
            column="value",
            min_value=0,
            max_value=100,
            row_condition=Column("unit") == "%",
        ),
    ]
