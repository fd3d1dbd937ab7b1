"""The public face of flexhub.finance: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.finance.commands import (
    AddLandedCost,
    AddReturnCost,
    CarrierChargeIn,
    ImportCarrierBill,
    ImportStatement,
    RateIn,
    RecordCarrierCharges,
    RecordExchangeRates,
    ResolveDifference,
    SetFeeTerms,
    StatementKept,
)
from flexhub.finance.errors import (
    DifferenceAlreadyResolved,
    InvalidFeeTerms,
    InvalidPeriod,
    MissingExchangeRate,
    UnknownDifference,
    UnknownDimension,
    UnknownFormat,
    UnknownStatement,
    UnreadableStatement,
)
from flexhub.finance.events import DifferenceResolved, FeeTermsSet, StatementImported
from flexhub.finance.queries import statement_money

__all__ = [
    "AddLandedCost", "AddReturnCost", "RateIn", "RecordExchangeRates", "CarrierChargeIn", "ImportCarrierBill",
    "RecordCarrierCharges",
    "DifferenceAlreadyResolved", "DifferenceResolved", "FeeTermsSet", "ImportStatement", "InvalidFeeTerms",
    "InvalidPeriod", "MissingExchangeRate", "ResolveDifference", "SetFeeTerms", "StatementImported", "StatementKept",
    "UnknownDifference",
    "UnknownDimension", "UnknownFormat", "UnknownStatement", "UnreadableStatement", "statement_money",
]
