"""Catalog DTOs."""

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from flexhub.kernel.codes import Code


class SkuIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Code
    name: str = Field(min_length=1, max_length=200)
    spu: str | None = Field(default=None, min_length=1, max_length=64)
    spu_name: str | None = Field(default=None, max_length=200)
    category: str | None = Field(default=None, max_length=100)
    barcode: str | None = Field(default=None, min_length=1, max_length=64)
    weight_g: int | None = Field(default=None, ge=0, le=10_000_000)
    fragile: bool = False
    high_value: bool = False
    attributes: dict[str, Any] = Field(default_factory=dict)


class ComponentIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sku: str = Field(min_length=1, max_length=64)
    quantity: int = Field(gt=0, le=10_000)


class BundleIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    code: str = Code
    name: str = Field(min_length=1, max_length=200)
    barcode: str | None = Field(default=None, min_length=1, max_length=64)
    components: list[ComponentIn] = Field(min_length=1, max_length=50)


class ComponentOut(BaseModel):
    sku: str
    quantity: int


class SkuOut(BaseModel):
    id: str
    code: str
    name: str
    spu: str | None
    barcode: str | None
    weight_g: int | None
    fragile: bool
    high_value: bool
    is_bundle: bool
    attributes: dict[str, Any]
    components: list[ComponentOut]
