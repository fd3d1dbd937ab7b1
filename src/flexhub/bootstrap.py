"""The one composition root: engine, units of work, handlers, bus, relay and workers, wired once (each capability's
consumers and jobs in background.py)."""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

import httpx2
import structlog
from sqlalchemy import Engine

from flexhub import background
from flexhub.alerts import handlers as alerts
from flexhub.alerts.commands import RaiseAlerts
from flexhub.batches import handlers as batches
from flexhub.batches.commands import RunOrderBatches, StartOrderBatch
from flexhub.bus.messagebus import Handler, MessageBus
from flexhub.bus.relay import OutboxRelay
from flexhub.bus.transport import InProcessTransport, Transport
from flexhub.catalog import handlers as catalog
from flexhub.catalog.commands import CreateBundle, CreateSku, UpdateSku
from flexhub.channels import ChannelRef, ChannelReturn, inbound, polling
from flexhub.channels import channels_by_code as channel_codes
from flexhub.channels import handlers as channels
from flexhub.channels import operations as channel_operations
from flexhub.channels.commands import (
    CreateChannel,
    CreateListing,
    CreateListings,
    RetryChannelException,
    RetryDeadLetters,
    SetAllocation,
)
from flexhub.channels.receipt import KEPT, ReceiptDesk
from flexhub.cleaning import handlers as cleaning
from flexhub.cleaning import use_places
from flexhub.cleaning.commands import SetCleaningRules
from flexhub.db import wakes
from flexhub.db.engine import build_engine
from flexhub.db.unit_of_work import UnitOfWork
from flexhub.erp import commands as erp_commands
from flexhub.erp import handlers as erp
from flexhub.filters import handlers as saved_filters
from flexhub.filters.commands import DeleteFilter, SaveFilter
from flexhub.finance import carrier_bill_import
from flexhub.finance import commands as fin
from flexhub.finance import cost_handlers as finance_costs
from flexhub.finance import handlers as finance
from flexhub.fulfillment import commands as ful
from flexhub.fulfillment import handlers as fulfillment
from flexhub.fulfillment import handover, lost
from flexhub.fulfillment import queries as parcels
from flexhub.identity import handlers as identity
from flexhub.identity.authenticate import KeyRing
from flexhub.identity.commands import (
    ChangePassword,
    CreateApiKey,
    CreatePartner,
    CreateTenant,
    CreateUser,
    RevokeSessions,
    SetTimeZone,
    SignInUser,
)
from flexhub.identity.sessions import Sessions, change_password, revoke_sessions
from flexhub.identity.signin import sign_in_user
from flexhub.integrations.clients import outbound_client
from flexhub.integrations.vault import Vault, key_from
from flexhub.inventory import commands as inv
from flexhub.inventory import handlers as inventory
from flexhub.jobs import DeleteJob, RetryJob
from flexhub.jobs import handlers as job_handlers
from flexhub.kernel.messages import Actor
from flexhub.members import commands as mem
from flexhub.members import handlers as members
from flexhub.notifications import commands as ntf
from flexhub.notifications import handlers as notifications
from flexhub.ordering import credit_release
from flexhub.ordering import handlers as ordering
from flexhub.ordering import holds as order_holds
from flexhub.ordering.commands import (
    CancelOrder,
    EditShippingAddress,
    ExpireUnpaidOrders,
    HoldOrder,
    ImportOrder,
    ReleaseOrder,
    ReserveBackorders,
)
from flexhub.ordering.events import OrdersReceived, OrderUpdated
from flexhub.ordering.writer import OrderWriter
from flexhub.planning import handlers as planning
from flexhub.planning.commands import CreateEvent, ImportSalesHistory
from flexhub.purchasing import commands as pur
from flexhub.purchasing import handlers as purchasing
from flexhub.purchasing import receiving, suggested
from flexhub.replenishment import suggestions as suggest_orders
from flexhub.replenishment import training as replenishment_training
from flexhub.replenishment.commands import TrainForecastModel
from flexhub.resellers import handlers as resellers
from flexhub.resellers.commands import (
    ChargeStorage,
    ChargeStorageDue,
    RecordPayment,
    SetResellerBrand,
    SetResellerPrices,
    SetResellerTerms,
)
from flexhub.returns import commands as ret
from flexhub.returns import handlers as returns
from flexhub.returns import open_channel_returns
from flexhub.routing import AtlasPlaces
from flexhub.routing import handlers as routing
from flexhub.routing.commands import RerouteOrder, RouteOrder, RouteReservedOrders, SetRoutingPolicy
from flexhub.settings import Settings
from flexhub.stores import alipaying, paying, pickups, sales, store_shipping
from flexhub.stores import commands as sto
from flexhub.stores import handlers as stores
from flexhub.sync.push import StockPusher
from flexhub.workers.leases import LeaseKeeper
from flexhub.workers.runner import IMPORT, Job, Workers

