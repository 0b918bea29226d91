"""A city report as a downloadable file: CSV or XLSX, one section (sheet) per table.

Written by `market.tables`: CSV is UTF-8 with a byte-order mark, because Excel — what most
bureaus open it with — reads BOM-less UTF-8 as the local code page and garbles the Chinese
names. XLSX keeps numbers as numbers (exact decimals), so totals can be summed in the sheet.
Sheet names, headers and words (statuses, kinds, units) are the reader's language;
times are Beijing time as the pages write them (2026-12-01 09:30:00).
"""

from datetime import date, datetime
from decimal import Decimal

from flask_babel import lazy_pgettext

from market import tables
from market.calendar import MARKET_TIME
from market.tables import Column, Export, Table
from market.vocabulary import (
    ALERT_KIND,
    ALERT_STATUS,
    MECHANISM,
    SETTLEMENT_STATUS,
    SEVERITY,
    UNIT,
    word,
)

INSTRUMENT_COLUMNS = ("instrument", "name", "unit", "trades", "volume", "turnover", "vwap",
                      "guide_price", "vwap_vs_guide", "low", "high", "sold_volume",
                      "sold_turnover", "bought_volume", "bought_turnover")
SETTLEMENT_COLUMNS = ("status", "count", "amount", "fee")
MECHANISM_COLUMNS = ("mechanism", "trades", "turnover")
DEFAULT_COLUMNS = ("settlement_id", "trade_id", "instrument", "buyer_account",
                   "buyer_district_code", "buyer_district_name", "origin_district_code",
                   "origin_district_name", "quantity", "amount", "deposit_forfeited", "due_at",
                   "closed_at")
ALERT_KIND_COLUMNS = ("kind", "severity", "count", "open", "reviewed", "dismissed")
ALERT_COLUMNS = ("id", "kind", "severity", "status", "instrument", "summary", "created_at")
FLOW_SUMMARY_COLUMNS = ("direction", "trades", "amount", "fee", "pending_trades",
                        "pending_amount")
FLOW_COLUMNS = ("instrument", "seller_district_code", "seller_district_name",
                "buyer_district_code", "buyer_district_name", "trades", "quantity", "amount",
                "fee", "net_to_seller", "pending_trades", "pending_quantity", "pending_amount")
# The headers a reader sees for the report's keys (the JSON keeps the keys).
HEADERS = {
    "item": lazy_pgettext("report file", "Item"),
    "value": lazy_pgettext("report file", "Value"),
    "city": lazy_pgettext("report file", "City code"),
    "city_name": lazy_pgettext("report file", "City"),
    "kind": lazy_pgettext("report file", "Kind of report"),
    "period": lazy_pgettext("report file", "Period"),
    "starts_at": lazy_pgettext("report file", "From (Beijing time)"),
    "ends_at": lazy_pgettext("report file", "Until (Beijing time)"),
    "generated_at": lazy_pgettext("report file", "Generated at"),
    "basis": lazy_pgettext("report file", "Basis"),
    "turnover": lazy_pgettext("report file", "Turnover (yuan)"),
    "settled_amount": lazy_pgettext("report file", "Settled amount (yuan)"),
    "defaults": lazy_pgettext("report file", "Defaults"),
    "defaulted_amount": lazy_pgettext("report file", "Defaulted amount (yuan)"),
    "instrument": lazy_pgettext("report file", "Instrument"),
    "name": lazy_pgettext("report file", "Instrument name"),
    "unit": lazy_pgettext("report file", "Unit"),
    "trades": lazy_pgettext("report file", "Trades"),
    "volume": lazy_pgettext("report file", "Volume"),
    "vwap": lazy_pgettext("report file", "Average price (yuan)"),
    "guide_price": lazy_pgettext("report file", "Guide price (yuan)"),
    "vwap_vs_guide": lazy_pgettext("report file", "Average against guide"),
    "low": lazy_pgettext("report file", "Lowest price (yuan)"),
    "high": lazy_pgettext("report file", "Highest price (yuan)"),
    "sold_volume": lazy_pgettext("report file", "Sold from the city"),
    "sold_turnover": lazy_pgettext("report file", "Sold from the city (yuan)"),
    "bought_volume": lazy_pgettext("report file", "Bought into the city"),
    "bought_turnover": lazy_pgettext("report file", "Bought into the city (yuan)"),
    "status": lazy_pgettext("report file", "Status"),
    "count": lazy_pgettext("report file", "Count"),
    "amount": lazy_pgettext("report file", "Amount (yuan)"),
    "fee": lazy_pgettext("report file", "Fee (yuan)"),
    "settlement_id": lazy_pgettext("report file", "Settlement"),
    "trade_id": lazy_pgettext("report file", "Trade"),
    "buyer_account": lazy_pgettext("report file", "Buyer"),
    "buyer_district_code": lazy_pgettext("report file", "Buyer's district code"),
    "origin_district_code": lazy_pgettext("report file", "Origin district code"),
    "origin_district_name": lazy_pgettext("report file", "Origin district"),
    "quantity": lazy_pgettext("report file", "Quantity"),
    "deposit_forfeited": lazy_pgettext("report file", "Deposit forfeited (yuan)"),
    "due_at": lazy_pgettext("report file", "Due at"),
    "closed_at": lazy_pgettext("report file", "Closed at"),
    "severity": lazy_pgettext("report file", "Severity"),
    "open": lazy_pgettext("report file", "Open"),
    "reviewed": lazy_pgettext("report file", "Reviewed"),
    "dismissed": lazy_pgettext("report file", "Dismissed"),
    "id": lazy_pgettext("report file", "Alert"),
    "summary": lazy_pgettext("report file", "What was found"),
    "created_at": lazy_pgettext("report file", "Raised at"),
    "direction": lazy_pgettext("report file", "Direction"),
    "pending_trades": lazy_pgettext("report file", "Trades awaiting payment"),
    "pending_amount": lazy_pgettext("report file", "Awaiting payment (yuan)"),
    "seller_district_code": lazy_pgettext("report file", "Seller's district code"),
    "seller_district_name": lazy_pgettext("report file", "Seller's district"),
    "buyer_district_name": lazy_pgettext("report file", "Buyer's district"),
    "net_to_seller": lazy_pgettext("report file", "Net to the seller (yuan)"),
    "pending_quantity": lazy_pgettext("report file", "Quantity awaiting payment"),
    "mechanism": lazy_pgettext("report file", "How traded"),
}
EVERY_MECHANISM = lazy_pgettext("report file", "every mechanism")
REPORT_KIND = {"monthly": lazy_pgettext("report file", "monthly report"),
               "quarterly": lazy_pgettext("report file", "quarterly report")}
