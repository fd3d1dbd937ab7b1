"""Inventory: locations, the movement ledger, stock levels per pool, reservations and transfers."""
