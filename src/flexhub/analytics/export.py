"""Writing the facts and every KPI table as files, one per table: CSV or Parquet."""

from pathlib import Path

import pyarrow as pa

from flexhub.analytics import kpis
from flexhub.analytics.errors import UnknownFormat
from flexhub.analytics.facts import FACTS, Window, build

FORMATS = ("csv", "parquet")


def export(source: dict[str, pa.Table], window: Window, *, directory: Path, format: str) -> list[Path]:
    """Write `<table>.<format>` for each fact and KPI table into `directory`; the paths written."""
    if format not in FORMATS:
        raise UnknownFormat(f"format must be one of {', '.join(FORMATS)}", format=format)
    directory.mkdir(parents=True, exist_ok=True)
    connection = build(source, window)
    try:
        frames = {name: connection.table(name).pl() for name in FACTS} | kpis.tables(connection)
    finally:
        connection.close()
    written = []
    for name, frame in frames.items():
        path = directory / f"{name}.{format}"
        frame.write_parquet(path) if format == "parquet" else frame.write_csv(path)
        written.append(path)
    return written
