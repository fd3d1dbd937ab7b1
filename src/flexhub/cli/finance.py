"""`flexhub finance`: settlement statements from the terminal — import a platform's file (any size; the API takes
up to FLEXHUB_MAX_BODY_BYTES), list the formats installed, print a channel's reconciliation, and gross profit by
a dimension; record carriers' charges from a bill, landed costs of a receipt, what a return cost, and exchange rates."""

import csv
import io
import json
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.table import Column, Table

from flexhub.cli.tenants import as_tenant
from flexhub.finance.commands import (
    AddLandedCost,
    AddReturnCost,
    CarrierChargeIn,
    ImportCarrierBill,
    ImportStatement,
    RateIn,
    RecordCarrierCharges,
    RecordExchangeRates,
)
from flexhub.finance.errors import InvalidCost, InvalidRate
from flexhub.finance.formats.registry import formats
from flexhub.finance.profit import DIMENSIONS, FIGURES, profit_view
from flexhub.finance.reconciliation import channel_reconciliation
from flexhub.kernel.money import to_minor

app = typer.Typer(help="Finance: settlement statements and their reconciliation.", no_args_is_help=True)
TenantOption = typer.Option("default", "--tenant", help="the tenant's code")
JsonOption = typer.Option(False, "--json", help="print JSON instead of a table")
ENCODINGS = ("utf-8-sig", "gb18030")  # Chinese platforms' exports are often GBK


@app.command("import")
def import_statement(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
                     channel: str = typer.Option(..., "--channel", help="the channel's code"),
                     statement_format: str = typer.Option(..., "--format", help="one of `flexhub finance formats`"),
                     tenant: str = TenantOption, as_json: bool = JsonOption) -> None:
    """Import a settlement statement file; the same file again changes nothing."""
    content = _text(file)
    with as_tenant(tenant) as (hub, actor):
        kept = hub.handle(ImportStatement(actor=actor, channel=channel, format=statement_format, content=content))
    if as_json:
        print(json.dumps({"id": str(kept.id), "lines": kept.lines, "created": kept.created,
                          "unreadable": kept.unreadable}, ensure_ascii=False))
        return
    console = Console()
    console.print(f"{'imported' if kept.created else 'already imported'}: statement {kept.id}, {kept.lines} lines")
    for line in kept.unreadable:
        console.print(f"line {line['line_no']} kept for a person: {line['error']}", markup=False)


@app.command("carrier-charges")
def carrier_charges(file: Path = typer.Argument(..., exists=True, dir_okay=False, readable=True),
                    source: str = typer.Option(None, "--source", help="the bill's name (default: the file's)"),
                    tenant: str = TenantOption) -> None:
    """Record what carriers charged, from a CSV of waybill_number,amount,currency[,carrier] (amounts as printed:
    6.50); profit then uses them for the shipments' orders instead of the rate card."""
    with as_tenant(tenant) as (hub, actor):
        charges = read_carrier_charges(_text(file))
        answer = hub.handle(RecordCarrierCharges(actor=actor, charges=charges, source=source or file.name))
    typer.echo(f"recorded {answer.recorded} waybills; no shipment carries: {', '.join(answer.unmatched) or '-'}")


def read_carrier_charges(content: str) -> list[CarrierChargeIn]:
    rows = list(csv.DictReader(io.StringIO(content)))
    charges = []
    for line_no, row in enumerate(rows, start=2):
        try:
            currency = row["currency"].strip().upper()
            charges.append(CarrierChargeIn(waybill_number=row["waybill_number"].strip(), currency=currency,
                                           amount=to_minor(Decimal(row["amount"].strip()), currency),
                                           carrier=(row.get("carrier") or "").strip() or None))
        except (KeyError, AttributeError, ArithmeticError, ValueError) as error:
            raise InvalidCost(f"line {line_no} is not waybill_number,amount,currency[,carrier]: {error!r}",
                              line_no=line_no) from None
    return charges


@app.command("landed-cost")
def landed_cost(asn: str = typer.Option(..., "--asn", help="the shipment notice whose receipt it adds to"),
                kind: str = typer.Option(..., "--kind", help="freight, duty, insurance or other"),
                amount: Decimal = typer.Option(..., "--amount", help="as printed: 900.00"),
                currency: str = typer.Option(..., "--currency"),
                basis: str = typer.Option("value", "--basis", help="allocated by value or by quantity"),
                tenant: str = TenantOption) -> None:
    """Add freight, duty or another landed cost to a receipt; it is allocated onto the units received."""
    with as_tenant(tenant) as (hub, actor):
        answer = hub.handle(AddLandedCost(actor=actor, asn=asn, kind=kind, amount=to_minor(amount, currency.upper()),
                                          currency=currency.upper(), basis=basis))
    for part in answer.allocated:
        typer.echo(f"{part.sku}\t{part.units} units\t+{part.amount}")


@app.command("return-cost")
def return_cost(return_id: str = typer.Option(..., "--return", help="the return (RMA) id"),
                kind: str = typer.Option(..., "--kind", help="shipping, handling or other"),
                amount: Decimal = typer.Option(..., "--amount", help="as printed: 12.00"),
                currency: str = typer.Option(..., "--currency"),
                waybill: str = typer.Option(None, "--waybill", help="the parcel back's waybill number"),
                tenant: str = TenantOption) -> None:
    """Record what bringing a return back cost (the parcel back, handling, other); profit counts it."""
    with as_tenant(tenant) as (hub, actor):
        answer = hub.handle(AddReturnCost(actor=actor, return_id=return_id, kind=kind, currency=currency.upper(),
                                          amount=to_minor(amount, currency.upper()), waybill_number=waybill))
    typer.echo(f"{answer.id}\torder {answer.order_id}\t{answer.kind}\t{answer.amount}")


