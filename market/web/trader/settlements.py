"""A trader's settlements: what I owe, with a confirmed payment from cash, and what buyers
owe me."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError, NotFound
from market.services import identity, settlement
from market.web.access import refused
from market.web.blueprint import bp
from market.web.filters import money
from market.web.trader.forms import ConfirmForm

SHOWN = 200


@bp.get("/trade/settlements")
def my_settlements():
    """Both sides of my settlements, newest first."""
    user = page_user()
    mine = settlement.list_settlements(user, None, SHOWN, 0)
    return render_template(
        "trader/settlements.html", account=identity.get_account(user.account_id),
        to_pay=[s for s in mine if s.buyer_account_id == user.account_id],
        to_receive=[s for s in mine if s.seller_account_id == user.account_id])


@bp.get("/trade/settlements/<int:settlement_id>/pay")
def confirm_payment(settlement_id):
    """The amount due and the deadline, and the button that pays them from cash."""
    return _confirm_page(settlement_id, ConfirmForm())


@bp.post("/trade/settlements/<int:settlement_id>/pay")
def pay_settlement(settlement_id):
    """Pay the balance due from available cash; full payment delivers the quantity."""
    form = ConfirmForm()
    if not form.validate_on_submit():
        return _confirm_page(settlement_id, form), 422
    user = page_user()
    _owed_by_me(settlement_id)
    try:
        paid = settlement.pay_from_cash(user, identity.get_account(user.account_id),
                                        settlement_id)
    except DomainError as error:
        return _confirm_page(settlement_id, form, refused(error)), error.status
    if paid.status == "completed":
        flash(_("Settlement %(id)s is paid and complete: the quantity is in lot %(serial)s.",
                id=paid.id, serial=paid.child_lot.serial), "success")
    else:
        flash(_("Settlement %(id)s is paid (%(amount)s yuan); delivery waits while a regulator "
                "holds the lot frozen.", id=paid.id, amount=money(paid.amount)), "success")
    return redirect(url_for("web.my_settlements"))


def _owed_by_me(settlement_id: int):
    user = page_user()
    owed = settlement.settlement_visible_to(user, settlement_id)
    if owed.buyer_account_id != user.account_id:
        # Only the buyer pays; to the seller this page does not exist.
        raise NotFound("settlement", settlement_id)
    return owed


def _confirm_page(settlement_id: int, form: ConfirmForm, error: str | None = None):
    return render_template("trader/pay.html", settlement=_owed_by_me(settlement_id), form=form,
                           error=error, account=identity.get_account(page_user().account_id))
