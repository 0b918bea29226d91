"""A city report as a downloadable file: CSV or XLSX, one section (sheet) per table.

CSV is UTF-8 with a byte-order mark, because Excel — what most bureaus open it with — reads
BOM-less UTF-8 as the local code page and garbles the Chinese names. XLSX keeps numbers as
numbers (exact decimals), so totals can be summed in the sheet.
"""

import csv
import io
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Font

from market.calendar import MARKET_TIME

MEDIA_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
INSTRUMENT_COLUMNS = ("instrument", "name", "unit", "trades", "volume", "turnover", "vwap",
                      "guide_price", "vwap_vs_guide", "low", "high", "sold_volume",
                      "sold_turnover", "bought_volume", "bought_turnover")
SETTLEMENT_COLUMNS = ("status", "count", "amount", "fee")
DEFAULT_COLUMNS = ("settlement_id", "trade_id", "instrument", "buyer_account",
                   "buyer_district_code", "origin_district_code", "quantity", "amount",
                   "deposit_forfeited", "due_at", "closed_at")
ALERT_KIND_COLUMNS = ("kind", "severity", "count", "open", "reviewed", "dismissed")
ALERT_COLUMNS = ("id", "kind", "severity", "status", "instrument", "summary", "created_at")
FLOW_SUMMARY_COLUMNS = ("direction", "trades", "amount", "fee", "pending_trades",
                        "pending_amount")
FLOW_COLUMNS = ("instrument", "seller_district_code", "seller_district_name",
                "buyer_district_code", "buyer_district_name", "trades", "quantity", "amount",
                "fee", "net_to_seller", "pending_trades", "pending_quantity", "pending_amount")


def report_filename(report: dict, file_format: str) -> str:
    """e.g. report-320200-2026-11.csv (ASCII only, so every browser keeps it)."""
    return f"report-{report['city']['code']}-{report['period']}.{file_format}"


def sections(report: dict) -> list[tuple[str, tuple[str, ...], list[list]]]:
    """The report as titled tables: (title, column names, rows)."""
    def table(rows: list[dict], columns: tuple[str, ...]) -> list[list]:
        return [[row.get(column) for column in columns] for row in rows]

    heading = [["city", report["city"]["code"]], ["city_name", report["city"]["name"]],
               ["kind", report["kind"]], ["period", report["period"]],
               ["starts_at", report["starts_at"]], ["ends_at", report["ends_at"]],
               ["generated_at", report["generated_at"]], ["basis", report["basis"]]]
    heading += [[key, value] for key, value in report["totals"].items()]
    return [
        ("Report", ("item", "value"), heading),
        ("Instruments", INSTRUMENT_COLUMNS, table(report["instruments"], INSTRUMENT_COLUMNS)),
        ("Settlements", SETTLEMENT_COLUMNS, table(report["settlements"], SETTLEMENT_COLUMNS)),
        ("Defaults", DEFAULT_COLUMNS, table(report["defaults"]["rows"], DEFAULT_COLUMNS)),
        ("Alerts by kind", ALERT_KIND_COLUMNS,
         table(report["alerts"]["by_kind"], ALERT_KIND_COLUMNS)),
        ("Alerts", ALERT_COLUMNS, table(report["alerts"]["rows"], ALERT_COLUMNS)),
        ("Flow summary", FLOW_SUMMARY_COLUMNS,
         table(report["flows"]["summary"], FLOW_SUMMARY_COLUMNS)),
        ("Flows", FLOW_COLUMNS, table(report["flows"]["rows"], FLOW_COLUMNS)),
    ]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.astimezone(MARKET_TIME).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def to_csv(report: dict) -> bytes:
    """All sections in one CSV file, each under its title and separated by a blank line."""
    buffer = io.StringIO()
    buffer.write("\ufeff")
    writer = csv.writer(buffer, lineterminator="\r\n")
    for index, (title, columns, rows) in enumerate(sections(report)):
        if index:
            writer.writerow([])
        writer.writerow([title])
        writer.writerow(columns)
        writer.writerows([[_text(value) for value in row] for row in rows])
    return buffer.getvalue().encode("utf-8")


def _cell(value):
    if isinstance(value, Decimal | int | str) or value is None:
        return value
    return _text(value)


def to_xlsx(report: dict) -> bytes:
    """One sheet per section, headers in bold, decimals as numbers."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, columns, rows in sections(report):
        sheet = workbook.create_sheet(title)
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(value) for value in row])
        for index, column in enumerate(columns, start=1):
            sheet.column_dimensions[sheet.cell(1, index).column_letter].width = max(
                12, len(column) + 2)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def render_report(report: dict, file_format: str) -> bytes:
    """The report as `csv` or `xlsx` bytes."""
    return to_csv(report) if file_format == "csv" else to_xlsx(report)
