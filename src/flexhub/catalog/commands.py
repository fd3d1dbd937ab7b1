"""Catalog commands."""

from dataclasses import dataclass, field
from typing import Any

from flexhub.kernel.messages import Command


@dataclass(frozen=True, kw_only=True)
class CreateSku(Command):
    code: str
    name: str
    spu: str | None = None
    spu_name: str | None = None
    category: str | None = None
    barcode: str | None = None
    weight_g: int | None = None
    fragile: bool = False
    high_value: bool = False
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class CreateBundle(Command):
    """A sellable SKU made of components; `components` maps component SKU code to units per bundle."""

    code: str
    name: str
    components: dict[str, int]
    barcode: str | None = None
