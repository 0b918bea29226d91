"""CSV (UTF-8 with BOM, for Excel on Chinese Windows) and XLSX exports of candles and trades."""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from market.services import history as price_history

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CANDLE_HEADER = ["周期", "开始日期", "结束日期", "开盘价(元)", "最高价(元)", "最低价(元)",
                 "收盘价(元)", "成交量", "成交额(元)", "成交笔数", "成交均价(元)"]
TRADE_HEADER = ["成交编号", "成交时间(北京时间)", "成交价(元)", "成交量(吨二氧化碳当量)",
                "成交额(元)", "主动方", "出让批次编号", "成交方式"]


@pytest.fixture
def history(carbon):
    price_history.backfill_daily_stats(date(2024, 4, 28), date(2024, 5, 7))
    return carbon


def read_csv(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.get_data()
    assert raw.startswith("\ufeff".encode())
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))


def read_xlsx(response):
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.headers["Content-Type"] == XLSX
    sheet = load_workbook(io.BytesIO(response.get_data())).active
    return sheet, [[cell.value for cell in row] for row in sheet.iter_rows()]


def test_candles_as_csv(history):
    response = history.buyers[0].get(
        "/api/v1/instruments/ECO-CARBON/candles?interval=week&from=2024-04-28&to=2024-05-07"
        "&format=csv")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="ECO-CARBON_candles_week_2024-04-28_2024-05-07.csv"')
    assert read_csv(response) == [
        CANDLE_HEADER,
        ["2024-W18", "2024-04-29", "2024-05-05", "60.00", "62.00", "58.00", "59.50", "49.0000",
         "2918.00", "5", "59.55"],
        ["2024-W19", "2024-05-06", "2024-05-07", "64.00", "64.00", "64.00", "64.00", "5.0000",
         "320.00", "1", "64.00"],
    ]
    assert b"\r\n" in response.get_data()  # Excel's line ends


def test_candles_by_accept_header(history):
    caller = history.buyers[0]
    path = "/api/v1/instruments/ECO-CARBON/candles?from=2024-05-01&to=2024-05-01"
    as_csv = read_csv(caller.get(path, headers={"Accept": "text/csv"}))
    assert as_csv[1][:4] == ["2024-05-01", "2024-05-01", "2024-05-01", "61.00"]
    _sheet, cells = read_xlsx(caller.get(path, headers={"Accept": XLSX}))
    assert cells[1][0] == "2024-05-01"
    assert caller.get(path, headers={"Accept": "application/json"}).json["candles"][0][
        "open"] == "61.00"
    assert caller.get(path).json["candles"][0]["close"] == "59.50"


def test_candles_as_xlsx_have_numeric_cells(history):
    response = history.buyers[0].get(
        "/api/v1/instruments/ECO-CARBON/candles?interval=day&from=2024-04-28&to=2024-05-07"
        "&format=xlsx")
    assert response.headers["Content-Disposition"].endswith('_2024-05-07.xlsx"')
    sheet, cells = read_xlsx(response)
    assert sheet.title == "K线"
    assert cells[0] == CANDLE_HEADER
    assert len(cells) == 5
    period, start, end, *numbers = cells[3]
    assert (period, start, end) == ("2024-05-01", datetime(2024, 5, 1), datetime(2024, 5, 1))
    assert [Decimal(str(n)) for n in numbers] == [Decimal(v) for v in (
        "61.00", "61.00", "59.50", "59.50", "14", "848.00", "2", "60.57")]
    assert sheet["D4"].number_format == "#,##0.00" and sheet["H4"].number_format == "#,##0.0000"


def test_trades_as_csv_in_time_order_with_beijing_times(history):
    response = history.buyers[1].get(
        "/api/v1/instruments/ECO-CARBON/trades/export?from=2024-04-30&to=2024-05-01")
    assert response.headers["Content-Disposition"] == (
        'attachment; filename="ECO-CARBON_trades_2024-04-30_2024-05-01.csv"')
    t3, t4, t5 = history.trades[2:5]
    lot_w, _lot_n, lot_j = history.lots
    assert read_csv(response) == [
        TRADE_HEADER,
        [str(t3), "2024-04-30 23:59:00", "58.00", "20.0000", "1160.00", "买入", lot_w, "连续竞价"],
        [str(t5), "2024-05-01 00:30:00", "59.50", "4.0000", "238.00", "买入", lot_w, "连续竞价"],
        [str(t4), "2024-05-01 01:00:00", "61.00", "10.0000", "610.00", "买入", lot_j, "连续竞价"],
    ]


def test_trades_as_xlsx(history):
    response = history.buyers[1].get(
        "/api/v1/instruments/ECO-CARBON/trades/export?from=2024-04-29&to=2024-04-29&format=xlsx")
    sheet, cells = read_xlsx(response)
    assert sheet.title == "成交明细"
    assert cells == [
        TRADE_HEADER,
        [history.trades[0], datetime(2024, 4, 29, 10), 60, 10, 600, "买入", history.lots[0],
         "连续竞价"],
        [history.trades[1], datetime(2024, 4, 29, 14), 62, 5, 310, "买入", history.lots[1],
         "连续竞价"],
    ]


def test_a_long_trade_export_streams_in_pages(history, monkeypatch):
    from market.services.history import exports as module

    real = module._trades_between
    monkeypatch.setattr(module, "_trades_between",
                        lambda *args: real(*args, page=2))  # pages of two: 6 trades, 3 pages
    monkeypatch.setattr(module, "CSV_ROWS_PER_CHUNK", 4)
    rows = read_csv(history.buyers[0].get(
        "/api/v1/instruments/ECO-CARBON/trades/export?from=2024-04-01&to=2024-05-31"))
    assert [int(row[0]) for row in rows[1:]] == [history.trades[i] for i in (0, 1, 2, 4, 3, 5)]


def test_too_many_trades_for_xlsx_is_refused_naming_the_format(history, monkeypatch):
    from market.services.history import exports

    monkeypatch.setattr(exports, "XLSX_MAX_ROWS", 5)
    response = history.buyers[0].get(
        "/api/v1/instruments/ECO-CARBON/trades/export?from=2024-04-01&to=2024-05-31"
        "&format=xlsx")
    assert response.status_code == 422
    assert response.json["error"]["code"] == "too_many_rows"
    assert "format" in response.json["error"]["fields"]
