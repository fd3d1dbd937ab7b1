"""Fulfilment: shipments from routed orders, pick/pack/ship, waybills, tracking, pickup and channel notices."""
