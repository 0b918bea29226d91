"""The compliance report of a city or province: obligations, surrendered, shortfall, cost."""


from market.api.document import Blueprint
from market.api.reports import REPORT_RESPONSE
from market.auth import current_actor, roles_required
from market.downloads import attachment, wanted_format
from market.schemas.obligations import ComplianceQuerySchema, ComplianceReportSchema
from market.services import obligations
from market.tables import XLSX_MEDIA_TYPE

bp = Blueprint("compliance", __name__, url_prefix="/reports",
               description="Compliance with obligations (regulators)")


@bp.get("/compliance")
@roles_required("regulator")
@bp.arguments(ComplianceQuerySchema, location="query")
@bp.response(200, ComplianceReportSchema, description=REPORT_RESPONSE)
@bp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                 description=REPORT_RESPONSE)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=XLSX_MEDIA_TYPE, success=True, description=REPORT_RESPONSE)
def compliance(query):
    """Every district's obligations in a city or province, e.g. ?district=320200."""
    report = obligations.compliance_report(current_actor(), query["district"],
                                           query.get("date_from"), query.get("date_to"))
    file_format = wanted_format(query.get("format"))
    if file_format == "json":
        return report
    return attachment(obligations.compliance_file(report, file_format))
