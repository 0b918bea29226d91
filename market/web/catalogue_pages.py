"""The catalogue grows on the desk: a regulator creates instruments and sets their
local-first windows (county, then city, then province-wide; seed 002 §4(四))."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.auth import page_user
from market.errors import DomainError
from market.services import catalogue
from market.vocabulary import INSTRUMENT_KIND
from market.web import controls
from market.web.access import refused
from market.web.blueprint import bp
from market.web.messages import TRADING_MODE, UNIT
from market.web.quota_forms import NewInstrumentForm, WindowsForm, instrument_form_choices

FORFEIT = {"seller": _l("a defaulter's deposit goes to the seller"),
           "fees": _l("a defaulter's deposit goes to the platform's fees")}
LABELS = {"kind": INSTRUMENT_KIND, "unit": UNIT, "mode": TRADING_MODE, "forfeit": FORFEIT}


def _new_form(submitted: bool) -> NewInstrumentForm:
    form = NewInstrumentForm() if submitted else NewInstrumentForm(
        formdata=None, data={"settlement_days": 10, "fee_bps": 30, "deposit_ratio": "0.2",
                             "local_first_days": 0, "city_first_days": 0})
    return instrument_form_choices(form, LABELS)


@bp.get("/desk/instruments/new")
def new_instrument():
    """The form for a new instrument with every term."""
    return render_template("desk/new_instrument.html", form=_new_form(submitted=False))


@bp.post("/desk/instruments/new")
def create_instrument():
    """Create the instrument; it opens for trading at once."""
    form = _new_form(submitted=True)
    if not form.validate_on_submit():
        return render_template("desk/new_instrument.html", form=form), 422
    try:
        instrument = catalogue.create_instrument(page_user(), form.data_for_service())
    except DomainError as error:
        return render_template("desk/new_instrument.html", form=form,
                               error=refused(error)), error.status
    flash(_("Instrument %(code)s created.", code=instrument.code), "success")
    return redirect(url_for("web.instrument", code=instrument.code))


@bp.post("/desk/instruments/<code>/windows")
def windows(code):
    """Set the instrument's local-first windows."""
    form = WindowsForm()
    if not form.validate_on_submit():
        return controls.page(code, windows_form=form), 422
    try:
        catalogue.update_terms(page_user(), code,
                               form.changes(catalogue.instrument_by_code(code)))
    except DomainError as error:
        return controls.page(code, windows_form=form, error=refused(error)), error.status
    flash(_("Windows of %(code)s saved.", code=code), "success")
    return redirect(url_for("web.instrument", code=code))
