"""Catalog commands, and what their handlers answer."""

import uuid
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


@dataclass(frozen=True, kw_only=True)
class SkuCreated:
    """What CreateSku and CreateBundle answer: the SKU made (a bundle with its components per unit)."""

    id: uuid.UUID
    code: str
    name: str
    is_bundle: bool = False
    components: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class UpdateSku(Command):
    """Change a SKU's master data (an ERP that owns it, or a person): each field given replaces the stored one;
    `attributes` are merged into the SKU's."""

    code: str
    name: str | None = None
    barcode: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class SkuUpdated:
    code: str
    changed: list[str]  # the fields whose value moved; empty when the update changed nothing
