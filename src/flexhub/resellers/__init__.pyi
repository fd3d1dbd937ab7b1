"""The public face of flexhub.resellers: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.resellers.commands import (
    ChargeStorage,
    ChargeStorageDue,
    RecordPayment,
    ResellerAccount,
    SetResellerBrand,
    SetResellerPrices,
    SetResellerTerms,
    StorageCharges,
)
from flexhub.resellers.credit import (
    Credit,
    charge_orders,
    charge_released,
    charges,
    covers,
    credit_cancelled,
    credit_returned,
)
from flexhub.resellers.errors import (
    InvalidLogo,
    InvalidMonth,
    InvalidPools,
    InvalidPrices,
    InvalidTerms,
    UnknownReseller,
)
from flexhub.resellers.events import (
    ResellerBrandSet,
    ResellerCredited,
    ResellerPaid,
    ResellerPricesSet,
    ResellerTermsSet,
    StorageCharged,
)
from flexhub.resellers.queries import Brand, blind_sender
from flexhub.resellers.queries import reseller as visible_reseller

__all__ = [
    "Brand", "ChargeStorage", "ChargeStorageDue", "Credit", "InvalidLogo", "InvalidMonth", "InvalidPools",
    "InvalidPrices", "InvalidTerms", "RecordPayment", "ResellerAccount", "ResellerBrandSet", "ResellerCredited",
    "ResellerPaid",
    "ResellerPricesSet", "ResellerTermsSet", "SetResellerBrand", "SetResellerPrices", "SetResellerTerms",
    "StorageCharged", "StorageCharges", "blind_sender", "charge_orders", "charge_released", "charges",
    "covers", "credit_cancelled", "credit_returned", "UnknownReseller", "visible_reseller",
]
