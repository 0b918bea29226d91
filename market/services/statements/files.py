"""A statement as a file a person reads: a Chinese PDF, or an XLSX workbook."""

from decimal import Decimal

from flask_babel import gettext, lazy_gettext

from market import pdf, tables
from market.calendar import local
from market.services.statements.building import Statement
from market.services.statements.sections import SECTIONS, Column
from market.tables import Export
from market.vocabulary import LOT_STATUS, PLEDGE_STATUS, SETTLEMENT_STATUS

CASH_COLUMNS = (
    Column("at", lazy_gettext("Time"), "time"),
    Column("description", lazy_gettext("Movement")),
    Column("reference", lazy_gettext("Reference")),
    Column("amount_in", lazy_gettext("In (yuan)"), "money"),
    Column("amount_out", lazy_gettext("Out (yuan)"), "money"),
    Column("balance", lazy_gettext("Balance (yuan)"), "money"),
)
_FORMATS = {"money": "#,##0.00", "quantity": "#,##0.0000", "time": "yyyy-mm-dd hh:mm:ss"}
_STATUS_WORDS = {**LOT_STATUS, **SETTLEMENT_STATUS}


def _shown(value, column: Column):
    """A cell for a person: local times, status words; numbers stay exact."""
    if value is None:
        return None
    if column.kind == "time":
        return local(value).replace(tzinfo=None)
    if column.field == "status":
        return str(_STATUS_WORDS.get(value, value))
    if column.field == "pledge_status":
        return str(PLEDGE_STATUS.get(value, value))
    return value


def _text(value, column: Column) -> str:
    shown = _shown(value, column)
    if shown is None:
        return ""
    if column.kind == "time":
        return f"{shown:%Y-%m-%d %H:%M}"
    if column.kind == "money":
        return f"{Decimal(shown):,.2f}"
    return str(shown)


def _summary(statement: Statement) -> list[tuple[str, str]]:
    account = statement.account
    totals = statement.totals
    money = lambda amount: f"{amount:,.2f}"  # noqa: E731 - a local formatter
    return [
        (gettext("Account"), account.name),
        (gettext("District"), f"{account.district.name}（{account.district.code}）"),
        (gettext("Period"), f"{statement.first} — {statement.last}"),
        (gettext("Opening cash (yuan)"), money(statement.opening.total)),
        (gettext("of which held"), money(statement.opening.held)),
        (gettext("Cash in (yuan)"), money(totals["cash_in"])),
        (gettext("Cash out (yuan)"), money(totals["cash_out"])),
        (gettext("Closing cash (yuan)"), money(statement.closing.total)),
        (gettext("of which held"), money(statement.closing.held)),
        (gettext("Completed sales (yuan)"), money(totals["sales_amount"])),
        (gettext("Fees (yuan)"), money(totals["sales_fees"])),
        (gettext("Net proceeds (yuan)"), money(totals["net_proceeds"])),
        (gettext("Completed purchases (yuan)"), money(totals["purchases_amount"])),
    ]


def _sections(statement: Statement):
    """(title, columns, rows) of every table, cash first."""
    yield gettext("Cash movements"), CASH_COLUMNS, statement.cash_movements
    for section in SECTIONS:
        yield str(section.title), section.columns, statement.tables.get(section.key, [])


def _filename(statement: Statement, extension: str) -> str:
    name = gettext("statement-%(account)s-%(first)s-%(last)s", account=statement.account.name,
                   first=statement.first, last=statement.last)
    return f"{name}.{extension}"


def statement_pdf(statement: Statement) -> Export:
    """The statement as a Chinese PDF: the summary, then each table."""
    sections = [pdf.Facts(gettext("Summary"), _summary(statement))]
    for title, all_columns, rows in _sections(statement):
        columns = [column for column in all_columns if column.in_pdf]
        sections.append(pdf.Rows(title, [str(c.header) for c in columns],
                                 [[_text(row.get(c.field), c) for c in columns] for row in rows]
                                 or [[gettext("None in this period")] + [""] * (len(columns) - 1)]))
    document = pdf.Document(
        title=gettext("Account statement"),
        subtitle=f"{statement.account.name} · {statement.first} — {statement.last}",
        sections=sections,
        footer=gettext("Times are Beijing time. Opening cash plus the movements equals closing "
                       "cash; every figure is read from the market's ledger."))
    return pdf.export(document, _filename(statement, "pdf"))


def statement_xlsx(statement: Statement) -> Export:
    """The statement as a workbook: a summary sheet, then one sheet per table."""
    summary = tables.Table(gettext("Summary"), [tables.Column(gettext("Item"), width=24),
                                                tables.Column(gettext("Value"), width=40)],
                           _summary(statement))
    sheets = [summary]
    for title, columns, rows in _sections(statement):
        sheets.append(tables.Table(
            title[:31], [tables.Column(str(c.header), _FORMATS.get(c.kind), 18) for c in columns],
            [[_shown(row.get(c.field), c) for c in columns] for row in rows]))
    return tables.export("xlsx", _filename(statement, "xlsx"), sheets)


def statement_file(statement: Statement, file_format: str) -> Export:
    """The statement as `pdf` or `xlsx`."""
    return statement_pdf(statement) if file_format == "pdf" else statement_xlsx(statement)
