"""From the ERP in: products, suppliers and purchase orders changed since each stream's cursor, read page by page
and applied through the hub's own commands (CreateSku, UpdateSku, CreatePartner, CreatePurchaseOrder), the cursor
kept after each page. Reading a page again changes nothing: a product takes only the values that differ, a
supplier or purchase order already mapped is skipped. A field the hub owns is never overwritten: the ERP's value
is kept beside it as a conflict. An ERP record the hub cannot place yet (a product without a code, a purchase
order of an unmapped item, no receiving node named) waits in the unmapped queue and is read again each sync."""

from collections.abc import Callable
from datetime import date
from typing import Any

import httpx2
import structlog

from flexhub import catalog, identity, purchasing
from flexhub.db.unit_of_work import UnitOfWorkFactory
from flexhub.erp import repository, rules
from flexhub.erp.connectors.base import ErpFailure, ErpSession
from flexhub.erp.registry import connector_for
from flexhub.integrations.targets import check_target
from flexhub.integrations.vault import Vault
from flexhub.kernel import clock
from flexhub.kernel.errors import FlexhubError
from flexhub.kernel.messages import Actor

log = structlog.get_logger(__name__)
Progress = Callable[[str, int, int], None]
PAGE = 100
POLL_EVERY_S = 60.0  # each connection read this often; `flexhub erp sync` reads at once


