"""The public face of flexhub.returns: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.returns.commands import (
    CreateReturn,
    InspectReturn,
    ReceiveReturn,
    ReturnGraded,
    ReturnsCentres,
    ReturnStep,
    SetReturnsCentres,
)
from flexhub.returns.errors import InvalidGrading, InvalidReturnTransition, ReturnExists, UnknownReturn
from flexhub.returns.events import ReturnCreated, ReturnInspected
from flexhub.returns.from_channels import open_channel_returns
from flexhub.returns.queries import return_view

__all__ = [
    "CreateReturn", "InspectReturn", "InvalidGrading", "InvalidReturnTransition", "ReceiveReturn", "ReturnCreated",
    "ReturnExists", "ReturnGraded", "ReturnInspected", "ReturnStep", "ReturnsCentres", "SetReturnsCentres",
    "UnknownReturn", "open_channel_returns",
    "return_view",
]
