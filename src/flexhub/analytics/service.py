"""What the API and the CLI call: one tenant's KPIs, or their export, over the last days.

Importing this needs the `analytics` extra; callers check `extra.require()` first.
"""

import uuid
from pathlib import Path
from typing import Any

import pyarrow as pa

from flexhub.analytics import export, kpis
from flexhub.analytics.facts import Window
from flexhub.analytics.queries import read_tables
from flexhub.bootstrap import Hub


def kpi_report(hub: Hub, tenant_id: uuid.UUID, *, days: int) -> dict[str, Any]:
    return kpis.report(_read(hub, tenant_id), Window.last(days))


def export_files(hub: Hub, tenant_id: uuid.UUID, *, days: int, directory: Path, format: str) -> list[Path]:
    return export.export(_read(hub, tenant_id), Window.last(days), directory=directory, format=format)


def _read(hub: Hub, tenant_id: uuid.UUID) -> dict[str, pa.Table]:
    """Read in one short read-only transaction; DuckDB works on the copy after it has ended."""
    with hub.uow(write=False) as uow:
        return read_tables(uow.connection, tenant_id)
