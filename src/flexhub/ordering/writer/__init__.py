"""The order writer: the one way new orders get in (API, channel inbound, CLI, bench).

Its interface, for callers on an event loop (the HTTP layer) and for threads (workers, CLI):

    writer = hub.writer
    imported = await writer.submit(ImportOrder(...))         # Imported, or raises the FlexhubError
    outcomes = await writer.submit_many([ImportOrder, ...])  # one Imported or FlexhubError per command
    imported = writer.import_order(ImportOrder(...))         # the same, blocking the calling thread
    outcomes = writer.import_many([ImportOrder, ...])

`Imported` carries `order_id`, `status` and `created` (False: a replay of a known order, or a
newer version applied to it). A command with `answer_with_order=True` (the HTTP routes) also gets
`Imported.order`, the stored order as GET /api/v1/orders/{id} shows it: the writer reads the orders
of a whole batch back in one read transaction of three statements, so a request opens none of its own.
A batch's newer versions are applied in one transaction, each under its own savepoint.

With combining on (the default), concurrent submissions share one transaction per batch and
`in_flight` batches are written at once; a coroutine waiting on `submit` holds no thread. Off,
each order is its own transaction: coroutines then wait their turn for one of a bounded set of
threads (as many as the connection pool holds), in the order they came.
"""

from flexhub.ordering.intake import Imported
from flexhub.ordering.writer.submission import OrderWriter

__all__ = ["Imported", "OrderWriter"]
