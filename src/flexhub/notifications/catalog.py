"""Which events leave by webhook. The webhook intake is a consumer of its own (on NATS, durables named after it),
so an event other consumers also take still reaches it."""

PARTNER_EVENTS = ("PurchaseOrderSent", "PurchaseOrderChanged", "PurchaseOrderAmended", "PurchaseOrderStateChanged",
                  "AsnAnnounced", "GoodsReceived", "DiscrepancyRaised")
EVENTS = (*PARTNER_EVENTS, "AlertRaised", "AlertCleared")
