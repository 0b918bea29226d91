"""Regulators' reports: district-to-district flows, monthly and quarterly city reports."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.downloads import attachment, wanted_format
from market.schemas.reports import (
    FlowMatrixSchema,
    FlowQuerySchema,
    ReportQuerySchema,
    ReportSchema,
)
from market.services import reports
from market.tables import XLSX_MEDIA_TYPE

bp = Blueprint("reports", __name__, url_prefix="/reports", description="Reports (regulators)")
REPORT_RESPONSE = ("JSON; or a file with format=csv|xlsx, or with an Accept header that prefers "
                   "text/csv or the XLSX type")


@bp.get("/flows")
@roles_required("regulator")
@bp.arguments(FlowQuerySchema, location="query")
@bp.response(200, FlowMatrixSchema)
def flows(query):
    """Seller county → buyer county quantity and money (经济反哺) for the days given."""
    return reports.flow_matrix(current_actor(), query.get("date_from"), query.get("date_to"),
                               query.get("instrument"), query.get("mechanism"))


def _answer(report: dict, query: dict):
    """The report as JSON, or as the file `format` or the Accept header asks for."""
    file_format = wanted_format(query.get("format"))
    if file_format == "json":
        return report
    return attachment(reports.report_file(report, file_format))


def _file_responses(view):
    """Document the CSV and XLSX answers `format` or the Accept header may ask for."""
    binary = {"type": "string", "format": "binary"}
    for media_type, schema in (("text/csv", {"type": "string"}),
                               (XLSX_MEDIA_TYPE, binary)):
        view = bp.alt_response(200, schema=schema, content_type=media_type, success=True,
                               description=REPORT_RESPONSE)(view)
    return view


@bp.get("/monthly")
@roles_required("regulator")
@bp.arguments(ReportQuerySchema, location="query")
@bp.response(200, ReportSchema, description=REPORT_RESPONSE)
@_file_responses
def monthly(query):
    """A city's month (月通报), e.g. ?city=320200&period=2026-11; format=csv|xlsx for a file."""
    return _answer(reports.monthly(current_actor(), query["city"], query["period"],
                                   query.get("mechanism")), query)


@bp.get("/quarterly")
@roles_required("regulator")
@bp.arguments(ReportQuerySchema, location="query")
@bp.response(200, ReportSchema, description=REPORT_RESPONSE)
@_file_responses
def quarterly(query):
    """A city's quarter (季分析), e.g. ?city=320200&period=2026-Q4; format=csv|xlsx for a file."""
    return _answer(reports.quarterly(current_actor(), query["city"], query["period"],
                                     query.get("mechanism")), query)
