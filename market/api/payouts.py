"""Money back (经济反哺): a lot's beneficiaries, what each is owed, paying them, the report."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.downloads import attachment, wanted_format
from market.schemas.lots import LotDetailSchema
from market.schemas.payouts import (
    BeneficiaryInSchema,
    DisbursementCreateSchema,
    PayoutQuerySchema,
    PayoutReportQuerySchema,
    PayoutReportSchema,
    PayoutSchema,
)
from market.services import payouts
from market.tables import XLSX_MEDIA_TYPE

bp = Blueprint("payouts", __name__, description="Money back: beneficiaries and payouts")
REPORT_RESPONSE = ("JSON; or a file with format=csv|xlsx, or with an Accept header that prefers "
                   "text/csv or the XLSX type")


@bp.put("/lots/<serial>/beneficiaries")
@roles_required("trader")
@bp.arguments(BeneficiaryInSchema(many=True))
@bp.response(200, LotDetailSchema)
def name_beneficiaries(named, serial):
    """Name who the lot's sale proceeds belong to; shares sum to exactly 1 (replaces the list)."""
    return payouts.name_beneficiaries(current_actor(), serial, named)


@bp.get("/payouts")
@roles_required("trader", "regulator")
@bp.arguments(PayoutQuerySchema, location="query")
@bp.response(200, PayoutSchema(many=True))
def list_payouts(query):
    """What beneficiaries are owed from my sales (a regulator: in its jurisdiction)."""
    return payouts.list_payouts(current_actor(), query)


@bp.get("/payouts/<int:payout_id>")
@roles_required("trader", "regulator")
@bp.response(200, PayoutSchema)
def get_payout(payout_id):
    """One payout with its disbursements."""
    return payouts.payout_visible_to(current_actor(), payout_id)


@bp.post("/payouts/<int:payout_id>/disbursements")
@roles_required("trader")
@bp.arguments(DisbursementCreateSchema)
@bp.response(201, PayoutSchema)
def disburse(data, payout_id):
    """The seller records a bank payment to the beneficiary, at most what is still owed."""
    return payouts.record_disbursement(current_actor(), payout_id, data["amount"],
                                       data["reference"])


@bp.get("/reports/payouts")
@roles_required("regulator")
@bp.arguments(PayoutReportQuerySchema, location="query")
@bp.response(200, PayoutReportSchema, description=REPORT_RESPONSE)
@bp.alt_response(200, schema={"type": "string"}, content_type="text/csv", success=True,
                 description=REPORT_RESPONSE)
@bp.alt_response(200, schema={"type": "string", "format": "binary"},
                 content_type=XLSX_MEDIA_TYPE, success=True, description=REPORT_RESPONSE)
def payout_report(query):
    """Per county and town: proceeds received, paid out, still owed and for how long."""
    report = payouts.payout_report(current_actor())
    file_format = wanted_format(query.get("format"))
    if file_format == "json":
        return report
    return attachment(payouts.payout_report_file(report, file_format))
