"""What a connector provides: a session on one ERP that finds and creates documents by the hub's id (so each is
made once), maps SKUs to items, and reads records changed since a cursor. A connector turns every bad answer into
an ErpFailure whose `reason` says what it was (erp/rules.py decides whether to try again)."""

from dataclasses import dataclass, field
from typing import Any, Protocol

import httpx2


class ErpFailure(Exception):
    def __init__(self, reason: str, detail: str = "", *, retry_after: float | None = None) -> None:
        super().__init__(f"{reason}: {detail}" if detail else reason)
        self.reason = reason  # validation | session_expired | rate_limited | timeout | unavailable | refused
        self.detail = detail
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class Page:
    """Records changed since a cursor, oldest first, and the cursor after them (None: nothing new)."""

    records: list[dict[str, Any]]
    cursor: str | None
    more: bool = False


@dataclass(frozen=True, slots=True)
class Document:
    """What the hub sends: its kind, the hub's id it carries on the ERP side, the account, lines with ERP items."""

    kind: str
    hub_ref: str
    customer: str | None = None  # the ERP's id of the customer account
    origin: str | None = None  # the ERP id of the document this one follows (a delivery's sales order)
    lines: list[dict[str, Any]] = field(default_factory=list)  # {"item": erp id, "sku", "quantity", "unit_price"}
    note: str = ""
    # A journal's: its currency and date; its lines {"role", "account": the ERP's account code, "debit", "credit"}
    currency: str | None = None
    on: str | None = None  # ISO date
    book: str | None = None  # the account book a journal is kept in, where the ERP asks for one (Kingdee)


class ErpSession(Protocol):
    def find_document(self, kind: str, hub_ref: str) -> str | None: ...

    def create_document(self, document: Document) -> str: ...

    def find_item(self, sku: str) -> str | None: ...

    def ensure_customer(self, ref: str, name: str) -> str: ...

    def changed(self, stream: str, cursor: str | None, limit: int) -> Page: ...

    def records(self, stream: str, refs: list[str]) -> list[dict[str, Any]]: ...


class ErpConnector(Protocol):
    kind: str

    def session(self, http: httpx2.Client, url: str, credentials: dict[str, str]) -> ErpSession: ...


def http_failure(error: Exception | httpx2.Response) -> ErpFailure:
    """A transport error or an HTTP status no ERP means as an answer, as a failure with its reason."""
    if isinstance(error, httpx2.TimeoutException):
        return ErpFailure("timeout", f"no answer in time ({type(error).__name__})")
    if isinstance(error, httpx2.HTTPError):
        return ErpFailure("unavailable", f"{type(error).__name__}: {error}")
    if isinstance(error, httpx2.Response):
        if error.status_code == 429:
            after = error.headers.get("retry-after")
            return ErpFailure("rate_limited", f"HTTP 429, retry after {after or '?'} s",
                              retry_after=float(after) if after and after.isdigit() else None)
        if error.status_code in (401, 403):
            return ErpFailure("session_expired", f"HTTP {error.status_code}")
        return ErpFailure("unavailable", f"HTTP {error.status_code}")
    return ErpFailure("unavailable", str(error))
