"""A trader's open orders with amend and cancel, and the account's fills."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import identity, trading
from market.web.access import refused
from market.web.blueprint import bp
from market.web.registry_forms import AmendForm

SHOWN = 100


@bp.get("/trade/orders")
def my_orders():
    """Open orders, each with its amend and cancel forms, and recent fills."""
    return _page()


@bp.post("/trade/orders/<int:order_id>/amend")
def amend_order(order_id):
    """Reduce an open order's quantity or move its price."""
    form = AmendForm()
    if not form.validate_on_submit():
        return _page(amend_form=form, failed=order_id), 422
    user = page_user()
    try:
        trading.modify_order(user, identity.get_account(user.account_id), order_id,
                             form.changes())
    except DomainError as error:
        return _page(amend_form=form, failed=order_id, error=refused(error)), error.status
    flash(_("Order %(id)s amended.", id=order_id), "success")
    return redirect(url_for("web.my_orders"))


@bp.post("/trade/orders/<int:order_id>/cancel")
def cancel_order(order_id):
    """Cancel an open order; its hold or encumbrance is released."""
    # The form carries only its CSRF token, which CSRFProtect checks on every page post.
    user = page_user()
    try:
        trading.cancel_order(user, identity.get_account(user.account_id), order_id)
    except DomainError as error:
        return _page(error=refused(error)), error.status
    flash(_("Order %(id)s cancelled.", id=order_id), "success")
    return redirect(url_for("web.my_orders"))


def _page(amend_form=None, failed: int | None = None, error: str | None = None):
    user = page_user()
    account = identity.get_account(user.account_id)
    return render_template(
        "trader/orders.html", error=error, failed=failed,
        orders=trading.list_orders(account, {"status": "open", "limit": SHOWN, "offset": 0}),
        fills=trading.trades_of_account(user, SHOWN, 0), account=account,
        amend_form=amend_form or AmendForm(formdata=None))
