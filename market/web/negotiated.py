"""Negotiated transfers on the pages: sellers propose and withdraw, buyers accept or decline
(/trade/negotiated), regulators approve or reject with a reason (/desk/negotiated)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import identity, negotiated, registry
from market.web.access import refused
from market.web.blueprint import bp
from market.web.forms import ReasonForm
from market.web.negotiated_forms import ProposalForm
from market.web.trader.forms import ConfirmForm

SHOWN = 200


def _proposal_form(submitted: bool) -> ProposalForm:
    """The proposal form with my active lots and every other account as choices."""
    user = page_user()
    form = ProposalForm() if submitted else ProposalForm(formdata=None)
    lots = registry.search_lots(user, {"status": "active", "limit": 1000, "offset": 0})
    form.lot_serial.choices = [
        (lot.serial, f"{lot.serial}（{lot.instrument.name_zh}，{_('available')} "
                     f"{lot.available.normalize():f}）")
        for lot in lots if lot.available > 0]
    form.buyer_account_id.choices = [
        (account.id, f"{account.name}（{account.district.name}）")
        for account in identity.list_accounts(user) if account.id != user.account_id]
    return form


def _trader_page(form: ProposalForm, error: str | None = None):
    user = page_user()
    mine = negotiated.list_transfers(user, limit=SHOWN)
    return render_template(
        "trader/negotiated.html", form=form, error=error, confirm=ConfirmForm(formdata=None),
        selling=[t for t in mine if t.seller_account_id == user.account_id],
        buying=[t for t in mine if t.buyer_account_id == user.account_id],
        account=identity.get_account(user.account_id))


@bp.get("/trade/negotiated")
def my_negotiated():
    """My proposals as seller and the proposals made to me, and the form to propose one."""
    return _trader_page(_proposal_form(submitted=False))


@bp.post("/trade/negotiated")
def propose_negotiated():
    """Propose a transfer; the quantity is set aside on the lot at once."""
    form = _proposal_form(submitted=True)
    if not form.validate_on_submit():
        return _trader_page(form), 422
    user = page_user()
    try:
        made = negotiated.propose(user, identity.get_account(user.account_id), form.proposal())
    except DomainError as error:
        return _trader_page(form, refused(error)), error.status
    flash(_("Negotiated transfer %(id)s proposed to %(buyer)s; it waits for the buyer.",
            id=made.id, buyer=made.buyer.name), "success")
    return redirect(url_for("web.my_negotiated"))


def _trader_act(transfer_id: int, act, done: str):
    if not ConfirmForm().validate_on_submit():
        return _trader_page(_proposal_form(submitted=False), _("The form expired; try again.")), 400
    user = page_user()
    try:
        act(user, identity.get_account(user.account_id), transfer_id)
    except DomainError as error:
        return _trader_page(_proposal_form(submitted=False), refused(error)), error.status
    flash(done, "success")
    return redirect(url_for("web.my_negotiated"))


@bp.post("/trade/negotiated/<int:transfer_id>/accept")
def accept_negotiated(transfer_id):
    """The buyer accepts; its deposit is held and the regulators are asked to approve."""
    return _trader_act(transfer_id, negotiated.accept,
                       _("Accepted: the deposit is held and the transfer awaits approval."))


@bp.post("/trade/negotiated/<int:transfer_id>/decline")
def decline_negotiated(transfer_id):
    """The buyer turns the proposal down."""
    return _trader_act(transfer_id, negotiated.decline, _("Proposal declined."))


@bp.post("/trade/negotiated/<int:transfer_id>/withdraw")
def withdraw_negotiated(transfer_id):
    """The seller withdraws before approval."""
    return _trader_act(transfer_id, negotiated.withdraw,
                       _("Proposal withdrawn: the quantity and any deposit are released."))


def _desk_page(error: str | None = None, reason_form: ReasonForm | None = None):
    user = page_user()
    waiting = negotiated.list_transfers(user, awaiting_me=True, limit=SHOWN)
    recent = negotiated.list_transfers(user, limit=SHOWN)
    return render_template(
        "desk/negotiated.html", waiting=waiting, recent=recent, error=error,
        confirm=ConfirmForm(formdata=None), reason_form=reason_form or ReasonForm(formdata=None),
        sides={t.id: negotiated.sides_of(user, t) for t in recent + waiting})


@bp.get("/desk/negotiated")
def negotiated_desk():
    """Transfers awaiting my approval, and every transfer in my jurisdiction."""
    return _desk_page()


@bp.post("/desk/negotiated/<int:transfer_id>/approve")
def approve_negotiated(transfer_id):
    """Approve my side; the last approval makes the trade and its settlement."""
    if not ConfirmForm().validate_on_submit():
        return _desk_page(_("The form expired; try again.")), 400
    try:
        done = negotiated.approve(page_user(), transfer_id)
    except DomainError as error:
        return _desk_page(refused(error)), error.status
    if done.status == "approved":
        flash(_("Negotiated transfer %(id)s approved: trade %(trade)s and its settlement are "
                "made.", id=done.id, trade=done.trade_id), "success")
    else:
        flash(_("Your approval of negotiated transfer %(id)s is recorded; it awaits the other "
                "province's regulator.", id=done.id), "success")
    return redirect(url_for("web.negotiated_desk"))


@bp.post("/desk/negotiated/<int:transfer_id>/reject")
def reject_negotiated(transfer_id):
    """Reject with a reason; the quantity and the deposit are released."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return _desk_page(reason_form=form), 422
    try:
        negotiated.reject(page_user(), transfer_id, form.reason.data.strip())
    except DomainError as error:
        return _desk_page(refused(error)), error.status
    flash(_("Negotiated transfer %(id)s rejected.", id=transfer_id), "success")
    return redirect(url_for("web.negotiated_desk"))
