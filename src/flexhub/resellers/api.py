"""Reseller routes: /api/v1/resellers — the brand's resellers with their accounts (staff), one reseller's account
and monthly statement (staff, or the reseller's own key: another's is 404 `resellers.unknown_reseller`), its
terms, price list and payments (set by the brand), 仓储费 charged for a day, and the name, phone and logo its blind
drop-ship parcels carry (the brand's admin or the reseller itself). Its stores: flexhub/api/reseller_stores.py."""

import csv
import io
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from flexhub.api.auth import HubDep, Reader, allowed
from flexhub.kernel.messages import Actor
from flexhub.lists import export_response
from flexhub.resellers import queries
from flexhub.resellers.commands import (
    ChargeStorage,
    RecordPayment,
    SetResellerBrand,
    SetResellerPrices,
    SetResellerTerms,
)
from flexhub.resellers.schemas import BrandIn, PaymentIn, PricesIn, StorageChargeIn, TermsIn

router = APIRouter(prefix="/api/v1/resellers", tags=["resellers"])
Staff = Annotated[Actor, Depends(allowed("brand.read"))]
Admin = Annotated[Actor, Depends(allowed("resellers.configure"))]
Finance = Annotated[Actor, Depends(allowed("finance.write"))]
Connector = Annotated[Actor, Depends(allowed("resellers.connect"))]  # the brand's admin, or the reseller itself
Month = Annotated[str | None, Query(pattern=r"^\d{4}-\d{2}$", description="YYYY-MM; this month when absent")]


@router.get("")
def list_resellers(actor: Staff, hub: HubDep) -> dict[str, Any]:
    with hub.uow(write=False) as uow:
        return {"resellers": [queries.account(uow.connection, actor.tenant_id, partner)
                              for partner in queries.resellers(uow.connection, actor.tenant_id)]}


@router.post("/storage-charges", status_code=201)
def charge_storage(body: StorageChargeIn, actor: Finance, hub: HubDep) -> dict[str, Any]:
    """仓储费 of a day that is over, for every reseller with a fee per unit-day: the units on hand in its consigned
    pool at the day's end (from the stock ledger) × the fee; once per reseller and day (a system job charges each
    day after it ends; asking again charges nothing more)."""
    charged = hub.handle(ChargeStorage(actor=actor, day=body.day))
    return {"day": charged.day.isoformat(), "charged": charged.charged}


@router.get("/{partner}")
def get_account(partner: str, actor: Reader, hub: HubDep) -> dict[str, Any]:
    """Terms, price list, balance (positive: the reseller owes) and the credit left."""
    with hub.uow(write=False) as uow:
        return queries.account(uow.connection, actor.tenant_id, queries.reseller(uow.connection, actor, partner))


@router.put("/{partner}/terms")
def set_terms(partner: str, body: TermsIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    """Credit limit, 代发费 and 仓储费. Orders that would take the reseller over its limit are held (`on_hold`,
    `credit.over_limit`) and reserve nothing until paid or released; a higher limit releases, oldest first, those it
    now covers (`released`: their ids)."""
    return _with_released(hub.handle(SetResellerTerms(actor=actor, partner=partner, **body.model_dump())))


@router.put("/{partner}/prices")
def set_prices(partner: str, body: PricesIn, actor: Admin, hub: HubDep) -> dict[str, Any]:
    """The whole price list (供货价), replacing the one before: what the reseller owes a unit, by validity dates;
    also the floor the cleaning rule `price_floor` holds its orders below."""
    prices = [price.model_dump() for price in body.prices]
    return hub.handle(SetResellerPrices(actor=actor, partner=partner, prices=prices)).account


@router.post("/{partner}/payments", status_code=201)
def record_payment(partner: str, body: PaymentIn, actor: Finance, hub: HubDep) -> dict[str, Any]:
    """A payment received (a top-up, or paying what is owed). The reseller's orders held over its credit limit are
    then released, oldest first, while its credit left covers the next (`released`: their ids, in that order); each
    reserves stock and is charged as any release is."""
    return _with_released(hub.handle(RecordPayment(actor=actor, partner=partner, **body.model_dump())))


def _with_released(answer: Any) -> dict[str, Any]:
    return {**answer.account, "released": answer.released}


@router.put("/{partner}/brand")
def set_brand(partner: str, body: BrandIn, actor: Connector, hub: HubDep) -> dict[str, Any]:
    """The name, phone and logo the reseller's blind drop-ship parcels carry: its packing slips show them and its
    labels name it as the sender, never the brand."""
    return hub.handle(SetResellerBrand(actor=actor, partner=partner, name=body.name, phone=body.phone,
                                       logo=body.logo)).account  # model_dump would give the logo base64 again


@router.get("/{partner}/statement", response_model=None)
def get_statement(partner: str, actor: Reader, hub: HubDep, month: Month = None,
                  format: Literal["json", "csv", "xlsx"] = "json") -> dict[str, Any] | Response:
    """The month's statement: balance brought forward, every entry (goods at the reseller's price, 代发费, orders
    cancelled, payments, 仓储费, returns), each kind's total and the balance carried forward. `format=csv`: a file Excel
    opens; `format=xlsx`: an Excel workbook."""
    with hub.uow(write=False) as uow:
        found = queries.statement(uow.connection, actor.tenant_id, queries.reseller(uow.connection, actor, partner),
                                  month)
    return found if format == "json" else statement_file(found, format)


def statement_file(found: dict[str, Any], format: str) -> Response:
    """The statement as CSV (UTF-8 with a byte order mark) or as an Excel workbook, with the same rows."""
    if format == "xlsx":
        rows = [[row[0], row[1], row[2], row[3], row[4]] for row in _rows(found)]
        first = datetime.strptime(found["month"], "%Y-%m").replace(tzinfo=UTC)  # the statement's, not the clock's
        return export_response("xlsx", f"statement-{found['partner']}-{found['month']}", HEADER, rows, created=first)
    return statement_csv(found)


HEADER = ["date", "kind", "reference", "amount", "currency"]


def _rows(found: dict[str, Any]) -> list[list[Any]]:
    currency = found["currency"] or ""
    return [[f"{found['month']}-01", "opening", "", found["opening"], currency],
            *[[e["at"].date().isoformat(), e["kind"], e["reference"], e["amount"], currency]
              for e in found["entries"]],
            ["", "closing", "", found["closing"], currency]]


def statement_csv(found: dict[str, Any]) -> Response:
    return Response(_csv(found), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f'attachment; filename="statement-{found["partner"]}-{found["month"]}.csv"'})


def _csv(found: dict[str, Any]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(_rows(found))
    return ("\ufeff" + out.getvalue()).encode("utf-8")  # the BOM tells Excel the text is UTF-8
