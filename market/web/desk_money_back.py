"""A regulator's money back: the payouts report and the pledges to register or settle."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from market import tables
from market.auth import page_user
from market.downloads import attachment, wanted_format
from market.errors import DomainError
from market.services import payouts, pledges
from market.web.access import refused
from market.web.blueprint import bp
from market.web.forms import ReasonForm
from market.web.payout_forms import EnforceForm
from models import PLEDGE_STATUSES


@bp.get("/desk/payouts")
def desk_payouts():
    """Per county and town: proceeds received, paid out to beneficiaries, still owed."""
    return render_template("desk/payouts.html", report=payouts.payout_report(page_user()))


@bp.get("/desk/payouts/file")
def desk_payouts_file():
    """The same report as a CSV or XLSX file."""
    asked = request.args.get("format")
    file_format = wanted_format(asked if asked in tables.FILE_FORMATS else None,
                                offered=tables.FILE_FORMATS, default="csv")
    return attachment(payouts.payout_report_file(payouts.payout_report(page_user()),
                                                 file_format))


@bp.get("/desk/pledges")
def desk_pledges():
    """Pledges in the jurisdiction: pending ones to register, registered ones to settle."""
    return _page()


@bp.post("/desk/pledges/<int:pledge_id>/register")
def register_pledge(pledge_id):
    """Register a pending pledge: its quantity is blocked in the lot."""
    try:
        pledges.register_pledge(page_user(), pledge_id)
    except DomainError as error:
        return _page(error=refused(error)), error.status
    flash(_("Pledge %(id)s registered.", id=pledge_id), "success")
    return redirect(url_for("web.desk_pledges"))


@bp.post("/desk/pledges/<int:pledge_id>/reject", defaults={"act": "reject"})
@bp.post("/desk/pledges/<int:pledge_id>/release", defaults={"act": "release"})
def settle_pledge(pledge_id, act):
    """Reject a pending pledge or release a registered one, with a reason."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(reason_form=form, failed=pledge_id), 422
    use_case = pledges.reject_pledge if act == "reject" else pledges.release_pledge
    try:
        use_case(page_user(), pledge_id, form.reason.data.strip())
    except DomainError as error:
        return _page(reason_form=form, failed=pledge_id, error=refused(error)), error.status
    flash(_("Pledge %(id)s rejected.", id=pledge_id) if act == "reject"
          else _("Pledge %(id)s released.", id=pledge_id), "success")
    return redirect(url_for("web.desk_pledges"))


@bp.post("/desk/pledges/<int:pledge_id>/enforce")
def enforce_pledge(pledge_id):
    """Enforce a registered pledge: the quantity goes to the lender's account."""
    form = EnforceForm()
    if not form.validate_on_submit():
        return _page(enforce_form=form, failed=pledge_id), 422
    try:
        pledge = pledges.enforce_pledge(page_user(), pledge_id, form.lender_account_id.data,
                                        form.reason.data.strip())
    except DomainError as error:
        return _page(enforce_form=form, failed=pledge_id, error=refused(error)), error.status
    flash(_("Pledge %(id)s enforced: %(serial)s now belongs to the lender.", id=pledge_id,
            serial=pledge.child_lot.serial), "success")
    return redirect(url_for("web.desk_pledges"))


def _page(reason_form=None, enforce_form=None, failed: int | None = None,
          error: str | None = None):
    status = request.args.get("status")
    filters = {"limit": 500, "offset": 0}
    if status in PLEDGE_STATUSES:
        filters["status"] = status
    return render_template("desk/pledges.html", pledges=pledges.list_pledges(page_user(), filters),
                           status=filters.get("status"), failed=failed, error=error,
                           reason_form=reason_form or ReasonForm(formdata=None),
                           enforce_form=enforce_form or EnforceForm(formdata=None))
