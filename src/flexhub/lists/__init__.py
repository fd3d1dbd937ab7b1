"""Lists that scale: keyset (cursor) paging with a total and a chosen sort, and streamed CSV and Excel exports of
any filtered list. Each capability describes its list (the filtered query, the columns it sorts by, the row's shape)
and hands it here; nothing here knows what an order or a SKU is."""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)