class ErpReader:
    def __init__(self, uow_factory: UnitOfWorkFactory, dispatch: Callable[[Any], Any], *,
                 http: Callable[[], httpx2.Client], vault: Vault, page: int = PAGE) -> None:
        self._uow_factory = uow_factory
        self._dispatch = dispatch
        self._http = http
        self._vault = vault
        self._page = page

    def read_all(self, erp: Any, progress: Progress = lambda step, done, of: None) -> dict[str, int]:
        """Each stream from its cursor; the records read per stream (an ErpFailure ends the reading there: what was
        read so far stays, its cursor kept)."""
        check_target(erp.url, allow_private=erp.allow_private)
        session = connector_for(erp.kind).session(self._http(), erp.url, self._vault.open(erp.credentials))
        actor = Actor(tenant_id=erp.tenant_id, role="admin", name=f"erp:{erp.code}")
        read = {}
        for stream in rules.STREAMS:
            read[stream] = self._stream(session, actor, erp, stream, progress)
        read["purchase_orders"] += self._waiting_orders(session, actor, erp)
        return read

    def read_connection(self, erp: Any, progress: Progress = lambda step, done, of: None
                        ) -> tuple[dict[str, int], str | None]:
        """read_all with its outcome kept on the connection: a failed read's readable reason, failures in a row and
        when the poll tries again (shown in its status, on the ERP page and in the exceptions queue), or, once a
        read goes through, nothing failing any more. What was read before a failure stays read, its cursor kept."""
        try:
            read = self.read_all(erp, progress)
        except ErpFailure as failure:
            error = rules.readable(failure.reason, failure.detail)
        except FlexhubError as refused:  # no connector, an unsafe address
            error = f"{refused.code}: {refused.message}"
        except Exception as bug:  # an answer no connector expected: kept as a failure, the other ERPs still read
            log.exception("erp read failed", connection=erp.code, tenant_id=str(erp.tenant_id))
            error = f"{type(bug).__name__}: {bug}"
        else:
            with self._uow_factory() as uow:
                repository.read_succeeded(uow.connection, erp.id)
                uow.commit()
            return read, None
        log.warning("erp read failed", connection=erp.code, tenant_id=str(erp.tenant_id), error=error)
        with self._uow_factory() as uow:
            repository.read_failed(uow.connection, erp.id, error, clock.now(), rules.read_back_off)
            uow.commit()
        return {}, error

    def poll_all(self) -> int:
        """Every connection of every tenant read once (the periodic job), but those whose last reads failed until
        their back-off has passed; a failing ERP is kept failing on its connection and the others read."""
        with self._uow_factory(write=False) as uow:
            connections = repository.all_connections(uow.connection)
        now = clock.now()
        done = 0
        for erp in connections:
            if erp.read_after is not None and clock.as_utc(erp.read_after) > now:
                continue
            read, _ = self.read_connection(erp)
            done += sum(read.values())
        return done

    def _stream(self, session: ErpSession, actor: Actor, erp: Any, stream: str, progress: Progress) -> int:
        with self._uow_factory(write=False) as uow:
            cursor = repository.cursor(uow.connection, erp.id, stream)
        count = 0
        progress(stream, 0, 0)
        while True:
            page = session.changed(stream, cursor, self._page)
            for record in page.records:
                APPLY[stream](self, actor, erp, record)
                count += 1
                progress(stream, count, count + (self._page if page.more else 0))
            if page.cursor:
                cursor = page.cursor
                with self._uow_factory() as uow:
                    repository.set_cursor(uow.connection, erp.tenant_id, erp.id, stream, cursor, clock.now())
                    uow.commit()
            if not page.more:
                return count

    def _waiting_orders(self, session: ErpSession, actor: Actor, erp: Any) -> int:
        with self._uow_factory(write=False) as uow:
            refs = [row.erp_ref for row in repository.waiting(uow.connection, erp.id, "purchase_order")]
        records = session.records("purchase_orders", refs) if refs else []
        for record in records:
            self._purchase_order(actor, erp, record)
        return len(records)

    # Products: the catalog's SKUs, by the ERP's internal reference

    def _product(self, actor: Actor, erp: Any, record: dict[str, Any]) -> None:
        sku = record["sku"]
        self._keep(erp, "sku", sku, record["ref"], record["name"])
        if not sku:
            return  # no code: waits in the unmapped queue for a person to give it one
        with self._uow_factory(write=False) as uow:
            found = catalog.skus_by_code(uow.connection, erp.tenant_id, [sku]).get(sku)
        erp_side = {"name": record["name"], "barcode": record["barcode"], "standard_cost": record["standard_cost"]}
        if found is None:
            self._dispatch(catalog.CreateSku(actor=actor, code=sku, name=record["name"] or sku,
                                             barcode=record["barcode"],
                                             attributes={"standard_cost": record["standard_cost"]}))
            return
        hub_side = {"name": found.name, "barcode": found.barcode,
                    "standard_cost": found.attributes.get("standard_cost")}
        taken, conflicts = rules.merge_from_erp(rules.ownership(erp.settings)["product"], hub_side, erp_side)
        if taken:
            cost = taken.pop("standard_cost", None)
            self._dispatch(catalog.UpdateSku(actor=actor, code=sku, **taken,
                                             attributes={"standard_cost": cost} if cost is not None else {}))
        self._conflicts(erp, "product", sku, conflicts)

    # Suppliers: the hub's supplier partners

    def _supplier(self, actor: Actor, erp: Any, record: dict[str, Any]) -> str:
        with self._uow_factory(write=False) as uow:
            known = repository.mapping_by_erp(uow.connection, erp.id, "supplier", record["ref"])
        if known is not None and known.hub_code:
            return str(known.hub_code)
        code = rules.supplier_code(erp.code, record)
        with self._uow_factory(write=False) as uow:
            try:
                exists = identity.partner_by_code(uow.connection, erp.tenant_id, code) is not None
            except identity.UnknownPartner:
                exists = False
        if not exists:
            self._dispatch(identity.CreatePartner(actor=actor, code=code, kind="supplier", name=record["name"]))
        self._keep(erp, "supplier", code, record["ref"], record["name"])
        return code

    # Purchase orders: into purchasing, once each

    def _purchase_order(self, actor: Actor, erp: Any, record: dict[str, Any]) -> None:
        with self._uow_factory(write=False) as uow:
            known = repository.mapping_by_erp(uow.connection, erp.id, "purchase_order", record["ref"])
            items = {line["item"]: repository.mapping_by_erp(uow.connection, erp.id, "sku", line["item"])
                     for line in record["lines"]}
        if known is not None and known.hub_code:
            return self._purchase_order_changed(actor, erp, record, known.hub_code, items)
        if record.get("cancelled"):
            return None  # cancelled before the hub ever had it
        supplier = self._supplier(actor, erp, {"ref": record["supplier_ref"], "name": record["supplier_name"],
                                               "code": None})
        unmapped = [item for item, found in items.items() if found is None or not found.hub_code]
        for item in unmapped:
            self._keep(erp, "sku", None, item, None)
        location = (erp.settings or {}).get("receiving_location")
        if unmapped or not location:
            if not location:
                self._keep(erp, "location", None, "receiving", "the node ERP purchase orders are received at")
            self._keep(erp, "purchase_order", None, record["ref"], record["name"])
            return
        created = self._dispatch(purchasing.CreatePurchaseOrder(
            actor=actor, supplier=supplier, location=location, currency=record.get("currency"),
            expected_on=date.fromisoformat(record["expected_on"]) if record["expected_on"] else None,
            reference=record["name"], lines=[purchasing.OrderLineSpec(
                sku=str(items[line["item"]].hub_code), quantity=line["quantity"], unit_cost=line["unit_cost"])
                for line in record["lines"]]))
        self._keep(erp, "purchase_order", str(created.id), record["ref"], record["name"])
        if (erp.settings or {}).get("presale"):  # open at once: its units are presale stock for its date
            self._dispatch(purchasing.ActOnOrder(actor=actor, order_id=str(created.id), action="send"))
        return None

    def _purchase_order_changed(self, actor: Actor, erp: Any, record: dict[str, Any], order_id: str,
                                items: dict[str, Any]) -> None:
        """An ERP purchase order the hub already has, read again: what the ERP changed of the fields it owns
        (quantities, expected date, cancellation) is done in purchasing; a field the hub owns, or a change
        purchasing refuses (below what was received, a date gone, cancelling what is on its way), is shown as a
        conflict and the hub's order stays as it is."""
        if any(found is None or not found.hub_code for found in items.values()):
            return  # an item not mapped yet: its mapping waits in the unmapped queue, the order as it was
        with self._uow_factory(write=False) as uow:
            order = purchasing.order_view(uow.connection, erp.tenant_id, order_id)
        hub_side = {"quantities": {line["sku"]: line["quantity"] for line in order["lines"]},
                    "expected_on": order["expected_on"].isoformat(),
                    "state": "cancelled" if order["state"] == "cancelled" else "open"}
        erp_side = {"quantities": {str(items[line["item"]].hub_code): line["quantity"] for line in record["lines"]},
                    "expected_on": record["expected_on"] or None,
                    "state": "cancelled" if record.get("cancelled") else "open"}
        taken, conflicts = rules.merge_from_erp(rules.ownership(erp.settings)["purchase_order"], hub_side, erp_side)
        if taken.get("state") == "open":  # a cancellation is not undone from the ERP: shown instead
            conflicts.append(rules.FieldChange("state", hub_side["state"], "open"))
            taken.pop("state")
        try:
            if taken.get("state") == "cancelled":
                self._dispatch(purchasing.ActOnOrder(actor=actor, order_id=order_id, action="cancel"))
            elif taken:
                expected = taken.get("expected_on")
                self._dispatch(purchasing.AmendPurchaseOrder(
                    actor=actor, order_id=order_id, quantities=taken.get("quantities") or {},
                    expected_on=date.fromisoformat(expected) if expected else None))
        except FlexhubError as refused:
            conflicts += [rules.FieldChange(field, hub_side[field], f"{erp_side[field]} (refused: {refused.message})")
                          for field in taken]
        self._conflicts(erp, "purchase_order", record["name"] or record["ref"], conflicts)

    def _keep(self, erp: Any, kind: str, hub_code: str | None, erp_ref: str | None, name: str | None) -> None:
        with self._uow_factory() as uow:
            repository.keep_mapping(uow.connection, erp.tenant_id, erp.id, kind, hub_code=hub_code or None,
                                    erp_ref=erp_ref, erp_name=name)
            uow.commit()

    def _conflicts(self, erp: Any, entity: str, key: str, conflicts: list[rules.FieldChange]) -> None:
        with self._uow_factory() as uow:
            for c in conflicts:
                repository.keep_conflict(uow.connection, {
                    "tenant_id": erp.tenant_id, "connection_id": erp.id, "entity": entity, "key": key,
                    "field": c.field, "hub_value": _text(c.hub_value), "erp_value": _text(c.erp_value),
                    "seen_at": clock.now()})
            repository.clear_conflicts(uow.connection, erp.id, entity, key, [c.field for c in conflicts])
            uow.commit()


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


APPLY: dict[str, Callable[[ErpReader, Actor, Any, dict[str, Any]], Any]] = {
    "products": ErpReader._product, "suppliers": ErpReader._supplier, "purchase_orders": ErpReader._purchase_order,
}
