"""A trader's holdings from purchases, their parent lots, and retirement against a project."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import identity, registry
from market.web.access import refused
from market.web.blueprint import bp
from market.web.filters import quantity
from market.web.trader.forms import RetireForm

# A page of holdings: each lot carries its own retire form, and hundreds of them on one page
# took half a second to render (bench/pages.py).
PER_PAGE = 50


@bp.get("/trade/holdings")
def holdings():
    """My lots that came from purchases, with where each came from and what was used."""
    return _page()


@bp.post("/trade/holdings/<serial>/retire")
def retire(serial):
    """Use quantity of one of my lots against a named construction project (用地报批)."""
    user = page_user()
    registry.lot_visible_to(user, serial)
    form = RetireForm()
    if not form.validate_on_submit():
        return _page(form, serial), 422
    try:
        done = registry.retire_from_lot(user, identity.get_account(user.account_id), serial,
                                        form.retirement())
    except DomainError as error:
        return _page(form, serial, refused(error)), error.status
    flash(_("Retired %(quantity)s of %(serial)s for %(project)s (%(code)s).",
            quantity=quantity(done.quantity), serial=serial, project=done.project_name,
            code=done.project_code), "success")
    return redirect(url_for("web.holdings", page=request.args.get("page", type=int)))


def _page(form: RetireForm | None = None, serial: str | None = None, error: str | None = None):
    number = max(1, request.args.get("page", 1, type=int))
    lots = registry.holdings_of(page_user(), PER_PAGE + 1, (number - 1) * PER_PAGE)
    # The form that failed is shown again under its own lot; the others start empty.
    return render_template(
        "trader/holdings.html", lots=lots[:PER_PAGE], page=number,
        more=len(lots) > PER_PAGE,
        failed=form, failed_serial=serial, error=error, empty_form=RetireForm(formdata=None))
