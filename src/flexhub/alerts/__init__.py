"""Stock alerts per SKU × node: a stock-out predicted within the lead time plus the review period, and excess
stock (cover beyond a threshold). A package of its own, not a module of replenishment: it owns a table, events,
a periodic job and routes; it reads replenishment's plan through its query functions."""
