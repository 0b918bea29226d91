"""Instrument controls: halt and resume with a reason; prices, deposit, window, fee, mode."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.services import catalogue
from market.web.access import refused
from market.web.blueprint import bp
from market.web.charts import DAYS, price_series
from market.web.desk_forms import FullTermsForm as TermsForm
from market.web.forms import ReasonForm
from market.web.quota_forms import WindowsForm


@bp.get("/desk/instruments")
def instrument_list():
    """The catalogue with each instrument's status and price terms."""
    return render_template("instruments.html", instruments=catalogue.list_instruments())


@bp.get("/desk/instruments/<code>")
def instrument(code):
    """One instrument's terms and the forms that change them."""
    return _page(code)


@bp.post("/desk/instruments/<code>/halt")
def halt(code):
    """Halt trading: new orders are refused until it resumes."""
    return _set_status(code, "halted", _("Trading in %(code)s halted.", code=code))


@bp.post("/desk/instruments/<code>/resume")
def resume(code):
    """Resume trading."""
    return _set_status(code, "open", _("Trading in %(code)s resumed.", code=code))


@bp.post("/desk/instruments/<code>/terms")
def terms(code):
    """Set the terms: an empty price field clears it; the others must stay filled."""
    form = TermsForm()
    if not form.validate_on_submit():
        return _page(code, terms_form=form), 422
    try:
        catalogue.update_terms(page_user(), code,
                               form.changes(catalogue.instrument_by_code(code)))
    except DomainError as error:
        return _page(code, terms_form=form, error=refused(error)), error.status
    flash(_("The price terms of %(code)s updated.", code=code), "success")
    return redirect(url_for("web.instrument", code=code))


def _set_status(code: str, status: str, done: str):
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(code, status_form=form), 422
    try:
        catalogue.set_instrument_status(page_user(), code, status, form.reason.data.strip())
    except DomainError as error:
        return _page(code, status_form=form, error=refused(error)), error.status
    flash(done, "success")
    return redirect(url_for("web.instrument", code=code))


def page(code: str, status_form=None, terms_form=None, windows_form=None,
         error: str | None = None) -> str:
    """The instrument page; a form that failed is shown again with what was typed."""
    instrument = catalogue.instrument_by_code(code)
    # formdata=None: the other form shows the stored terms, not the fields just posted.
    return render_template(
        "instrument.html", instrument=instrument, error=error, chart=[price_series(instrument)],
        days=DAYS,
        status_form=status_form or ReasonForm(formdata=None),
        terms_form=terms_form or TermsForm(formdata=None, obj=instrument),
        windows_form=windows_form or WindowsForm(formdata=None, obj=instrument),
        history=catalogue.history_view(instrument),
    )


_page = page
