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
from flexhub.db.unit_of_work import UnitOfWorkFactory


def kpi_report(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, *, days: int) -> dict[str, Any]:
    return kpis.report(_read(uow_factory, tenant_id), Window.last(days))


def export_files(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID, *, days: int, directory: Path,
                 format: str) -> list[Path]:
    return export.export(_read(uow_factory, tenant_id), Window.last(days), directory=directory, format=format)


def _read(uow_factory: UnitOfWorkFactory, tenant_id: uuid.UUID) -> dict[str, pa.Table]:
    """Read in one short read-only transaction; DuckDB works on the copy after it has ended."""
    with uow_factory(write=False) as uow:
        return read_tables(uow.connection, tenant_id)
