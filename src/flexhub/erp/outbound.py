"""From the outbox to the ERP: an order received, a shipment shipped and a return inspected each become one
document row per ERP connection of the tenant (keyed by the hub's id, so an event seen twice adds nothing) and one
job on the queue. The sender claims a document's job and, outside any transaction, resolves its items and
customer through the mappings (asking the ERP for what is not mapped yet), then looks the document up on the ERP
side by the hub's id it carries and creates it only when the ERP has none: a replay, or a crash between the ERP's
answer and our acknowledgement, creates nothing twice. A bad answer is retried with the queue's back-off, or parked
at once when the ERP refused the document on its merits; the document row shows the reason."""

import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx2
import structlog

from flexhub import finance, fulfillment, inventory, ordering, returns
from flexhub.bus.consumers import once_per_event
from flexhub.bus.transport import Envelope
from flexhub.db.jobs import Claimed, NewJob, enqueue
from flexhub.db.jobs.runner import Failure, Policy, Record, Retry, owner_name, run_due, run_key
from flexhub.db.unit_of_work import UnitOfWork, UnitOfWorkFactory
from flexhub.erp import repository, rules
from flexhub.erp.connectors.base import Document, ErpFailure, ErpSession
from flexhub.erp.registry import connector_for
from flexhub.integrations.targets import UnsafeTarget, check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.ids import new_id

log = structlog.get_logger(__name__)
KIND = rules.DOCUMENT_JOB
CONSUMER = "erp-documents"
EVENTS = (*ordering.RECEIVED, "ShipmentShipped", "ReturnInspected", "GoodsReceived", "StockChanged",
          "StatementImported")
# The stock changes an ERP is told of: adjustments and counts, and transfers leaving and reaching a node (sales,
# receipts and returns reach it as their own documents).
STOCK_CAUSES = ("adjust", "count", "transfer_out", "transfer_in")
BACK_OFF_S = 4.0
SESSION_S = 300.0  # how long the sender keeps an ERP session it signed in with
MAX_WAIT_S = 3600.0


def document_job(document_id: uuid.UUID, tenant_id: uuid.UUID) -> NewJob:
    """The queue's job for one document: keyed by it, so a document is queued once."""
    return NewJob(KIND, {"document_id": str(document_id)}, key=str(document_id), tenant_id=tenant_id)


def documents_for(envelope: Envelope, uow: UnitOfWork) -> list[tuple[str, str, dict[str, Any]]]:
    """(kind, hub id, payload) of what an event sends to the ERP, read in the intake's transaction."""
    body, tenant_id = envelope.body, envelope.tenant_id
    if envelope.type in ordering.RECEIVED:  # a sale order for each order the batch lists
        return [sale_order(uow, tenant_id, order) for order in ordering.orders_received(body)]
    if envelope.type == "ShipmentShipped":
        shipment = fulfillment.shipment_view(uow.connection, tenant_id, uuid.UUID(body["shipment_id"]))
        return [("delivery", body["shipment_id"], {
            "order_id": body["order_id"], "waybill": body.get("waybill_number"),
            "lines": rules.document_lines(shipment["lines"])})]
    if envelope.type == "ReturnInspected":
        rma = returns.return_view(uow.connection, tenant_id, uuid.UUID(body["return_id"]))
        if not rma["order_id"]:
            return []
        prices = {r.sku_code: r.unit_price for r in
                  ordering.order_lines(uow.connection, tenant_id, uuid.UUID(rma["order_id"]))}
        lines = [{"sku": r["sku"], "quantity": r["received"], "unit_price": prices.get(r["sku"])}
                 for r in rma["lines"]]
        return [("credit_note", body["return_id"], {"order_id": rma["order_id"],
                                                    "lines": rules.document_lines(lines)})]
    if envelope.type == "StockChanged":
        if body["cause"] not in STOCK_CAUSES:
            return []
        moved = inventory.movements_of_change(uow.connection, tenant_id, body["levels"], body["cause"],
                                              clock.as_utc(envelope.occurred_at))
        return [("stock_in" if m["on_hand"] > 0 else "stock_out", m["id"], {
            "node": m["node"], "reason": m["reason"], "cause": m["kind"],
            "lines": [{"sku": m["sku"], "quantity": abs(m["on_hand"])}]}) for m in moved]
    if envelope.type == "StatementImported":
        return journals_of(uow, tenant_id, body["statement_id"])
    if envelope.type == "GoodsReceived":
        return [("receipt", body["asn_id"], {"purchase_order_id": body["order_id"],
                                             "lines": rules.document_lines(body["lines"])})]
    return []


