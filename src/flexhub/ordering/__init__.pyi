"""The public face of flexhub.ordering: what other capabilities import (loaded on first use, kernel/faces.py)."""

from flexhub.ordering.commands import (
    CancelOrder,
    EditShippingAddress,
    ExpireUnpaidOrders,
    HoldOrder,
    ImportOrder,
    OrderCancellation,
    OrderReleased,
    ReleaseOrder,
    ReserveBackorders,
)
from flexhub.ordering.errors import (
    ChannelForbidden,
    HasShipments,
    InvalidOrder,
    InvalidTransition,
    NotOnHold,
    PhoneSearchForbidden,
    StaleOrder,
    UnknownChannel,
    UnknownOrder,
)
from flexhub.ordering.events import (
    RECEIVED,
    OrderCancelled,
    OrdersReceived,
    OrderStatusChanged,
    OrderUpdated,
    order_ids,
    orders_received,
)
from flexhub.ordering.queries import (
    lines_of_orders,
    order_audit,
    order_headers,
    order_lines,
    order_numbers,
    order_view,
    order_views,
    orders_of_buyers,
    orders_to_ship_from,
)
from flexhub.ordering.rules import LineDemand, needs_for
from flexhub.ordering.schemas import Address, Buyer, OrderIn, OrderLineIn
from flexhub.ordering.status import OrderState, advance_order, advance_orders
from flexhub.ordering.updates import locked_order, locked_orders

__all__ = [
    "Address", "Buyer", "CancelOrder", "ChannelForbidden", "EditShippingAddress", "ExpireUnpaidOrders", "HasShipments",
    "HoldOrder", "NotOnHold", "OrderReleased", "PhoneSearchForbidden",
    "ReleaseOrder", "ImportOrder", "InvalidOrder", "InvalidTransition",
    "RECEIVED", "LineDemand", "OrderCancellation", "OrderCancelled", "OrderIn", "OrderLineIn", "OrdersReceived",
    "OrderState",
    "OrderStatusChanged", "OrderUpdated", "ReserveBackorders", "StaleOrder", "UnknownChannel", "UnknownOrder",
    "advance_order", "advance_orders", "lines_of_orders", "locked_order", "locked_orders", "needs_for", "order_audit",
    "order_headers", "order_ids", "order_lines", "order_numbers", "order_view", "order_views", "orders_of_buyers",
    "orders_received", "orders_to_ship_from",
]