log = structlog.get_logger(__name__)


@dataclass
class Hub:
    settings: Settings
    engine: Engine
    bus: MessageBus
    writer: OrderWriter  # new orders in: `await hub.writer.submit(command)` (see ordering.writer)
    transport: Transport
    relay: OutboxRelay
    keyring: KeyRing
    vault: Vault
    workers: Workers
    inbound_arrived: threading.Event
    sessions: Sessions  # the dashboard's sign-ins (identity/sessions.py)
    pusher: Any = None
    waybills: Any = None  # fulfillment.waybills.WaybillDesk
    notifier: Any = None  # fulfillment.notices.ChannelNotifier
    tracker: Any = None  # fulfillment.tracking_polls.TrackingPoller
    erp_sender: Any = None  # erp.outbound.DocumentSender
    erp_reader: Any = None  # erp.inbound.ErpReader
    retraining: Any = None  # replenishment.jobs.RetrainSchedule
    tracking_arrived: threading.Event = field(default_factory=threading.Event)  # a carrier push was kept
    receipts: Any = None  # channels.receipt.ReceiptDesk: webhooks verified and kept in batches
    # Called with the events of each transaction this process commits, before the relay publishes them: what must
    # not wait in the outbox's queue behind every other consumer (stock sync notes its SKUs to plan; background.py).
    on_committed: list[Callable[[list[Any]], None]] = field(default_factory=list)
    closed: bool = False
    http: httpx2.Client = field(default_factory=outbound_client)

    def uow(self, *, write: bool = True) -> UnitOfWork:
        return UnitOfWork(self.engine, write=write)

    def handle(self, command: Any) -> Any:
        return self.bus.handle(command)

    @property
    def pacing(self) -> StockPusher:
        """The channels' shared rate-limit buckets (the stock pusher keeps them): what polls, fetches and
        reconciliation pace their calls by (channels.deps.Pacing)."""
        pusher: StockPusher = self.pusher
        return pusher

    def open_channel_returns(self, actor: Actor, channel: ChannelRef,
                             requests: Sequence[ChannelReturn]) -> list[tuple[Any, ...]]:
        """The inbox's return requests become RMAs through returns (channels.deps.Inbox)."""
        return open_channel_returns(self, actor, channel, requests)

    def close(self) -> None:
        """Stop in order: jobs (the relay publishes no more), the writer's batches in flight, then the transport
        once the events in hand are consumed and acked, each bounded by `shutdown_drain_s`. Once only."""
        if self.closed:
            return
        self.closed = True
        self.workers.stop(self.settings.shutdown_drain_s)
        self.receipts.close()
        self.writer.close()
        self.transport.close(self.settings.shutdown_drain_s)
        self.http.close()
        self.engine.dispose()