def sale_order(uow: UnitOfWork, tenant_id: uuid.UUID, order: dict[str, str]) -> tuple[str, str, dict[str, Any]]:
    lines = ordering.order_lines(uow.connection, tenant_id, uuid.UUID(order["order_id"]))
    return ("sale_order", order["order_id"], {
        "channel": order["channel"], "external_id": order["external_id"],
        "lines": rules.document_lines({"sku": r.sku_code, "quantity": r.quantity, "unit_price": r.unit_price}
                                      for r in lines)})


def journals_of(uow: UnitOfWork, tenant_id: uuid.UUID, statement_id: str) -> list[tuple[str, str, dict[str, Any]]]:
    """A settlement statement's journal, one per currency it holds money in (the hub's id: the statement's, with
    the currency when it names one)."""
    money = finance.statement_money(uow.connection, tenant_id, uuid.UUID(statement_id))
    if money is None:
        return []
    day = clock.as_utc(money["last_at"] or money["imported_at"]).date().isoformat()
    made = []
    for totals in money["currencies"]:
        lines = rules.journal_lines(totals)
        if lines:
            currency = totals["currency"]
            made.append(("journal", f"{statement_id}:{currency}" if currency else statement_id, {
                "channel": money["channel"], "statement_id": statement_id, "format": money["format"],
                "currency": currency, "date": day, "lines": lines}))
    return made


def wanted_by(uow: UnitOfWork, erp: Any, kind: str, payload: dict[str, Any]) -> bool:
    """A receipt goes only to the ERP its purchase order came from; everything else to every ERP."""
    if kind != "receipt":
        return True
    found = repository.mapping(uow.connection, erp.id, "purchase_order", payload["purchase_order_id"])
    return found is not None and bool(found.erp_ref)


class DocumentIntake:
    """The transport consumer: reads first, so a tenant with no ERP costs no write transaction."""

    def __init__(self, uow_factory: UnitOfWorkFactory, on_added: Callable[[], None] = lambda: None) -> None:
        self._uow_factory = uow_factory
        self._on_added = on_added
        self._once = once_per_event(CONSUMER, uow_factory, self._add)

    def __call__(self, envelope: Envelope) -> None:
        if envelope.type == "StockChanged" and envelope.body.get("cause") not in STOCK_CAUSES:
            return  # a sale's or a receipt's stock change (the most frequent event): no document, no write
        with self._uow_factory(write=False) as uow:
            if not repository.connections_of(uow.connection, envelope.tenant_id):
                return
        self._once(envelope)
        self._on_added()

    def _add(self, envelope: Envelope, uow: UnitOfWork) -> None:
        made = documents_for(envelope, uow)
        now = clock.now()
        rows = [{"id": new_id(), "tenant_id": envelope.tenant_id, "connection_id": erp.id, "kind": kind,
                 "hub_ref": hub_ref, "payload": payload, "state": "pending", "attempts": 0, "created_at": now}
                for erp in repository.connections_of(uow.connection, envelope.tenant_id)
                for kind, hub_ref, payload in made if wanted_by(uow, erp, kind, payload)]
        added = repository.add_documents(uow.connection, rows)
        enqueue(uow.connection, [document_job(document_id, envelope.tenant_id) for document_id in added])


@dataclass
class Resolved:
    """What the sender learnt of the ERP while making a document: mappings to keep once it is acknowledged."""

    mappings: list[tuple[str, str, str, str | None]] = field(default_factory=list)  # kind, hub code, ref, name


