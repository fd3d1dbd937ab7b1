"""The public face of flexhub.cleaning: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.cleaning.checks import Candidate, Places
from flexhub.cleaning.commands import CleaningRulesSet, SetCleaningRules
from flexhub.cleaning.errors import (
    AddressRefused,
    DuplicateRuleName,
    InvalidRule,
    OrderRejected,
    UnknownRuleKind,
    UnreadableRules,
)
from flexhub.cleaning.events import CleaningRulesChanged
from flexhub.cleaning.queries import check_address, held_orders, holds_of, open_holds
from flexhub.cleaning.repository import close_holds
from flexhub.cleaning.screening import Screening, hold_orders, use_places

__all__ = [
    "AddressRefused", "Candidate", "CleaningRulesChanged", "CleaningRulesSet", "DuplicateRuleName", "InvalidRule",
    "OrderRejected", "Places", "Screening", "SetCleaningRules", "UnknownRuleKind", "UnreadableRules",
    "check_address", "close_holds", "held_orders", "hold_orders", "holds_of", "open_holds", "use_places",
]
