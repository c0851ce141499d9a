"""Month-on-month volatility guard (kpi-catalogue §5.8 item 4): warnings that need sign-off, never a hard fail."""

from __future__ import annotations

import pandas as pd

PERCENT_POINT_LIMIT = 15.0
COUNT_RELATIVE_LIMIT = 0.25


def volatility_warnings(frame: pd.DataFrame) -> list[str]:
    """One sentence per indicator whose value moved more than the guard allows since the previous period."""
    warnings: list[str] = []
    comparable = frame.dropna(subset=["value", "prev_value"])
    for row in comparable.sort_values(["la_code", "kpi_id", "grain", "grain_key"]).itertuples():
        value, previous = float(row.value), float(row.prev_value)
        change = value - previous
        if row.unit == "%":
            if abs(change) > PERCENT_POINT_LIMIT:
                warnings.append(
                    f"{row.kpi_id} ({row.grain} {row.grain_key}) moved {change:+.1f} pp "
                    f"from {previous:g} to {value:g}: check before sign-off"
                )
        elif previous != 0 and abs(change) / abs(previous) > COUNT_RELATIVE_LIMIT:
            warnings.append(
                f"{row.kpi_id} ({row.grain} {row.grain_key}) moved {change / abs(previous):+.0%} "
                f"from {previous:g} to {value:g}: check before sign-off"
            )
    return warnings
