"""The background work each capability runs beside requests, wired into the hub by `bootstrap`: the event consumers
it subscribes and the jobs it adds (stock sync, fulfilment, webhooks and alerts, the ERP, members' points, the learned
forecast's retraining, resellers' credit freed)."""

import threading
import uuid
from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING, Any

from flexhub.alerts.commands import EVERY_S as ALERTS_EVERY_S
from flexhub.alerts.commands import RaiseAlerts
from flexhub.bus.consumers import once_per_event
from flexhub.bus.transport import Envelope
from flexhub.erp import commands as erp_commands
from flexhub.erp.inbound import POLL_EVERY_S as ERP_POLL_EVERY_S
from flexhub.erp.inbound import ErpReader
from flexhub.erp.outbound import EVENTS as ERP_EVENTS
from flexhub.erp.outbound import DocumentIntake, DocumentSender
from flexhub.erp.sync import sync_connection
from flexhub.fulfillment import carrier_pushes
from flexhub.fulfillment.notices import ChannelNotifier, note_shipped
from flexhub.fulfillment.tracking_polls import TrackingPoller
from flexhub.fulfillment.waybills import WaybillDesk
from flexhub.kernel.clock import as_utc
from flexhub.kernel.messages import Actor
from flexhub.members import earning
from flexhub.notifications.catalog import EVENTS as WEBHOOK_EVENTS
from flexhub.notifications.delivery import EventIntake, WebhookSender
from flexhub.replenishment.jobs import RetrainSchedule
from flexhub.sync import figures, reconcile
from flexhub.sync.allocation import HoldBack
from flexhub.sync.lanes import PushLanes
from flexhub.sync.push import StockPusher
from flexhub.sync.rebalance import QuotaRebalance
from flexhub.workers.runner import Job

if TYPE_CHECKING:
    from flexhub.bootstrap import Hub


def wire_stock_sync(hub: "Hub", jobs: list[Job]) -> None:
    """StockChanged → the figure of every affected listing → paced pushes to each platform."""
    figures_waiting = threading.Event()
    pusher = StockPusher(hub, client=hub.http)
    settings = hub.settings
    planner = figures.FigurePlanner(hub.uow, HoldBack(settings.hold_back_quantile, settings.hold_back_window_s,
                                                      settings.hold_back_sales_window_s,
                                                      lead_rounds=settings.hold_back_lead_rounds,
                                                      lead_s=settings.hold_back_lead_s), vault=hub.vault)

    def on_stock_changed(envelope: Envelope) -> None:
        planner.note(envelope.tenant_id, {uuid.UUID(level["sku_id"]) for level in envelope.body["levels"]},
                     as_utc(envelope.occurred_at), envelope.event_id)
        figures_waiting.set()

    def on_listings_changed(envelope: Envelope) -> None:  # AllocationChanged, ListingAdded
        planner.note(envelope.tenant_id, {uuid.UUID(sku_id) for sku_id in envelope.body["sku_ids"]},
                     as_utc(envelope.occurred_at), envelope.event_id)
        figures_waiting.set()

    def plan() -> None:
        # Planning recomputes from the levels as they are (idempotent), so it runs wherever events arrive;
        # pushing is one leased process's, so one pusher paces each platform.
        if planner.run_once():
            pushes_waiting.set()

    def on_committed(events: list[Any]) -> None:
        # Noted as this process commits them, not only once the relay gets to them: the outbox's queue is every
        # consumer's (ERP documents, webhooks, points…), and a figure waiting in it is a store selling stale stock.
        # The relay's delivery of the same event is then passed over (FigurePlanner.note); other processes' are not.
        for event in events:
            if (consume := consumers.get(event.type_name())) is not None:
                consume(Envelope(event.event_id, event.tenant_id, event.type_name(), event.body(), event.occurred_at))

    pushes_waiting = threading.Event()
    pusher.wake = pushes_waiting  # reconciliation's corrections go out at once
    pusher.holds_lease = lambda: hub.workers.holds("stock-push")
    consumers = {"StockChanged": on_stock_changed, "AllocationChanged": on_listings_changed,
                 "ListingAdded": on_listings_changed}
    for event_type, consume in consumers.items():
        hub.transport.subscribe(event_type, consume, name="stock-sync")
    hub.on_committed.append(on_committed)
    hub.pusher = pusher
    jobs.append(Job("stock-plan", plan, hub.settings.push_interval_s, wake=figures_waiting))
    # Each channel pushes in a lane of its own; the job wakes the lanes with something due (sync/lanes.py).
    lanes = PushLanes(pusher)
    hub.workers.on_stop(lanes.close)
    jobs.append(Job("stock-push", lanes.run_once, hub.settings.push_interval_s, wake=pushes_waiting,
                    singleton=True))
    jobs.append(Job("channel-reconcile", reconcile.ReconcileSchedule(hub).run_once, hub.settings.reconcile_check_s,
                    singleton=True))
    rebalancing = QuotaRebalance(hub.uow, hub.handle, window_s=hub.settings.rebalance_window_s)
    jobs.append(Job("quota-rebalance", rebalancing.run_once, hub.settings.rebalance_interval_s, singleton=True))