def bootstrap(settings: Settings | None = None, *, combine: bool | None = None) -> Hub:
    settings = settings or Settings()
    use_places(AtlasPlaces())  # cleaning's address rule checks Chinese addresses against routing's atlas
    engine = build_engine(settings.database_url, pool_size=settings.db_pool_size,
                          max_overflow=settings.db_max_overflow, pool_timeout_s=settings.db_pool_timeout_s)

    outbox_written = threading.Event()  # wakes the relay as soon as a transaction with events commits
    orders_waiting = threading.Event()  # wakes the routing job as soon as an order may have become reserved
    committed: list[Callable[[list[Any]], None]] = []  # Hub.on_committed

    def on_commit(events: list[Any]) -> None:
        outbox_written.set()
        if any(isinstance(e, OrdersReceived | OrderUpdated) for e in events):
            orders_waiting.set()
        for listener in committed:
            try:
                listener(events)
            except Exception:  # the transaction is committed: its events still go out through the relay
                log.exception("commit listener failed")

    def uow_factory(write: bool = True) -> UnitOfWork:
        return UnitOfWork(engine, write=write, on_commit=on_commit)

    writer = OrderWriter(
        uow_factory,
        combine=settings.combiner_enabled if combine is None else combine,
        max_wait_s=settings.combiner_max_wait_ms / 1000,
        max_batch=settings.combiner_max_batch,
        in_flight=settings.writer_in_flight,
        second_batch_min=settings.writer_second_batch_min,
        threads=settings.db_pool_size,
        engine=engine,
        on_commit=on_commit,
    )
    handlers: dict[type, Any] = {
        CreateTenant: identity.create_tenant,
        CreatePartner: identity.create_partner,
        CreateApiKey: identity.create_api_key,
        CreateUser: identity.create_user,
        SetTimeZone: identity.set_time_zone,
        SaveFilter: saved_filters.save_filter,
        DeleteFilter: saved_filters.delete_filter,
        SignInUser: sign_in_user,
        RevokeSessions: revoke_sessions,
        ChangePassword: change_password,
        CreateSku: catalog.create_sku,
        CreateBundle: catalog.create_bundle,
        UpdateSku: catalog.update_sku,
        CreateListing: channels.create_listing,
        CreateListings: channels.create_listings,
        SetAllocation: channels.set_allocation,
        RetryDeadLetters: channel_operations.retry_dead_letters,
        RetryChannelException: channel_operations.retry_channel_exception,
        inv.CreateLocation: inventory.create_location,
        inv.AdjustStock: inventory.adjust_stock,
        inv.CountStock: inventory.count_stock,
        inv.SetSafetyStock: inventory.set_safety_stock,
        inv.AssignBins: inventory.assign_bins,
        inv.CreateTransfer: inventory.create_transfer,
        inv.ReceiveTransfer: inventory.receive_transfer,
        CancelOrder: ordering.cancel_order,
        ReleaseOrder: order_holds.release_order,
        HoldOrder: partial(order_holds.hold_order, open_parcels=parcels.open_parcels),
        EditShippingAddress: order_holds.edit_shipping_address,
        SetResellerPrices: resellers.set_reseller_prices,
        SetResellerBrand: resellers.set_reseller_brand,
        ChargeStorage: resellers.charge_storage,
        ChargeStorageDue: resellers.charge_storage_due,
        SetCleaningRules: partial(cleaning.set_cleaning_rules, channels_by_code=channel_codes),
        ExpireUnpaidOrders: ordering.expire_unpaid_orders,
        ReserveBackorders: ordering.reserve_backorders,
        RouteOrder: routing.route_order,
        RerouteOrder: routing.reroute_order,
        RouteReservedOrders: routing.route_reserved_orders,
        SetRoutingPolicy: routing.set_routing_policy,
        ful.CreateShipment: fulfillment.create_shipment,
        ful.IssueWaybill: fulfillment.issue_waybill,
        ful.PackShipment: fulfillment.pack_shipment,
        ful.CancelShipment: fulfillment.cancel_shipment,
        ful.RetryShipmentNotice: fulfillment.retry_shipment_notice,
        ful.ShipShipment: handover.ship_shipment,
        ful.CollectPickup: handover.collect_pickup,
        ful.RecordTrackingEvent: handover.record_tracking_event,
        ful.PollTracking: handover.poll_tracking,
        ret.CreateReturn: returns.create_return,
        ret.ReceiveReturn: returns.receive_return,
        ret.InspectReturn: returns.inspect_return,
        pur.SetSupplierSku: purchasing.set_supplier_sku,
        pur.SetFactory: purchasing.set_factory,
        pur.CreatePurchaseOrder: purchasing.create_purchase_order,
        pur.OrderFromSuggestions: partial(suggested.order_from_suggestions, suggestions=suggest_orders),
        pur.ActOnOrder: purchasing.act_on_order,
        pur.ProposeChange: purchasing.propose_change,
        pur.AmendPurchaseOrder: purchasing.amend_purchase_order,
        pur.AnnounceShipment: receiving.announce_shipment,
        pur.ReceiveAsn: receiving.receive_asn,
        pur.ResolveDiscrepancy: receiving.resolve_discrepancy,
        ntf.DisableEndpoint: notifications.disable_endpoint,
        ntf.DeleteEndpoint: notifications.delete_endpoint,
        ntf.RetryDelivery: notifications.retry_delivery,
        RaiseAlerts: alerts.raise_alerts,
        RetryJob: job_handlers.retry_job,
        DeleteJob: job_handlers.delete_job,
        ret.SetReturnsCentres: returns.set_returns_centres,
        fin.ImportStatement: finance.import_statement,
        fin.SetFeeTerms: finance.set_fee_terms,
        fin.ResolveDifference: finance.resolve_difference,
        fin.AddLandedCost: finance_costs.add_landed_cost,
        fin.RecordCarrierCharges: finance_costs.record_carrier_charges,
        fin.AddReturnCost: finance_costs.add_return_cost,
        fin.RecordExchangeRates: finance_costs.record_exchange_rates,
        fin.ImportCarrierBill: carrier_bill_import.import_carrier_bill,
        erp_commands.RetryDocument: erp.retry_document,
        erp_commands.MapRecord: erp.map_record,
        ImportSalesHistory: planning.import_sales_history,
        mem.RegisterMember: members.register_member,
        mem.LinkIdentity: members.link_identity,
        mem.AdjustPoints: members.adjust_points,
        mem.CreateCoupon: members.create_coupon,
        mem.IssueCoupon: members.issue_coupon,
        sto.SetShelfPrice: stores.set_shelf_price,
        CreateEvent: planning.create_event,
        TrainForecastModel: replenishment_training.train_forecast_model,
    }
    bound: dict[type, Handler] = {kind: partial(handler, uow_factory=uow_factory) for kind, handler in handlers.items()}
    bus: MessageBus  # made once every handler is bound; handlers that send commands on reach it through dispatch

    def dispatch(command: Any) -> Any:
        return bus.handle(command)

    vault = Vault(key_from(settings.secret_key, Path(settings.secret_key_file)))
    bound[CreateChannel] = partial(channels.create_channel, uow_factory=uow_factory, vault=vault)
    bound[ImportOrder] = writer.import_order
    bound[ntf.CreateEndpoint] = partial(notifications.create_endpoint, uow_factory=uow_factory, vault=vault)
    bound[ntf.RotateSecret] = partial(notifications.rotate_secret, uow_factory=uow_factory, vault=vault)
    bound[erp_commands.CreateConnection] = partial(erp.create_connection, uow_factory=uow_factory, vault=vault)
    bound[ful.CreateCarrierAccount] = partial(fulfillment.create_carrier_account, uow_factory=uow_factory, vault=vault)
    # A short pick re-routes the order through the bus, after the pick's own transaction.
    bound[ful.ConfirmPick] = partial(fulfillment.confirm_pick, uow_factory=uow_factory, dispatch=dispatch)
    bound[ful.ReshipLostShipment] = partial(lost.reship_lost_shipment, uow_factory=uow_factory, dispatch=dispatch)
    # A payment or a higher credit limit releases the reseller's orders its credit now covers, through ReleaseOrder.
    release_covered = partial(credit_release.release_covered, uow_factory=uow_factory, dispatch=dispatch)
    bound[RecordPayment] = partial(resellers.record_payment, uow_factory=uow_factory, release_covered=release_covered)
    bound[SetResellerTerms] = partial(resellers.set_reseller_terms, uow_factory=uow_factory,
                                      release_covered=release_covered)
    batches_waiting = threading.Event()
    bound[StartOrderBatch] = partial(batches.start_order_batch, uow_factory=uow_factory, wake=batches_waiting)
    bound[RunOrderBatches] = partial(batches.run_order_batches, uow_factory=uow_factory, dispatch=dispatch)
    bound[sto.SetWechatPay] = partial(paying.set_wechatpay, uow_factory=uow_factory, vault=vault)
    bound[sto.CheckOut] = partial(sales.check_out, uow_factory=uow_factory, dispatch=dispatch)
    bound[sto.TakePayment] = partial(paying.take_payment, uow_factory=uow_factory, vault=vault, dispatch=dispatch)
    bound[sto.SetAlipay] = partial(alipaying.set_alipay, uow_factory=uow_factory, vault=vault)
    bound[sto.TakeAlipayPayment] = partial(alipaying.take_payment, uow_factory=uow_factory, vault=vault,
                                           dispatch=dispatch)
    bound[sto.CollectAtStore] = partial(pickups.collect_at_store, uow_factory=uow_factory, dispatch=dispatch)
    bound[sto.ShipFromStore] = partial(store_shipping.ship_from_store, uow_factory=uow_factory, dispatch=dispatch)
    bus = MessageBus(bound)
    transport = _transport(settings)
    relay = OutboxRelay(uow_factory, transport)
    inbound_arrived = threading.Event()
    jobs = [
        Job("outbox-relay", relay.run_once, settings.relay_interval_s, wake=outbox_written, singleton=True),
        Job("expire-unpaid-orders", lambda: bus.handle(ExpireUnpaidOrders()), settings.expiry_interval_s,
            singleton=True),
        Job("reserve-backorders", lambda: bus.handle(ReserveBackorders()), settings.backorder_interval_s,
            singleton=True),
        Job("route-orders", lambda: bus.handle(RouteReservedOrders()), settings.routing_interval_s,
            wake=orders_waiting, singleton=True),
        # yesterday's 仓储费, once per reseller and day: hourly, so a day missed while nothing ran is caught soon
        Job("reseller-storage-fees", lambda: bus.handle(ChargeStorageDue()), 3600.0, singleton=True),
        Job("order-batches", lambda: bus.handle(RunOrderBatches()), 2.0, wake=batches_waiting, singleton=True),
    ]
    workers = Workers(jobs, lambda names: LeaseKeeper(uow_factory, names, ttl_s=settings.lease_s),
                      on_start=transport.start, listener=wakes.listener(engine))
    hub = Hub(settings, engine, bus, writer, transport, relay, KeyRing(engine), vault, workers, inbound_arrived,
              sessions=Sessions(uow_factory, idle_s=settings.session_idle_s, absolute_s=settings.session_absolute_s),
              on_committed=committed)
    hub.receipts = ReceiptDesk(hub, inbound_arrived, max_wait_s=settings.combiner_max_wait_ms / 1000,
                               max_batch=settings.combiner_max_batch, in_flight=settings.writer_in_flight)
    jobs.append(Job("channel-poll", polling.PollSchedule(hub).run_once, 1.0, singleton=True))
    jobs.append(Job("channel-inbound", lambda: inbound.run_job(hub, inbound_arrived), settings.inbound_interval_s,
                    wake=inbound_arrived, singleton=True, group=IMPORT, announced=KEPT))
    background.wire_stock_sync(hub, jobs)
    background.wire_fulfillment(hub, jobs, uow_factory)
    background.wire_notifications(hub, jobs, uow_factory)
    background.wire_erp(hub, jobs, uow_factory, bound)
    background.wire_members(hub, uow_factory)
    background.wire_planning(hub, jobs, uow_factory)
    background.wire_resellers(hub, release_covered)
    return hub


def _transport(settings: Settings) -> Transport:
    if settings.event_transport == "nats":
        from flexhub.bus.nats_transport import NatsTransport

        return NatsTransport.from_settings(settings)
    return InProcessTransport()
