"""Local marketplaces on 127.0.0.1 that speak each platform's real wire format (demo, tests, bench).

    platform.py   what a platform module provides; the request and answer the common part hands it
    store.py      one store: its listings and the figures it shows, its orders, its log of requests
    market.py     the stores of one sandbox: dispatch with rate limits, placing orders, resending them
    courier.py    webhook delivery to the hub, signed by the platform module, retried
    buyers.py     shoppers placing orders at a steady rate, with a flash-sale spike
    app.py        the FastAPI app: /{platform}/{store}/... as each platform's API, /_sandbox/ to drive it
    server.py     serving an app on a free 127.0.0.1 port in a thread
    hub.py        the hub's side: a channel and listings per store, and polling the stores that do not push
    stage.py      a hub and a sandbox served side by side (the end-to-end tests and `bench sync`)
    platforms/    one small module per platform (request checks and parsing), with <platform>_orders
                  (order rendering) beside it where it needs the room; router.py is TOP/JOS signing

Nothing here talks to anything but 127.0.0.1.
"""

from flexhub.sandbox.market import Market

__all__ = ["Market"]
