"""The desk's quota pages: set obligations, see compliance, issue allocations."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from wtforms import SelectChoice

from market import tables
from market.auth import page_user
from market.downloads import attachment, wanted_format
from market.errors import DomainError
from market.services import catalogue, identity, obligations, registry
from market.vocabulary import INSTRUMENT_KIND, LOT_SOURCE, OBLIGATION_STATUS
from market.web.access import refused
from market.web.blueprint import bp
from market.web.quota_forms import AllocationForm, ComplianceForm, ObligationForm
from models import INSTRUMENT_KINDS


def _obligation_form(submitted: bool) -> ObligationForm:
    form = ObligationForm() if submitted else ObligationForm(formdata=None)
    form.instrument.choices = [SelectChoice(kind, _("any %(kind)s", kind=INSTRUMENT_KIND[kind]))
                               for kind in INSTRUMENT_KINDS] + [
        SelectChoice(i.code, f"{i.code} {i.name_zh}") for i in catalogue.list_instruments()]
    return form


def _compliance_form() -> ComplianceForm:
    form = ComplianceForm(formdata=request.args)
    sight = identity.jurisdiction_of(page_user())
    form.district.choices = [SelectChoice(d.code, d.name) for d in catalogue.all_districts()
                             if d.level in ("province", "city") and sight.covers(d.id)]
    return form


@bp.get("/desk/obligations")
def desk_obligations():
    """Obligations in the regulator's sight, the form to set one, and the compliance report."""
    return _page()


@bp.post("/desk/obligations")
def set_obligation():
    """Set an obligation on a district."""
    form = _obligation_form(submitted=True)
    if not form.validate_on_submit():
        return _page(form=form), 422
    try:
        made = obligations.create_obligation(page_user(), form.data_for_service())
    except DomainError as error:
        return _page(form=form, error=refused(error)), error.status
    flash(_("Obligation %(id)s set on %(district)s.", id=made.id, district=made.district_name),
          "success")
    return redirect(url_for("web.desk_obligations"))


def _page(form=None, error: str | None = None):
    compliance, compliance_error = None, None
    query = _compliance_form()
    if query.district.data:
        try:
            compliance = obligations.compliance_report(page_user(), query.district.data)
        except DomainError as refusal:
            compliance_error = refused(refusal)
    return render_template(
        "desk/obligations.html", obligations=obligations.list_obligations(
            page_user(), {"limit": 500}), form=form or _obligation_form(submitted=False),
        query=query, compliance=compliance, compliance_error=compliance_error, error=error)


@bp.get("/desk/obligations/compliance.<file_format>")
def compliance_file(file_format):
    """The compliance report of a city or province as CSV or XLSX."""
    query = _compliance_form()
    chosen = wanted_format(file_format if file_format in tables.FILE_FORMATS else None,
                           offered=tables.FILE_FORMATS, default="csv")
    report = obligations.compliance_report(page_user(), query.district.data)
    return attachment(obligations.compliance_file(report, chosen))


def _allocation_form(submitted: bool) -> AllocationForm:
    form = AllocationForm() if submitted else AllocationForm(formdata=None)
    form.account_id.choices = [SelectChoice(a.id, f"{a.name}（{a.district.name}）")
                               for a in identity.list_accounts(page_user())]
    form.instrument.choices = [SelectChoice(i.code, f"{i.code} {i.name_zh}")
                               for i in catalogue.list_instruments() if i.status != "closed"]
    return form


@bp.get("/desk/allocations")
def allocations():
    """The form to allocate (下达/奖励) new indicators to an account."""
    return render_template("desk/allocations.html", form=_allocation_form(submitted=False))


@bp.post("/desk/allocations")
def allocate():
    """Issue a verified lot to the account."""
    form = _allocation_form(submitted=True)
    if not form.validate_on_submit():
        return render_template("desk/allocations.html", form=form), 422
    try:
        lot = registry.allocate_lot(page_user(), form.data_for_service())
    except DomainError as error:
        return render_template("desk/allocations.html", form=form,
                               error=refused(error)), error.status
    flash(_("Lot %(serial)s allocated.", serial=lot.serial), "success")
    return redirect(url_for("web.desk_lot", serial=lot.serial))


# The words of this area's vocabularies, for its templates (e.g. OBLIGATION_STATUS["short"]).
for _name, _words in (("OBLIGATION_STATUS", OBLIGATION_STATUS),
                      ("INSTRUMENT_KIND", INSTRUMENT_KIND), ("LOT_SOURCE", LOT_SOURCE)):
    bp.add_app_template_global(_words, _name)
