"""A seller's money back: naming a lot's beneficiaries, requesting pledges, paying out."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import identity, payouts, pledges
from market.vocabulary import BENEFICIARY_KIND, PLEDGE_STATUS
from market.web.access import refused
from market.web.blueprint import bp
from market.web.payout_forms import BeneficiariesForm, DisbursementForm, PledgeForm
from market.web.trader.lots import lot_page

# The words of these vocabularies, for every template (the lot record shows both).
bp.add_app_template_global(BENEFICIARY_KIND, "BENEFICIARY_KIND")
bp.add_app_template_global(PLEDGE_STATUS, "PLEDGE_STATUS")


@bp.post("/trade/lots/<serial>/beneficiaries")
def name_lot_beneficiaries(serial):
    """Replace the lot's beneficiaries (their shares add up to exactly 1)."""
    form = BeneficiariesForm()
    if not form.validate_on_submit():
        return lot_page(serial, beneficiaries_form=form), 422
    try:
        payouts.name_beneficiaries(page_user(), serial, form.beneficiaries())
    except DomainError as error:
        return lot_page(serial, beneficiaries_form=form, error=refused(error)), error.status
    flash(_("Beneficiaries saved; sales from now on are split among them."), "success")
    return redirect(url_for("web.trader_lot", serial=serial))


@bp.post("/trade/lots/<serial>/pledges")
def request_lot_pledge(serial):
    """Ask a regulator to register a pledge of this lot's quantity."""
    form = PledgeForm()
    if not form.validate_on_submit():
        return lot_page(serial, pledge_form=form), 422
    try:
        pledge = pledges.request_pledge(page_user(), serial, form.data_for_service())
    except DomainError as error:
        return lot_page(serial, pledge_form=form, error=refused(error)), error.status
    flash(_("Pledge %(id)s requested; it waits for a regulator to register it.",
            id=pledge.id), "success")
    return redirect(url_for("web.trader_lot", serial=serial))


@bp.get("/trade/payouts")
def my_payouts():
    """What my sales owe their lots' beneficiaries, and recording what I paid them."""
    return _payouts_page()


@bp.post("/trade/payouts/<int:payout_id>/disburse")
def disburse_payout(payout_id):
    """Record a bank payment to one beneficiary."""
    form = DisbursementForm()
    if not form.validate_on_submit():
        return _payouts_page(form=form, failed=payout_id), 422
    try:
        payouts.record_disbursement(page_user(), payout_id, form.amount.data,
                                    form.reference.data.strip())
    except DomainError as error:
        return _payouts_page(form=form, failed=payout_id, error=refused(error)), error.status
    flash(_("Payment recorded."), "success")
    return redirect(url_for("web.my_payouts", unpaid=request.args.get("unpaid")))


def _payouts_page(form=None, failed: int | None = None, error: str | None = None):
    user = page_user()
    unpaid = request.args.get("unpaid") == "1"
    rows = payouts.list_payouts(user, {"unpaid": unpaid, "limit": 1000, "offset": 0})
    return render_template("trader/payouts.html", payouts=rows, unpaid=unpaid, error=error,
                           failed=failed, form=form or DisbursementForm(formdata=None),
                           account=identity.get_account(user.account_id))
