"""A list as a file, streamed: CSV (UTF-8 with a byte-order mark, so Excel reads Chinese right) sent as its rows
are read, or an Excel workbook written row by row in constant memory to a temporary file and then sent in chunks
(a zip's directory comes last, so it cannot leave before its rows are written). Text is never a formula: a CSV
cell starting with = + - @ gets a leading apostrophe, and Excel cells are written as strings or numbers."""

import csv
import io
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import xlsxwriter
from fastapi.responses import StreamingResponse

from flexhub.kernel.zones import local
from flexhub.lists.errors import UnknownExportFormat

Cell = str | int | float | None
Item = Mapping[str, Any]
Column = tuple[str, Callable[[Item], Cell]]  # a heading, and how an item of the list gives its cell
FORMATS = {"csv": "text/csv; charset=utf-8",
           "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
ROWS_PER_CHUNK = 200
FILE_CHUNK = 64 * 1024


def export_response(format: str, name: str, header: Sequence[str], rows: Iterable[Sequence[Cell]], *,
                    created: datetime | None = None) -> StreamingResponse:
    """`name`.csv or `name`.xlsx as an attachment; the rows are read only as the answer is sent. `created`: the
    workbook's creation time (else now); a document of a closed period passes its own, so it is the same bytes
    each time it is asked."""
    if format not in FORMATS:
        raise UnknownExportFormat(f"export as one of {', '.join(FORMATS)}", allowed=list(FORMATS))
    body = csv_chunks(header, rows) if format == "csv" else xlsx_chunks(header, rows, sheet=name, created=created)
    return StreamingResponse(body, media_type=FORMATS[format],
                             headers={"content-disposition": f'attachment; filename="{name}.{format}"'})


def export_table(format: str, name: str, columns: Sequence[Column], items: Iterable[Item]) -> StreamingResponse:
    """A list's items as a file of these columns (each item read only as the answer is sent)."""
    rows = ([cell(item) for _, cell in columns] for item in items)
    return export_response(format, name, [heading for heading, _ in columns], rows)


def text(key: str) -> Callable[[Item], Cell]:
    return lambda item: item.get(key)


def clock_time(key: str, where: ZoneInfo) -> Callable[[Item], Cell]:
    """A time of the item on a clock in `where`, to the second (its column's heading names the zone)."""
    def cell(item: Item) -> Cell:
        value = item.get(key)
        return local(value, where).replace(microsecond=0, tzinfo=None).isoformat(sep=" ") if value else None
    return cell


def major_units(key: str, digits: Callable[[Item], int]) -> Callable[[Item], Cell]:
    """Money kept in minor units, as a spreadsheet sums it (12.34)."""
    return lambda item: item[key] / 10 ** digits(item)


def csv_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    yield "\ufeff".encode() + _drained(buffer)
    count = 0
    for row in rows:
        writer.writerow([_csv_cell(cell) for cell in row])
        count += 1
        if count % ROWS_PER_CHUNK == 0:
            yield _drained(buffer)
    yield _drained(buffer)


def xlsx_chunks(header: Sequence[str], rows: Iterable[Sequence[Cell]], *, sheet: str,
                created: datetime | None = None) -> Iterator[bytes]:
    handle, path = tempfile.mkstemp(suffix=".xlsx")
    os.close(handle)
    try:
        workbook = xlsxwriter.Workbook(path, {"constant_memory": True, "tmpdir": tempfile.gettempdir()})
        if created is not None:
            workbook.set_properties({"created": created})
        worksheet = workbook.add_worksheet(sheet[:31])
        bold = workbook.add_format({"bold": True})
        for column, title in enumerate(header):
            worksheet.write_string(0, column, title, bold)
        for row_no, row in enumerate(rows, start=1):
            for column, cell in enumerate(row):
                if isinstance(cell, int | float) and not isinstance(cell, bool):
                    worksheet.write_number(row_no, column, cell)
                elif cell is not None:
                    worksheet.write_string(row_no, column, _text(cell))
        workbook.close()
        with open(path, "rb") as written:
            while chunk := written.read(FILE_CHUNK):
                yield chunk
    finally:
        os.unlink(path)


def _csv_cell(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(FORMULA_START):
        return "'" + cell
    return _text(cell) if isinstance(cell, datetime | date) else cell


def _text(cell: object) -> str:
    return cell.isoformat() if isinstance(cell, datetime | date) else str(cell)


def _drained(buffer: io.StringIO) -> bytes:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    return text.encode()
