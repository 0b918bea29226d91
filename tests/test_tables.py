"""The one CSV/XLSX writer: exact decimals, streaming CSV, numeric XLSX cells, no formulas."""

import csv
import io
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from market import tables
from market.tables import Column, Table

ROWS = [["=1+1", Decimal("-2.50"), -3, date(2026, 11, 1), datetime(2026, 11, 1, 9, 30, tzinfo=UTC)],
        ["plain", Decimal("0.0001"), 0, None, None]]
COLUMNS = [Column("text"), Column("money", "#,##0.00"), Column("count", "0"), Column("day"),
           Column("at")]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_text_that_starts_like_a_formula_gets_an_apostrophe(start):
    assert tables.safe_text(f"{start}SUM(A1)") == f"'{start}SUM(A1)"


@pytest.mark.parametrize("text", ["", "宁波市", "a=b", "2026-11", "'quoted", " =x"])
def test_other_text_is_left_alone(text):
    assert tables.safe_text(text) == text


def test_csv_has_a_bom_exact_decimals_crlf_and_text_neutralised():
    raw = b"".join(tables.csv_chunks([Table("T", COLUMNS, ROWS)]))
    assert raw.startswith("\ufeff".encode())
    assert raw.count(b"\r\n") == 3
    assert list(csv.reader(io.StringIO(raw.decode("utf-8-sig")))) == [
        ["text", "money", "count", "day", "at"],
        ["'=1+1", "-2.50", "-3", "2026-11-01", "2026-11-01 09:30:00+00:00"],
        ["plain", "0.0001", "0", "", ""],
    ]


def test_csv_streams_in_chunks_of_rows_and_titles_sections_when_asked():
    rows = [[str(number)] for number in range(5)]
    chunks = list(tables.csv_chunks([Table("A", [Column("n")], iter(rows))], rows_per_chunk=2))
    assert len(chunks) == 3
    titled = b"".join(tables.csv_chunks([Table("A", [Column("n")], [["1"]]),
                                         Table("-B", [Column("m")], [])], titled=True))
    assert titled.decode("utf-8-sig") == "A\r\nn\r\n1\r\n\r\n'-B\r\nm\r\n"


def test_xlsx_keeps_numbers_numeric_and_formula_like_text_a_string():
    data = tables.xlsx_bytes([Table("T", [Column("text", width=30), *COLUMNS[1:]], ROWS)])
    sheet = load_workbook(io.BytesIO(data))["T"]
    text, money, count, day, at = sheet[2]
    assert (text.value, text.data_type) == ("'=1+1", "s")
    assert (money.value, money.data_type, money.number_format) == (-2.5, "n", "#,##0.00")
    assert (count.value, count.data_type) == (-3, "n")
    assert (day.value, at.value) == (datetime(2026, 11, 1), datetime(2026, 11, 1, 9, 30))
    assert sheet["A1"].font.b and sheet.column_dimensions["A"].width == 30


def test_export_names_the_file_and_its_media_type():
    csv_file = tables.export("csv", "a.csv", [Table("T", COLUMNS, ROWS)])
    assert (csv_file.filename, csv_file.mimetype) == ("a.csv", "text/csv; charset=utf-8")
    assert not isinstance(csv_file.body, bytes)  # a stream of chunks
    xlsx_file = tables.export("xlsx", "a.xlsx", [Table("T", COLUMNS, ROWS)])
    assert xlsx_file.mimetype == tables.XLSX_MEDIA_TYPE and isinstance(xlsx_file.body, bytes)
