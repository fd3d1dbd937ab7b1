"""Which events leave by webhook. Only events no other consumer subscribes to by type: on NATS, subscribers of
one type share one durable queue group, so a second subscriber would take messages from the first."""

PARTNER_EVENTS = ("PurchaseOrderSent", "PurchaseOrderChanged", "PurchaseOrderStateChanged", "AsnAnnounced",
                  "GoodsReceived", "DiscrepancyRaised")
EVENTS = (*PARTNER_EVENTS, "AlertRaised", "AlertCleared")