FLOW_DIRECTION = {"inflow": lazy_pgettext("report file", "into the city"),
                  "outflow": lazy_pgettext("report file", "out of the city"),
                  "internal": lazy_pgettext("report file", "within the city")}
BASIS = lazy_pgettext(
    "report file", "trades executed in the period whose lot originates in the city or whose "
    "buyer sits in the city; settlement states and guide prices as of the time generated; "
    "Beijing time")


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
    """The report as titled tables, in the reader's language: headers, words and units."""
    def table(title, columns: tuple[str, ...], rows: list[list], words: dict | None = None
              ) -> Table:
        headers = [str(HEADERS.get(name, name)) for name in columns]
        words = words or {}
        return Table(str(title), [Column(header, width=max(12, 2 * len(header) + 2))
                                  for header in headers],
                     [[_cell(word(words[column], value) if column in words else value)
                       for column, value in zip(columns, row, strict=True)] for row in rows])

    def lines(rows: list[dict], columns: tuple[str, ...]) -> list[list]:
        return [[row.get(column) for column in columns] for row in rows]

    alert_words = {"kind": ALERT_KIND, "severity": SEVERITY, "status": ALERT_STATUS}
    heading = [["city", report["city"]["code"]], ["city_name", report["city"]["name"]],
               ["kind", word(REPORT_KIND, report["kind"])], ["period", report["period"]],
               ["starts_at", report["starts_at"]], ["ends_at", report["ends_at"]],
               ["generated_at", report["generated_at"]], ["basis", BASIS],
               ["mechanism", word(MECHANISM, report["mechanism"])
                if report.get("mechanism") else EVERY_MECHANISM]]
    heading += [[key, value] for key, value in report["totals"].items()]
    heading = [[str(HEADERS.get(key, key)), value] for key, value in heading]
    return [
        table(lazy_pgettext("report sheet", "Report"), ("item", "value"), heading),
        table(lazy_pgettext("report sheet", "Instruments"), INSTRUMENT_COLUMNS,
              lines(report["instruments"], INSTRUMENT_COLUMNS), {"unit": UNIT}),
        table(lazy_pgettext("report sheet", "Mechanisms"), MECHANISM_COLUMNS,
              lines(report["mechanisms"], MECHANISM_COLUMNS), {"mechanism": MECHANISM}),
        table(lazy_pgettext("report sheet", "Settlements"), SETTLEMENT_COLUMNS,
              lines(report["settlements"], SETTLEMENT_COLUMNS), {"status": SETTLEMENT_STATUS}),
        table(lazy_pgettext("report sheet", "Defaults"), DEFAULT_COLUMNS,
              lines(report["defaults"]["rows"], DEFAULT_COLUMNS)),
        table(lazy_pgettext("report sheet", "Alerts by kind"), ALERT_KIND_COLUMNS,
              lines(report["alerts"]["by_kind"], ALERT_KIND_COLUMNS), alert_words),
        table(lazy_pgettext("report sheet", "Alerts"), ALERT_COLUMNS,
              lines(report["alerts"]["rows"], ALERT_COLUMNS), alert_words),
        table(lazy_pgettext("report sheet", "Flow summary"), FLOW_SUMMARY_COLUMNS,
              lines(report["flows"]["summary"], FLOW_SUMMARY_COLUMNS),
              {"direction": FLOW_DIRECTION}),
        table(lazy_pgettext("report sheet", "Flows"), FLOW_COLUMNS,
              lines(report["flows"]["rows"], FLOW_COLUMNS)),
    ]


def _cell(value):
    """Numbers stay numbers; words become text; times Beijing time as the pages show them."""
    if value is None or isinstance(value, Decimal | int | str):
        return value
    if isinstance(value, datetime):
        return value.astimezone(MARKET_TIME).strftime("%Y-%m-%d %H:%M:%S")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
