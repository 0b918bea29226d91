"""A district's obligations on the trading desk, and surrendering indicators against them."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from market.auth import page_user
from market.errors import DomainError
from market.services import obligations, registry
from market.web.access import refused
from market.web.blueprint import bp
from market.web.quota_forms import SurrenderForm


def _eligible_lots(view) -> list:
    """The trader's active lots with quantity available that count toward the obligation."""
    lots = registry.search_lots(page_user(), {"status": "active", "limit": 1000, "offset": 0})
    return [lot for lot in lots if lot.available > 0 and (
        lot.instrument_id == view.instrument_id if view.instrument_id is not None
        else lot.instrument.kind == view.kind)]


def _form(view, submitted: bool) -> SurrenderForm:
    form = SurrenderForm() if submitted else SurrenderForm(formdata=None)
    form.lot_serial.choices = [SelectChoice(lot.serial, f"{lot.serial}（{lot.available:f}）")
                               for lot in _eligible_lots(view)]
    return form


@bp.get("/trade/obligations")
def my_obligations():
    """The obligations of the trader's district, with what is surrendered and missing."""
    return _page()


@bp.post("/trade/obligations/<int:obligation_id>/surrenders")
def surrender(obligation_id):
    """Surrender quantity of one of the trader's lots against the obligation."""
    view = obligations.get_obligation(page_user(), obligation_id)
    form = _form(view, submitted=True)
    if not form.validate_on_submit():
        return _page(failed=(obligation_id, form)), 422
    try:
        obligations.surrender(page_user(), obligation_id, {
            "lot_serial": form.lot_serial.data, "quantity": form.quantity.data})
    except DomainError as error:
        return _page(failed=(obligation_id, form), error=refused(error)), error.status
    flash(_("Surrendered %(quantity)s against obligation %(id)s.",
            quantity=form.quantity.data, id=obligation_id), "success")
    return redirect(url_for("web.my_obligations"))


def _page(failed=None, error: str | None = None):
    views = obligations.list_obligations(page_user(), {"limit": 500})
    forms = {view.id: _form(view, submitted=False) for view in views if view.status == "open"}
    if failed:
        forms[failed[0]] = failed[1]
    return render_template("trader/obligations.html", obligations=views, forms=forms,
                           error=error)
