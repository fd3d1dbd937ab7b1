"""The public face of flexhub.resellers: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.resellers.commands import RecordPayment, ResellerAccount, SetResellerPrices, SetResellerTerms
from flexhub.resellers.credit import Credit, charge_orders, charge_released, charges, credit_cancelled
from flexhub.resellers.errors import InvalidMonth, InvalidPrices, InvalidTerms, UnknownReseller
from flexhub.resellers.events import ResellerPaid, ResellerPricesSet, ResellerTermsSet

__all__ = [
    "Credit", "InvalidMonth", "InvalidPrices", "InvalidTerms", "RecordPayment", "ResellerAccount", "ResellerPaid",
    "ResellerPricesSet", "ResellerTermsSet", "SetResellerPrices", "SetResellerTerms", "UnknownReseller",
    "charge_orders", "charge_released", "charges", "credit_cancelled",
]
