"""Accounts on the desk: balances, cash movements, bank deposits and withdrawals, freezes."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import identity, supervision
from market.web.access import refused
from market.web.blueprint import bp
from market.web.desk_forms import CashForm, ReasonOnlyForm
from market.web.messages import JOURNAL_KIND

MOVEMENTS_SHOWN = 50


@bp.get("/desk/accounts")
def account_list():
    """The accounts in the regulator's jurisdiction with their balances."""
    return render_template("desk/accounts.html", accounts=identity.list_accounts(page_user()))


@bp.get("/desk/accounts/<int:account_id>")
def account(account_id):
    """One account: balances, recent cash movements and the forms that act on it."""
    return _page(account_id)


@bp.post("/desk/accounts/<int:account_id>/deposit")
def account_deposit(account_id):
    """Record money received from the bank."""
    return _cash(account_id, identity.deposit_cash, "deposit")


@bp.post("/desk/accounts/<int:account_id>/withdraw")
def account_withdraw(account_id):
    """Record money paid out to the bank."""
    return _cash(account_id, identity.withdraw_cash, "withdraw")


@bp.post("/desk/accounts/<int:account_id>/freeze")
def account_freeze(account_id):
    """Freeze the account: its resting orders are cancelled; it can neither trade nor retire."""
    return _set_frozen(account_id, True)


@bp.post("/desk/accounts/<int:account_id>/unfreeze")
def account_unfreeze(account_id):
    """Lift a freeze."""
    return _set_frozen(account_id, False)


def _cash(account_id: int, use_case, which: str):
    form = CashForm()
    if not form.validate_on_submit():
        return _page(account_id, **{which: form}), 422
    try:
        use_case(page_user(), account_id, form.amount.data, form.reference.data.strip())
    except DomainError as error:
        return _page(account_id, error=refused(error), **{which: form}), error.status
    flash(_("Deposit recorded.") if which == "deposit" else _("Withdrawal recorded."),
          "success")
    return redirect(url_for("web.account", account_id=account_id))


def _set_frozen(account_id: int, frozen: bool):
    form = ReasonOnlyForm()
    if not form.validate_on_submit():
        return _page(account_id, freeze=form), 422
    try:
        supervision.set_account_frozen(page_user(), account_id, frozen, form.reason.data.strip())
    except DomainError as error:
        return _page(account_id, freeze=form, error=refused(error)), error.status
    flash(_("Account frozen.") if frozen else _("Account unfrozen."), "success")
    return redirect(url_for("web.account", account_id=account_id))


def _movement(entry) -> dict:
    transaction = entry.transaction
    reference = transaction.reference or ""
    # "deposit" names both a bank deposit and a trade's deposit moving into escrow.
    kind = (_("Settlement deposit") if transaction.kind == "deposit"
            and reference.startswith("settlement:")
            else JOURNAL_KIND.get(transaction.kind, transaction.kind))
    return {"at": transaction.created_at, "kind": kind, "book": entry.book.rsplit(":", 1)[1],
            "amount": entry.amount, "reference": reference, "memo": transaction.memo}


def _page(account_id: int, error: str | None = None, deposit=None, withdraw=None,
          freeze=None) -> str:
    """The account page; a form that failed is shown again with what was typed."""
    actor = page_user()
    found = identity.account_visible_to(actor, account_id)
    movements = [_movement(entry) for entry in
                 identity.cash_movements(actor, account_id, MOVEMENTS_SHOWN)]
    return render_template(
        "desk/account.html", account=found, movements=movements, error=error,
        deposit_form=deposit or CashForm(formdata=None),
        withdraw_form=withdraw or CashForm(formdata=None),
        freeze_form=freeze or ReasonOnlyForm(formdata=None), shown=MOVEMENTS_SHOWN)