class DocumentSender:
    """Sends the documents the job queue hands it (kind `erp.document`, one job per document); any number of
    workers may run it, and each document goes to one of them."""

    def __init__(self, uow_factory: UnitOfWorkFactory, *, http: Callable[[], httpx2.Client], vault: Vault,
                 max_attempts: int = 8, lease_s: float = 60.0) -> None:
        self._uow_factory = uow_factory
        self._http = http  # asked at each send: the hub's client as it is then
        self._vault = vault
        self.policy = Policy(max_attempts, BACK_OFF_S, MAX_WAIT_S, lease_s)
        self._owner = owner_name(KIND)
        self._sessions: dict[tuple[uuid.UUID, str], tuple[float, Any]] = {}  # signed in, kept a while

    def run_once(self, limit: int = 100) -> int:
        return run_due(self._uow_factory, KIND, self._send, owner=self._owner, limit=limit, policy=self.policy,
                       on_failure=self._failed)

    def send_now(self, document_id: uuid.UUID) -> bool | None:
        """Send one document here, now, if no one else has it (True sent, False failed, None not due)."""
        return run_key(self._uow_factory, KIND, str(document_id), self._send, owner=self._owner,
                       policy=self.policy, on_failure=self._failed)

    def _send(self, job: Claimed) -> Record | None:
        document_id = uuid.UUID(job.payload["document_id"])
        with self._uow_factory(write=False) as uow:
            row = repository.document(uow.connection, document_id)
            erp = repository.connection_row(uow.connection, row.connection_id) if row else None
        if row is None or erp is None or row.state == "sent":
            return None
        try:
            check_target(erp.url, allow_private=erp.allow_private)  # again: the name may resolve elsewhere now
            session = self._session(erp)
            resolved = Resolved()
            document = self._document(session, erp, row, resolved)
            erp_id = session.find_document(row.kind, row.hub_ref) or session.create_document(document)
        except UnsafeTarget as refused:
            raise Retry(refused.message, give_up=True) from refused
        except FlexhubError as refused:  # no connector for the kind
            raise Retry(refused.message, give_up=True) from refused
        except ErpFailure as failure:
            raise Retry(rules.readable(failure.reason, failure.detail), retry_after=failure.retry_after,
                        give_up=rules.gives_up(failure.reason)) from failure
        return lambda uow: self._sent(uow, row, erp, erp_id, job.attempts, resolved)

    def _session(self, erp: Any) -> ErpSession:
        """A session on the connection's ERP, kept for SESSION_S so a run of documents signs in once (an expired
        one is signed in again by its connector); another address, credentials or HTTP client make a new one."""
        http, now = self._http(), time.monotonic()
        key = (erp.id, f"{erp.url}|{erp.credentials}|{id(http)}")
        kept = self._sessions.get(key)
        if kept is not None and now - kept[0] < SESSION_S:
            return kept[1]
        session = connector_for(erp.kind).session(http, erp.url, self._vault.open(erp.credentials))
        self._sessions = {k: v for k, v in self._sessions.items() if now - v[0] < SESSION_S}
        self._sessions[key] = (now, session)
        return session

    def _document(self, session: ErpSession, erp: Any, row: Any, resolved: Resolved) -> Document:
        payload = row.payload
        origin = None
        if row.kind == "journal":
            return self._journal(erp, row)
        if row.kind == "sale_order":
            ref, name = rules.customer_ref(erp.settings, payload["channel"], payload.get("partner"))
            customer = self._mapped(session, erp, "customer", ref, lambda: session.ensure_customer(ref, name),
                                    resolved)
        elif row.kind in ("stock_in", "stock_out"):
            node = payload["node"]
            with self._uow_factory(write=False) as uow:
                known = repository.mapping(uow.connection, erp.id, "location", node)
            if known is None or not known.erp_ref:
                self._queue(erp, "location", node)
                raise ErpFailure("unmapped", f"node {node} has no warehouse in the ERP: map it")
            origin, customer = known.erp_ref, None
        elif row.kind == "receipt":
            with self._uow_factory(write=False) as uow:
                order = repository.mapping(uow.connection, erp.id, "purchase_order", payload["purchase_order_id"])
            origin, customer = order.erp_ref, None
        else:
            with self._uow_factory(write=False) as uow:
                order = repository.sent_document(uow.connection, erp.id, "sale_order", payload["order_id"])
            if order is None:
                raise ErpFailure("unmapped", f"waiting for the sales order of order {payload['order_id']}")
            origin, customer = order.erp_id, order.payload.get("customer")
        lines = [{**line, "item": self._item(session, erp, line["sku"], resolved)} for line in payload["lines"]]
        note = f"flexhub {row.kind} {row.hub_ref}"
        return Document(kind=row.kind, hub_ref=row.hub_ref, customer=customer, origin=origin, lines=lines, note=note)

    def _journal(self, erp: Any, row: Any) -> Document:
        """A statement's journal with each role's ERP account: the channel's own (`fees:<channel>`) or the one for
        every channel (`fees`). Roles with no account wait in the unmapped queue, and the journal with them."""
        payload = row.payload
        accounts: dict[str, str] = {}
        with self._uow_factory(write=False) as uow:
            for role in {line["role"] for line in payload["lines"]}:
                found = [repository.mapping(uow.connection, erp.id, "account", code)
                         for code in (f"{role}:{payload['channel']}", role)]
                ref = next((m.erp_ref for m in found if m is not None and m.erp_ref), None)
                if ref:
                    accounts[role] = str(ref)
        missing = sorted({line["role"] for line in payload["lines"]} - set(accounts))
        for role in missing:
            self._queue(erp, "account", role)
        if missing:
            raise ErpFailure("unmapped", f"no ERP account for {', '.join(missing)}: map it")
        note = f"flexhub settlement {payload['channel']} {payload['statement_id']}"
        lines = [{**line, "account": accounts[line["role"]]} for line in payload["lines"]]
        return Document(kind="journal", hub_ref=row.hub_ref, note=note, currency=payload["currency"],
                        on=payload["date"], book=(erp.settings or {}).get("account_book"), lines=lines)

    def _item(self, session: ErpSession, erp: Any, sku: str, resolved: Resolved) -> str:
        def ask() -> str:
            found = session.find_item(sku)
            if found is None:
                self._queue(erp, "sku", sku)
                raise ErpFailure("unmapped", f"SKU {sku} has no item in the ERP: map it, or create it there")
            return found

        return self._mapped(session, erp, "sku", sku, ask, resolved)

    def _queue(self, erp: Any, kind: str, hub_code: str) -> None:
        """Into the unmapped queue for a person to map; the document waits for it."""
        with self._uow_factory() as uow:
            repository.keep_mapping(uow.connection, erp.tenant_id, erp.id, kind, hub_code=hub_code, erp_ref=None)
            uow.commit()

    def _mapped(self, session: ErpSession, erp: Any, kind: str, hub_code: str, ask: Callable[[], str],
                resolved: Resolved) -> str:
        with self._uow_factory(write=False) as uow:
            known = repository.mapping(uow.connection, erp.id, kind, hub_code)
        if known is not None and known.erp_ref:
            return str(known.erp_ref)
        found = ask()
        resolved.mappings.append((kind, hub_code, found, None))
        return found

    def _sent(self, uow: UnitOfWork, row: Any, erp: Any, erp_id: str, attempts: int, resolved: Resolved) -> None:
        for kind, hub_code, ref, name in resolved.mappings:
            repository.keep_mapping(uow.connection, erp.tenant_id, erp.id, kind, hub_code=hub_code, erp_ref=ref,
                                    erp_name=name)
        payload = row.payload
        if row.kind == "sale_order":
            ref, _ = rules.customer_ref(erp.settings, payload["channel"], payload.get("partner"))
            known = repository.mapping(uow.connection, erp.id, "customer", ref)
            payload = {**payload, "customer": known.erp_ref if known else None}
        now = clock.now()
        repository.update_document(uow.connection, row.id, state="sent", erp_id=str(erp_id), sent_at=now,
                                   attempts=attempts, last_error=None, payload=payload)
        repository.mark_synced(uow.connection, erp.id, now)

    def _failed(self, uow: UnitOfWork, job: Claimed, failure: Failure) -> None:
        log.warning("erp document failed", document_id=job.payload["document_id"], error=failure.error)
        repository.update_document(uow.connection, uuid.UUID(job.payload["document_id"]), attempts=job.attempts,
                                   last_error=failure.error[:500], state=failure.state)
