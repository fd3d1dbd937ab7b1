"""Saved filter request and answer shapes."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field


class SavedFilterIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    list: str = Field(max_length=32, description="the list it filters: orders | stock")
    name: str = Field(max_length=200, description="1 to 80 characters, once per owner and list")
    filters: dict[str, str] = Field(max_length=20, description=(
        "the list page's filters by the names its address uses (orders: channel, status, q, external_id, phone, "
        "since, until, sort; stock: q, node, sort)"))
    shared: bool = Field(default=False, description="seen (not deleted) by everyone of the tenant, or the partner")


class SavedFilterOut(BaseModel):
    id: str
    list: str
    name: str
    filters: dict[str, str]
    shared: bool
    mine: bool = Field(description="saved by the caller (only its owner deletes a filter)")
    created_at: datetime


class SavedFilterListOut(BaseModel):
    saved_filters: list[SavedFilterOut]