def wire_fulfillment(hub: "Hub", jobs: list[Job], uow_factory: Any) -> None:
    """Waybills asked of carriers, and ShipmentShipped → a notice → the channel told, all outside transactions."""
    hub.waybills = WaybillDesk(uow_factory, http=hub.http, vault=hub.vault, lease_s=hub.settings.job_lease_s)
    hub.notifier = ChannelNotifier(uow_factory, http=hub.http, vault=hub.vault, lease_s=hub.settings.job_lease_s)
    notices_waiting = threading.Event()

    def on_shipped(envelope: Envelope) -> None:
        once_per_event("shipment-notice", uow_factory, note_shipped)(envelope)
        notices_waiting.set()

    hub.transport.subscribe("ShipmentShipped", on_shipped, name="shipment-notices")
    jobs.append(Job("waybills", hub.waybills.run_once, hub.settings.push_interval_s * 10))
    jobs.append(Job("shipment-notices", hub.notifier.run_once, hub.settings.push_interval_s * 4, wake=notices_waiting))
    hub.tracker = TrackingPoller(hub)
    jobs.append(Job("carrier-pushes", lambda: carrier_pushes.process_pending(hub), 1.0, wake=hub.tracking_arrived))
    jobs.append(Job("tracking-polls", hub.tracker.run_once, hub.settings.push_interval_s * 10, singleton=True))


def wire_notifications(hub: "Hub", jobs: list[Job], uow_factory: Any) -> None:
    """Events endpoints subscribe to → one delivery per endpoint → signed posts, outside transactions; and the
    periodic alerts, whose AlertRaised / AlertCleared events go out the same way."""
    deliveries_waiting = threading.Event()
    intake = EventIntake(uow_factory, on_added=deliveries_waiting.set)
    for event_type in WEBHOOK_EVENTS:
        hub.transport.subscribe(event_type, intake, name="webhook-intake")
    sender = WebhookSender(uow_factory, http=hub.http, vault=hub.vault, lease_s=hub.settings.job_lease_s)
    jobs.append(Job("webhooks", sender.run_once, hub.settings.push_interval_s * 4, wake=deliveries_waiting))
    jobs.append(Job("stock-alerts", lambda: hub.bus.handle(RaiseAlerts()), ALERTS_EVERY_S, singleton=True))


def wire_erp(hub: "Hub", jobs: list[Job], uow_factory: Any, bound: dict[type, Any]) -> None:
    """Orders, shipments and returns → one document per ERP connection → sent once each, outside transactions;
    a sync now (CLI, API) sends what waits and reads what changed."""
    documents_waiting = threading.Event()
    intake = DocumentIntake(uow_factory, on_added=documents_waiting.set)
    for event_type in ERP_EVENTS:
        hub.transport.subscribe(event_type, intake, name="erp-intake")
    sender = DocumentSender(uow_factory, http=lambda: hub.http, vault=hub.vault, lease_s=hub.settings.job_lease_s)
    reader = ErpReader(uow_factory, lambda command: hub.bus.handle(command), http=lambda: hub.http, vault=hub.vault)
    bound[erp_commands.SyncConnection] = partial(sync_connection, uow_factory=uow_factory, sender=sender,
                                                 reader=reader)
    hub.erp_sender, hub.erp_reader = sender, reader
    jobs.append(Job("erp-documents", sender.run_once, hub.settings.push_interval_s * 4, wake=documents_waiting))
    jobs.append(Job("erp-poll", reader.poll_all, ERP_POLL_EVERY_S, singleton=True))


def wire_members(hub: "Hub", uow_factory: Any) -> None:
    """Order events → points earned on a member's paid orders and reversed on refunds, once per event."""
    consume = once_per_event("member-points", uow_factory, earning.on_order_event)
    for event_type in earning.ORDER_EVENTS:
        hub.transport.subscribe(event_type, consume, name="member-points")


def wire_planning(hub: "Hub", jobs: list[Job], uow_factory: Any) -> None:
    """The learned forecast trained again every `forecast_retrain_days` for each tenant that trained one."""
    hub.retraining = RetrainSchedule(uow_factory, hub.handle, every_days=hub.settings.forecast_retrain_days)
    jobs.append(Job("forecast-retrain", hub.retraining.run_once, hub.settings.forecast_retrain_check_s,
                    singleton=True))


def wire_resellers(hub: "Hub", release_covered: Callable[[Actor, uuid.UUID, str], list[str]]) -> None:
    """ResellerCredited (an order of the reseller cancelled, a return of it received) → its orders held over the
    credit limit that the credit freed now covers, released oldest first as after a payment, each audited as whoever
    freed it. A redelivered event finds them released already and releases nothing more."""
    def on_credited(envelope: Envelope) -> None:
        body = envelope.body
        cause = (f"order {body['reference']} was cancelled" if body["kind"] == "cancelled"
                 else f"{body['reference']} was received")
        actor = Actor(tenant_id=envelope.tenant_id, role="admin", name=str(body["by"])[:200])
        release_covered(actor, uuid.UUID(body["partner_id"]), f"the reseller's credit covers it after {cause}")

    hub.transport.subscribe("ResellerCredited", on_credited, name="credit-release")
