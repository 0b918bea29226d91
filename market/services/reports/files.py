"""A city report as a downloadable file: CSV or XLSX, one section (sheet) per table.

Written by `market.tables`: CSV is UTF-8 with a byte-order mark, because Excel — what most
bureaus open it with — reads BOM-less UTF-8 as the local code page and garbles the Chinese
names. XLSX keeps numbers as numbers (exact decimals), so totals can be summed in the sheet.
Times and dates are ISO text in Beijing time in both.
"""

from datetime import date, datetime
from decimal import Decimal

from market import tables
from market.calendar import MARKET_TIME
from market.tables import Column, Export, Table

INSTRUMENT_COLUMNS = ("instrument", "name", "unit", "trades", "volume", "turnover", "vwap",
                      "guide_price", "vwap_vs_guide", "low", "high", "sold_volume",
                      "sold_turnover", "bought_volume", "bought_turnover")
SETTLEMENT_COLUMNS = ("status", "count", "amount", "fee")
MECHANISM_COLUMNS = ("mechanism", "trades", "turnover")
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


def report_file(report: dict, file_format: str) -> Export:
    """The report as a `csv` or `xlsx` file, one titled table per section."""
    made = tables.export(file_format, report_filename(report, file_format), sections(report),
                         titled=True)
    # The report is in memory already: send it whole, with its length.
    return made if isinstance(made.body, bytes) else Export(
        made.filename, made.mimetype, b"".join(made.body))


def sections(report: dict) -> list[Table]:
    """The report as titled tables."""
    def table(title: str, columns: tuple[str, ...], rows: list[list]) -> Table:
        return Table(title, [Column(name, width=max(12, len(name) + 2)) for name in columns],
                     [[_cell(value) for value in row] for row in rows])

    def lines(rows: list[dict], columns: tuple[str, ...]) -> list[list]:
        return [[row.get(column) for column in columns] for row in rows]

    heading = [["city", report["city"]["code"]], ["city_name", report["city"]["name"]],
               ["kind", report["kind"]], ["period", report["period"]],
               ["starts_at", report["starts_at"]], ["ends_at", report["ends_at"]],
               ["generated_at", report["generated_at"]], ["basis", report["basis"]],
               ["mechanism", report.get("mechanism") or "all"]]
    heading += [[key, value] for key, value in report["totals"].items()]
    return [
        table("Report", ("item", "value"), heading),
        table("Instruments", INSTRUMENT_COLUMNS,
              lines(report["instruments"], INSTRUMENT_COLUMNS)),
        table("Mechanisms", MECHANISM_COLUMNS,
              lines(report["mechanisms"], MECHANISM_COLUMNS)),
        table("Settlements", SETTLEMENT_COLUMNS,
              lines(report["settlements"], SETTLEMENT_COLUMNS)),
        table("Defaults", DEFAULT_COLUMNS, lines(report["defaults"]["rows"], DEFAULT_COLUMNS)),
        table("Alerts by kind", ALERT_KIND_COLUMNS,
              lines(report["alerts"]["by_kind"], ALERT_KIND_COLUMNS)),
        table("Alerts", ALERT_COLUMNS, lines(report["alerts"]["rows"], ALERT_COLUMNS)),
        table("Flow summary", FLOW_SUMMARY_COLUMNS,
              lines(report["flows"]["summary"], FLOW_SUMMARY_COLUMNS)),
        table("Flows", FLOW_COLUMNS, lines(report["flows"]["rows"], FLOW_COLUMNS)),
    ]


def _cell(value):
    """Numbers stay numbers; times become ISO text in Beijing time, so both files agree."""
    if value is None or isinstance(value, Decimal | int | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(MARKET_TIME).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
