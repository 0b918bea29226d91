"""A trader's statement (对账单): JSON, or a Chinese PDF or XLSX file."""

from flask import request
from flask_babel import force_locale, lazy_gettext

from market.api.document import Blueprint
from market.auth import current_account, roles_required
from market.calendar import market_day
from market.downloads import attachment
from market.errors import InvalidInput
from market.i18n import CHINESE
from market.pdf import PDF_MEDIA_TYPE
from market.schemas.statements import StatementQuerySchema, StatementSchema
from market.services import statements
from market.tables import XLSX_MEDIA_TYPE

bp = Blueprint("statements", __name__, url_prefix="/accounts",
               description="Account statements (traders)")
STATEMENT_RESPONSE = ("JSON; or a file with format=pdf|xlsx, or with an Accept header that "
                      "prefers application/pdf or the XLSX type")
_MEDIA_TYPES = {"application/json": "json", PDF_MEDIA_TYPE: "pdf", XLSX_MEDIA_TYPE: "xlsx"}


def period(query: dict):
    """The days asked for, with the defaults: to today, from the first of `to`'s month."""
    last = query.get("date_to") or market_day()
    first = query.get("date_from") or last.replace(day=1)
    return first, last


def _wanted(query: dict) -> str:
    if query.get("format"):
        return query["format"]
    return _MEDIA_TYPES.get(request.accept_mimetypes.best_match(list(_MEDIA_TYPES)), "json")


@bp.get("/me/statement")
@roles_required("trader")
@bp.arguments(StatementQuerySchema, location="query")
@bp.response(200, StatementSchema, description=STATEMENT_RESPONSE)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=PDF_MEDIA_TYPE, success=True, description=STATEMENT_RESPONSE)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=XLSX_MEDIA_TYPE, success=True, description=STATEMENT_RESPONSE)
def my_statement(query):
    """The caller's statement for a period (?from=&to=, Shanghai days): lots, sales and
    purchases with counterparties, retirements, cash movements, opening and closing cash."""
    first, last = period(query)
    if first > last:
        # Only `from` given, after today: the same refusal as an explicit `to`.
        raise InvalidInput("from", lazy_gettext("must not be after `to`"))
    statement = statements.account_statement(current_account(), first, last)
    file_format = _wanted(query)
    if file_format == "json":
        return statement.as_dict()
    with force_locale(CHINESE):  # files are read by people: Chinese whatever the client asks
        return attachment(statements.statement_file(statement, file_format))
