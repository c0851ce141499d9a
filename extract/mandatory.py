"""The mandatory-input gate of a monthly run (input contract §9.1), from the extract outcomes.

For every LA that delivered for the run's month, the month's 903 Header and Episodes must be landed (or unchanged,
i.e. landed by an earlier run) with at least one row: §9.1 blocks publication when a mandatory table is absent or
rejected, and makes Header and Episodes with zero rows block too. (A file with more than 2 % rejected rows is already
rejected, F07.) A mandatory table with more than 2 % of its landed rows orphans (a child id the delivery does not
know, input contract §6 X1) is treated like F07 for gating: the delivery-level pass (`extract.consistency`) returns a
`gated` outcome for it, and a `gated` outcome blocks here like a rejected file. A `superseded` load (replaced by a
re-delivery of its file, as the ledger records it) is no longer read by dbt, so it counts as absent. 903 Reviews are
mandatory in §9.1 as well; they join this list when the indicators that use them are built, since until then nothing
downstream reads them.

The other §9.1 tables (CIN, SSD, HR, finance, reference) are landed by `extract/` but join this gate only when the marts
that need them are built (their ledger `table_name` is the contract name: `cin`, `ssd_person`, `hr_post`, ...).
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

MANDATORY_903_TABLES = ("header", "episodes")
ORPHAN_RATE_LIMIT = 0.02  # X1: more than 2 % orphan rows in a mandatory table gates like F07
GATED = "gated"  # the outcome the delivery-level pass returns for such a table (never a ledger value)


def is_mandatory(family: str, table_name: str) -> bool:
    """Whether a landed table (landing family, ledger table name) is one this gate checks."""
    return family == "ssda903" and table_name in MANDATORY_903_TABLES


class MandatoryInputError(ValueError):
    """A mandatory input of the month is absent, rejected or empty; the message is one line naming it."""


def check_mandatory_inputs(outcomes: list[dict], as_of: date, inbound_dir: Path | None = None) -> None:
    """Raise MandatoryInputError unless every LA delivering for `as_of`'s month has landed Header and Episodes rows.

    `outcomes` are `FileOutcome.to_dict()` values. Only the month's own delivery counts (`<la>/<YYYY-MM>/903/`),
    not history returns, even when a history year ends in the same month.
    """
    month = f"{as_of:%Y-%m}"
    of_month = [outcome for outcome in outcomes if _is_delivery_of(outcome, month)]
    if not of_month:
        raise MandatoryInputError(f"no delivery for {month} in {inbound_dir or 'the inbound folder'}")
    problems = []
    for la_code in sorted({outcome["la_code"] for outcome in of_month}):
        delivered = [outcome for outcome in of_month if outcome["la_code"] == la_code]
        for table in MANDATORY_903_TABLES:
            problem = _table_problem([outcome for outcome in delivered if outcome["table_name"] == table], delivered)
            if problem:
                problems.append(f"{la_code} {month} 903 {table}: {problem}")
    if problems:
        raise MandatoryInputError(" | ".join(problems))


def _is_delivery_of(outcome: dict, month: str) -> bool:
    parts = Path(outcome["source_file"]).parts
    return outcome["reporting_month"] == month and len(parts) > 1 and parts[1] == month


def _table_problem(files: list[dict], delivered: list[dict]) -> str | None:
    gated = [outcome for outcome in files if outcome["outcome"] == GATED]
    files = [outcome for outcome in files if outcome["outcome"] in ("landed", "unchanged", "rejected")]
    rejected = [outcome for outcome in files if outcome["outcome"] == "rejected"]
    if rejected:
        return f"rejected: {rejected[0]['message']}"
    if gated:
        return f"gated: {gated[0]['message']}"
    if not files:
        unreadable = [o["message"] for o in delivered if o["outcome"] == "rejected" and o["table_name"] is None]
        return "absent" + (f" (unrecognised files in the delivery: {'; '.join(unreadable)})" if unreadable else "")
    if sum(outcome["rows_landed"] for outcome in files) == 0:
        return "empty (header only): zero rows block publication for Header and Episodes"
    return None
