"""The synthetic organisation's money: placement commitments derived from the simulated lives in care, post-order
allowances and care-leaver support, providers, the general ledger (agreeing with the commitments and with the
staff in post), budgets, forecasts and the other finance exports (input contract §4.2)."""

from synth.finance.commitments import Commitment, build_commitments, finance_type
from synth.finance.exports import FIN_COLUMNS, build_finance, write_finance_exports
from synth.finance.params import FinanceParams

__all__ = [
    "FIN_COLUMNS",
    "Commitment",
    "FinanceParams",
    "build_commitments",
    "build_finance",
    "finance_type",
    "write_finance_exports",
]
