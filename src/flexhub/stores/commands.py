"""Stores commands."""

from dataclasses import dataclass

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class SetShelfPrice(Command):
    sku: str
    amount: int
    currency: str
