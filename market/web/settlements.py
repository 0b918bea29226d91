"""One settlement on the desk: its facts and payments, a bank payment confirmed, a cancel."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import identity, settlement
from market.web.access import refused
from market.web.blueprint import bp
from market.web.desk_forms import PaymentForm, ReasonOnlyForm


@bp.get("/desk/settlements/<int:settlement_id>")
def settlement_detail(settlement_id):
    """A settlement's trade, parties, amounts, deadline, status and payments."""
    return _page(settlement_id)


@bp.post("/desk/settlements/<int:settlement_id>/bank-payment")
def settlement_bank_payment(settlement_id):
    """Confirm a bank transfer from the buyer; paid in full, the settlement delivers."""
    form = PaymentForm()
    if not form.validate_on_submit():
        return _page(settlement_id, payment=form), 422
    try:
        settlement.confirm_bank_payment(page_user(), settlement_id, form.amount.data,
                                        form.reference.data.strip())
    except DomainError as error:
        return _page(settlement_id, payment=form, error=refused(error)), error.status
    flash(_("Bank payment confirmed."), "success")
    return redirect(url_for("web.settlement_detail", settlement_id=settlement_id))


@bp.post("/desk/settlements/<int:settlement_id>/cancel")
def settlement_cancel(settlement_id):
    """Annul the settlement: cash back to the buyer, quantity back to the seller."""
    form = ReasonOnlyForm()
    if not form.validate_on_submit():
        return _page(settlement_id, cancel=form), 422
    try:
        settlement.cancel_settlement(page_user(), settlement_id, form.reason.data.strip())
    except DomainError as error:
        return _page(settlement_id, cancel=form, error=refused(error)), error.status
    flash(_("Settlement cancelled."), "success")
    return redirect(url_for("web.settlement_detail", settlement_id=settlement_id))


def _page(settlement_id: int, error: str | None = None, payment=None, cancel=None) -> str:
    """The settlement page; a form that failed is shown again with what was typed."""
    actor = page_user()
    found = settlement.settlement_visible_to(actor, settlement_id)
    # The service showed the settlement, so the actor may see both parties' names.
    buyer, seller = (identity.get_account(account_id) for account_id in
                     (found.buyer_account_id, found.seller_account_id))
    return render_template(
        "desk/settlement.html", settlement=found, buyer=buyer, seller=seller, error=error,
        payment_form=payment or PaymentForm(formdata=None),
        cancel_form=cancel or ReasonOnlyForm(formdata=None))
