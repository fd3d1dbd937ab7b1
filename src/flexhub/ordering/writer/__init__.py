"""The order writer: the one way new orders get in (API, channel inbound, CLI, bench).

Its interface, for callers on an event loop (the HTTP layer) and for threads (workers, CLI):

    writer = hub.writer
    imported = await writer.submit(ImportOrder(...))         # Imported, or raises the FlexhubError
    outcomes = await writer.submit_many([ImportOrder, ...])  # one Imported or FlexhubError per command
    imported = writer.import_order(ImportOrder(...))         # the same, blocking the calling thread
    outcomes = writer.import_many([ImportOrder, ...])

`Imported` carries `order_id`, `status` and `created` (False: a replay of a known order, or a
newer version applied to it), which is what an answer needs: no read back.

With combining on (the default), concurrent submissions share one transaction per batch and
`in_flight` batches are written at once; a coroutine waiting on `submit` holds no thread. Off,
each order is its own transaction: coroutines then wait their turn for one of a bounded set of
threads (as many as the connection pool holds), in the order they came.
"""

from flexhub.ordering.intake import Imported
from flexhub.ordering.writer.submission import OrderWriter

__all__ = ["Imported", "OrderWriter"]
