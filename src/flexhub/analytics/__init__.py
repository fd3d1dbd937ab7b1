"""Analytics, the read side: KPIs over orders and the stock ledger, computed with DuckDB.

Rows are read through SQLAlchemy into Polars/Arrow (`queries`), shaped into facts (`facts`) and
aggregated per channel, node and SKU (`kpis`); `export` writes them as CSV or Parquet. DuckDB,
Polars and PyArrow come with the `analytics` extra; without it the API answers 501.
"""

from flexhub.kernel import faces

__getattr__, __dir__, __all__ = faces.attach(__name__, __file__)
