"""`amazon`: Amazon Selling Partner API (SP-API) — orders in, merchant-fulfilled stock out, shipments.

    calls.py          addressing and LWA authorisation of every call; documented rate limits
    orders.py         which order shape a payload is; searchOrders / getOrder requests (Orders 2026-01-01)
    order_2026.py     an Orders 2026-01-01 Order (items inline) as a ChannelOrder
    order_v0.py       an Orders v0 Order merged with its items as a ChannelOrder
    listings.py       quantities out: patchListingsItem per SKU; JSON_LISTINGS_FEED and its report
    notifications.py  ORDER_CHANGE and LISTINGS_ITEM_MFN_QUANTITY_CHANGE, relayed from SQS with our HMAC
    shipments.py      confirmShipment with carrier and tracking number
    adapter.py        AmazonAdapter, the ChannelAdapter wiring the above
"""

from flexhub.channels.platforms.amazon.adapter import AmazonAdapter

__all__ = ["AmazonAdapter"]
