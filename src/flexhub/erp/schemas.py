"""ERP DTOs: a connection as sent (credentials in, never out) and its status."""

from datetime import datetime
from typing import Any, Literal

from pydantic import AnyHttpUrl, BaseModel, ConfigDict, Field

Code = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9][A-Za-z0-9_.-]*$")
Secret = Field(default=None, min_length=1, max_length=500)


class ConnectionIn(BaseModel):
    """A connection and its kind's credentials: odoo `database`, `login`, `api_key`; erpnext `api_key`,
    `api_secret`; kingdee `acct_id`, `username`, `app_id`, `app_secret`, `lcid`."""

    model_config = ConfigDict(extra="forbid")

    code: str = Code
    kind: Literal["odoo", "erpnext", "kingdee"]
    url: AnyHttpUrl
    allow_private: bool = Field(default=False, description="admins only: allow a private or local address "
                                "(an on-premises ERP); refused with 422 otherwise")
    settings: dict[str, Any] = Field(default_factory=dict, description="`ownership` per entity and field "
                                     "(`erp` or `hub`), `customers` (channel or reseller code → ERP account)")
    database: str | None = Secret
    login: str | None = Secret
    api_key: str | None = Secret
    api_secret: str | None = Secret
    acct_id: str | None = Secret
    username: str | None = Secret
    app_id: str | None = Secret
    app_secret: str | None = Secret
    lcid: str | None = Field(default=None, max_length=10)


class ConnectionOut(BaseModel):
    id: str
    code: str
    kind: str
    url: str
    allow_private: bool
    credential_names: list[str] = Field(description="which credentials are kept, sealed; their values never leave")


class DocumentOut(BaseModel):
    id: str
    kind: str
    hub_ref: str
    state: str
    attempts: int
    error: str | None
    erp_id: str | None
    sent_at: datetime | None
    created_at: datetime


class ErrorOut(DocumentOut):
    """A document whose last try failed (`source` document), or the connection's last read from the ERP that
    failed (`source` read, `kind` read, `attempts` the failed reads in a row)."""

    source: Literal["document", "read"]
    connection: str
    # None for a read: widened from DocumentOut's, which pydantic allows and mypy's subclass rule does not.
    hub_ref: str | None  # type: ignore[assignment]
    next_try_at: datetime | None = Field(description="when it is tried again; none while parked")


class ReadingOut(BaseModel):
    error: str | None = Field(description="why the last read from the ERP failed; none when it went through")
    failures: int = Field(description="failed reads in a row")
    failed_at: datetime | None
    next_try_at: datetime | None = Field(description="when the poll reads again (a sync reads at once)")


class StatusOut(BaseModel):
    code: str
    kind: str
    last_sync_at: datetime | None
    backlog: int = Field(description="documents waiting to go out")
    sent: int
    dead: int = Field(description="documents parked until someone retries them")
    unmapped: int
    conflicts: int
    reading: ReadingOut
    errors: list[ErrorOut] = Field(description="what failed, with the reason: the last read if it failed, then "
                                   "each document whose last try failed, newest first")


class ConnectionsOut(BaseModel):
    connections: list[dict[str, Any]]


class DocumentsOut(BaseModel):
    documents: list[DocumentOut]


class MappingIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    kind: Literal["sku", "customer", "supplier", "location", "account"]
    hub_code: str = Field(min_length=1, max_length=120)
    erp_ref: str = Field(min_length=1, max_length=120)


class MappingsOut(BaseModel):
    mappings: list[dict[str, Any]]


class ConflictsOut(BaseModel):
    conflicts: list[dict[str, Any]]


class RetriedOut(BaseModel):
    id: str
    state: str


class SyncedOut(BaseModel):
    code: str
    sent: int
    failed: int
    read: dict[str, int] = Field(description="records read per stream: products, suppliers, purchase_orders")
    errors: list[str] = Field(default_factory=list, description="why reading stopped, if it did")
