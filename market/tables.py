"""Tables as files: the one writer of every CSV and XLSX file the service hands out.

CSV is UTF-8 with a byte-order mark: Excel on Chinese Windows otherwise reads it as GBK and
garbles the headers. Decimals go into CSV as exact strings; XLSX cells are numbers (the
Decimal's own digits are written into the file, never a float's) with a display format.

Text that a spreadsheet would run as a formula (=, +, -, @, tab, CR first: "CSV injection")
gets a leading apostrophe in both formats, so an account named `=HYPERLINK(...)` stays a
name. Only text is touched: a negative Decimal is a number and stays one.
"""

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE}
FILE_FORMATS = tuple(MEDIA_TYPES)
ROWS_PER_CHUNK = 2000
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_BOLD = Font(bold=True)


@dataclass(frozen=True)
class Column:
    """A column's header and, for XLSX, its number format and width (None: the default)."""

    header: str
    number_format: str | None = None
    width: float | None = None


@dataclass(frozen=True)
class Table:
    """Rows under columns; the title names the XLSX sheet (and heads a titled CSV section)."""

    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


@dataclass(frozen=True)
class Export:
    """A file to send: its name, media type and bytes (or a stream of byte chunks)."""

    filename: str
    mimetype: str
    body: bytes | Iterator[bytes]


def safe_text(text: str) -> str:
    """Text a spreadsheet shows as text: a formula-like start gets an apostrophe before it."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def export(file_format: str, filename: str, tables: Sequence[Table], titled: bool = False,
           rows_per_chunk: int = ROWS_PER_CHUNK) -> Export:
    """The tables as a `csv` file (streamed in chunks) or an `xlsx` workbook."""
    if file_format == "xlsx":
        return Export(filename, XLSX_MEDIA_TYPE, xlsx_bytes(tables))
    return Export(filename, CSV_MEDIA_TYPE, csv_chunks(tables, titled, rows_per_chunk))


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return safe_text(value)
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | int):
        return str(value)  # a Decimal's str is exact
    return safe_text(str(value))


def csv_chunks(tables: Sequence[Table], titled: bool = False,
               rows_per_chunk: int = ROWS_PER_CHUNK) -> Iterator[bytes]:
    """The BOM, then each table's header and rows, in chunks; CRLF line ends as Excel expects.

    `titled` puts each table under its title, with a blank line between tables.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    buffer.write("\ufeff")
    written = 0
    for index, table in enumerate(tables):
        if titled:
            if index:
                writer.writerow([])
            writer.writerow([safe_text(table.title)])
        writer.writerow([safe_text(column.header) for column in table.columns])
        for row in table.rows:
            writer.writerow([_csv_value(value) for value in row])
            written += 1
            if written % rows_per_chunk == 0:
                yield buffer.getvalue().encode("utf-8")
                buffer.seek(0)
                buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _xlsx_value(value):
    if value is None or isinstance(value, Decimal | int | date):
        # Excel has no time zones: a time is written as the wall-clock time it was given in.
        return value.replace(tzinfo=None) if isinstance(value, datetime) else value
    return safe_text(value if isinstance(value, str) else str(value))


def xlsx_bytes(tables: Sequence[Table]) -> bytes:
    """One sheet per table, header in bold; built row by row in openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    for table in tables:
        sheet = workbook.create_sheet(table.title)
        for number, column in enumerate(table.columns, start=1):
            if column.width is not None:
                sheet.column_dimensions[get_column_letter(number)].width = column.width
        sheet.append([_header(sheet, column.header) for column in table.columns])
        formats = [column.number_format for column in table.columns]
        for row in table.rows:
            cells = []
            for value, number_format in zip(row, formats, strict=True):
                cell = WriteOnlyCell(sheet, value=_xlsx_value(value))
                if number_format:
                    cell.number_format = number_format
                cells.append(cell)
            sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def _header(sheet, text: str) -> WriteOnlyCell:
    cell = WriteOnlyCell(sheet, value=safe_text(text))
    cell.font = _BOLD
    return cell