@app.command("carrier-bill")
def carrier_bill(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="the bill as the carrier sent it"),
                 bill_format: str = typer.Option(..., "--format", help="sf_monthly_bill"),
                 carrier: str = typer.Option(..., "--carrier", help="the hub's carrier code, e.g. sf_express"),
                 start: datetime = typer.Option(None, "--from", help="the bill's period (UTC): parcels shipped"),
                 end: datetime = typer.Option(None, "--to", help="… before this and not billed are found"),
                 tenant: str = TenantOption, as_json: bool = JsonOption) -> None:
    """Import a carrier's bill in its own format: charges kept per waybill, differences listed."""
    with as_tenant(tenant) as (hub, actor):
        answer = hub.handle(ImportCarrierBill(actor=actor, format=bill_format, content=_text(path), carrier=carrier,
                                              source=path.name, start=start, end=end))
    if as_json:
        print(json.dumps(answer, default=str, ensure_ascii=False))
        return
    typer.echo(f"{answer['lines']} rows, {answer['recorded']} waybills charged, "
               f"{len(answer['differences'])} differences")
    for d in answer["differences"]:
        typer.echo(f"{d['kind']}\t{d['waybill_number'] or '-'}\t{d['expected']}\t{d['actual']}\t{d['reason']}")


@app.command("rates")
def exchange_rates(path: Path = typer.Argument(..., exists=True, dir_okay=False, help="CSV: from,to,date,rate"),
                   source: str = typer.Option(None, "--source", help="where the rates come from; default: the file"),
                   cost_currency: str = typer.Option(None, "--cost-currency", help="keep costs in this currency"),
                   tenant: str = TenantOption) -> None:
    """Record exchange rates by day (1 `from` = `rate` `to`), e.g. a bank's daily fixings."""
    rates = []
    for line_no, row in enumerate(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))), start=2):
        try:
            rates.append(RateIn(from_currency=row["from"].strip().upper(), to_currency=row["to"].strip().upper(),
                                day=date.fromisoformat(row["date"].strip()), rate=Decimal(row["rate"].strip())))
        except (KeyError, AttributeError, ArithmeticError, ValueError) as error:
            raise InvalidRate(f"line {line_no} is not from,to,date,rate: {error!r}", line_no=line_no) from None
    with as_tenant(tenant) as (hub, actor):
        answer = hub.handle(RecordExchangeRates(actor=actor, rates=rates, source=source or path.name,
                                                cost_currency=cost_currency.upper() if cost_currency else None))
    typer.echo(f"{answer.recorded} rates recorded; costs are kept in {answer.cost_currency}")


@app.command("formats")
def list_formats() -> None:
    """The statement formats installed (the `flexhub.statements` entry points)."""
    for name, statement_format in sorted(formats().items()):
        typer.echo(f"{name}\t{statement_format.title}")


@app.command()
def reconcile(channel: str = typer.Option(..., "--channel", help="the channel's code"),
              start: datetime = typer.Option(None, "--from", help="period start (UTC); default: the statements'"),
              end: datetime = typer.Option(None, "--to", help="period end, exclusive"),
              tenant: str = TenantOption, as_json: bool = JsonOption) -> None:
    """The channel's reconciliation: lines matched, and every difference with its kind and amounts."""
    with as_tenant(tenant) as (hub, actor), hub.uow(write=False) as uow:
        view = channel_reconciliation(uow.connection, actor.tenant_id, channel, start, end).view()
    if as_json:
        print(json.dumps(view, default=str, ensure_ascii=False))
        return
    _print(view)


@app.command()
def profit(by: str = typer.Option("channel", "--by", help=f"one of {', '.join(DIMENSIONS)}"),
           start: datetime = typer.Option(None, "--from", help="orders booked from (UTC)"),
           end: datetime = typer.Option(None, "--to", help="orders booked before"),
           basis: str = typer.Option("shipped", "--basis",
                                     help="shipped: orders all shipped, when the last unit left; placed: every "
                                          "order placed"),
           tenant: str = TenantOption, as_json: bool = JsonOption) -> None:
    """Gross profit and margin per channel, store, streamer, live room, SKU, category, day or month."""
    with as_tenant(tenant) as (hub, actor), hub.uow(write=False) as uow:
        view = profit_view(uow.connection, actor.tenant_id, by, start, end, basis)
    if as_json:
        print(json.dumps(view, default=str, ensure_ascii=False))
        return
    table = Table(by, "currency", *(f.replace("_", " ") for f in FIGURES), "gross profit", "margin")
    for row in view["rows"]:
        table.add_row(row["key"] or "-", row["currency"], *(str(row[f]) for f in FIGURES), str(row["gross_profit"]),
                      "-" if row["margin"] is None else f"{row['margin']:.1%}")
    Console().print(table)


def _text(file: Path) -> str:
    data = file.read_bytes()
    for encoding in ENCODINGS:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise typer.BadParameter(f"{file} is neither UTF-8 nor GB18030 text", param_hint="FILE")


def _print(view: dict[str, Any]) -> None:
    console = Console()
    console.print(f"{view['channel']} {view['from']} → {view['to']}: {view['lines']} lines, {view['matched']} matched, "
                  f"{len(view['differences'])} differences ({view['open']} open)")
    table = Table(Column("kind", no_wrap=True), Column("order", no_wrap=True), "expected", "actual", "reason",
                  "resolved")
    for d in view["differences"]:
        table.add_row(d["kind"], d["external_id"] or "-", _amount(d["expected"]), _amount(d["actual"]), d["reason"],
                      d["resolution"]["note"] if d["resolution"] else "")
    console.print(table)


def _amount(value: int | None) -> str:
    return "-" if value is None else str(value)
