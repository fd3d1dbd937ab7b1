"""Every table, imported in one place so metadata (and Alembic) sees them all."""

from flexhub.alerts.model import StockAlert
from flexhub.batches.model import OrderBatch, OrderBatchItem
from flexhub.catalog.model import BundleComponent, Sku, Spu
from flexhub.channels.model import (
    Channel,
    ChannelException,
    InboundMessage,
    Listing,
    PollCursor,
    Reconciliation,
    StockDrift,
    StockPush,
)
from flexhub.cleaning.model import CleaningRule, OrderFingerprint, OrderHold
from flexhub.db.base import Base
from flexhub.db.jobs.model import QueuedJob, RateBucket, ScheduleLease
from flexhub.db.outbox import ConsumedEvent, OutboxEvent
from flexhub.erp.model import ErpConflict, ErpConnection, ErpCursor, ErpDocument, ErpMapping
from flexhub.filters.model import SavedFilter
from flexhub.finance.model import DifferenceResolution, FeeTermsVersion, Statement, StatementRow
from flexhub.fulfillment.model import (
    CarrierAccount,
    CarrierPush,
    Shipment,
    ShipmentLine,
    ShipmentNotice,
    TrackingEvent,
    TrackingPoll,
)
from flexhub.identity.model import ApiKey, AuditEntry, Partner, Tenant, User
from flexhub.inventory.model import Location, Reservation, StockLevel, StockMovement, Transfer, TransferLine
from flexhub.members.model import Coupon, Member, MemberCoupon, MemberIdentity, PointsEntry
from flexhub.notifications.model import WebhookDelivery, WebhookEndpoint
from flexhub.ordering.model import Order, OrderLine
from flexhub.planning.model import PlanningEvent, SalesDay
from flexhub.purchasing.model import Asn, AsnLine, Discrepancy, Factory, PurchaseOrder, PurchaseOrderLine, SupplierSku
from flexhub.replenishment.model import ForecastModel
from flexhub.resellers.model import AccountEntry, ResellerPrice, ResellerTerms
from flexhub.returns.model import Return, ReturnLine, ReturnsCentre
from flexhub.routing.model import NodeLoad, RoutingDecision, RoutingPolicyDocument
from flexhub.stores.model import ShelfPrice, StoreSale, WechatPayAccount

metadata = Base.metadata

__all__ = [
    "OrderBatch", "OrderBatchItem",
    "Asn", "AsnLine", "Discrepancy", "Factory", "PurchaseOrder", "PurchaseOrderLine", "SupplierSku",
    "WebhookDelivery", "WebhookEndpoint", "StockAlert",
    "ApiKey", "AuditEntry", "BundleComponent", "Channel", "ChannelException", "InboundMessage", "Listing",
    "PollCursor", "StockPush", "ConsumedEvent", "Location", "Order",
    "OrderLine", "OutboxEvent", "Partner", "Reservation", "Sku", "Spu", "StockLevel", "StockMovement",
    "Tenant", "Transfer", "TransferLine", "NodeLoad", "RoutingDecision", "RoutingPolicyDocument", "metadata",
    "CarrierAccount", "Shipment", "ShipmentLine", "ShipmentNotice", "Return", "ReturnLine",
    "CarrierPush", "TrackingEvent", "TrackingPoll", "ReturnsCentre",
    "User",
    "Reconciliation", "StockDrift",
    "QueuedJob", "RateBucket", "ScheduleLease",
    "Statement", "StatementRow", "FeeTermsVersion", "DifferenceResolution",
    "ErpConflict", "ErpConnection", "ErpCursor", "ErpDocument", "ErpMapping",
    "PlanningEvent", "SalesDay", "ForecastModel",
    "Coupon", "Member", "MemberCoupon", "MemberIdentity", "PointsEntry", "ShelfPrice", "StoreSale",
    "WechatPayAccount",
    "CleaningRule", "OrderFingerprint", "OrderHold",
    "AccountEntry", "ResellerPrice", "ResellerTerms",
    "SavedFilter",
]
