"""A trader's statement (对账单) page: a period's summary and tables, and its PDF or XLSX."""

from datetime import date

from flask import render_template, request
from flask_babel import gettext as _

from market.auth import page_user
from market.calendar import market_day
from market.downloads import attachment
from market.schemas.fields import EARLIEST_DAY, LATEST_DAY
from market.services import identity, statements
from market.web.blueprint import bp

FILE_FORMATS = ("pdf", "xlsx")


def _day(name: str, default: date) -> date:
    text = request.args.get(name) or ""
    if not text:
        return default
    day = date.fromisoformat(text)  # ValueError for anything but YYYY-MM-DD
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValueError(text)
    return day


@bp.get("/trade/statement")
def my_statement():
    """The statement for ?from=&to= (Beijing days; this month so far by default); with
    ?format=pdf|xlsx, the file."""
    today = market_day()
    file_format = request.args.get("format") or None
    try:
        last = _day("to", today)
        first = _day("from", last.replace(day=1))
    except ValueError:
        return _page(None, request.args.get("from"), request.args.get("to"),
                     _("Dates must be real days written as YYYY-MM-DD.")), 422
    if first > last:
        return _page(None, first, last, _("The first day must not be after the last.")), 422
    if file_format not in (None, *FILE_FORMATS):
        return _page(None, first, last, _("A statement downloads as PDF or XLSX.")), 422
    account = identity.get_account(page_user().account_id)
    statement = statements.account_statement(account, first, last)
    if file_format:
        return attachment(statements.statement_file(statement, file_format))
    return _page(statement, first, last)


def _page(statement, first, last, error: str | None = None):
    return render_template("trader/statement.html", statement=statement, first=first,
                           last=last, error=error, sections=statements.SECTIONS)
