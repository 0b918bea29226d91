"""A seller's lots: the list by status, registering one with its evidence, its page, selling."""

import uuid

from flask import abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _

from market.auth import page_user
from market.errors import DomainError
from market.request_guard import body_limit
from market.services import catalogue, history, identity, registry, trading
from market.services.registry import FORM_OVERHEAD, MAX_EVIDENCE_BYTES, MAX_FILES_PER_FORM
from market.web.access import refused
from market.web.blueprint import bp
from market.web.messages import LOT_STATUS
from market.web.payout_forms import BeneficiariesForm, PledgeForm
from market.web.registry_forms import EvidenceForm, LotForm, SellForm

FORM_LIMIT = MAX_FILES_PER_FORM * MAX_EVIDENCE_BYTES + FORM_OVERHEAD


def uploads_of(field) -> list[registry.Upload]:
    """The files a form's file field carried (an empty file input sends one nameless part)."""
    return [registry.Upload(item.filename, item.read(MAX_EVIDENCE_BYTES + 1))
            for item in field.data or [] if getattr(item, "filename", None)]


@bp.get("/trade/lots")
def my_lots():
    """The account's lots, optionally of one status."""
    status = request.args.get("status") or None
    filters = {"limit": 1000, "offset": 0}
    if status in LOT_STATUS:
        filters["status"] = status
    return render_template("trader/lots.html", lots=registry.search_lots(page_user(), filters),
                           status=filters.get("status"))


def _lot_form(submitted: bool) -> LotForm:
    """The lot form with its choices: instruments, and the account's district subtree."""
    account = identity.get_account(page_user().account_id)
    form = LotForm() if submitted else LotForm(formdata=None)
    form.instrument.choices = [(i.code, f"{i.code} {i.name_zh}")
                               for i in catalogue.list_instruments() if i.status != "closed"]
    tree = catalogue.DistrictTree()
    form.origin_district_code.choices = sorted(
        (tree.code(d), f"{tree.code(d)} {tree.name(d)}")
        for d in tree.descendants(account.district_id))
    return form


@bp.get("/trade/lots/new")
def new_lot():
    """The form to register a lot from an accepted project."""
    return render_template("trader/new_lot.html", form=_lot_form(submitted=False))


@bp.post("/trade/lots/new")
@body_limit(FORM_LIMIT)
def register_lot():
    """Register the lot and attach its evidence in one go; it waits for a regulator."""
    form = _lot_form(submitted=True)
    if not form.validate_on_submit():
        return render_template("trader/new_lot.html", form=form), 422
    uploads = uploads_of(form.evidence)
    if len(uploads) > MAX_FILES_PER_FORM:
        return render_template("trader/new_lot.html", form=form,
                               error=_("At most %(count)s files at a time",
                                       count=MAX_FILES_PER_FORM)), 422
    user = page_user()
    try:
        lot = registry.register_lot_with_evidence(
            user, identity.get_account(user.account_id), form.data_for_service(), uploads)
    except DomainError as error:
        return render_template("trader/new_lot.html", form=form, error=refused(error)), \
            error.status
    flash(_("Lot %(serial)s registered; it awaits the regulator's verification.",
            serial=lot.serial), "success")
    return redirect(url_for("web.trader_lot", serial=lot.serial))


@bp.get("/trade/lots/<serial>")
def trader_lot(serial):
    """One of the account's lots: buckets, lineage, history, evidence, and selling from it."""
    return _page(serial)


@bp.post("/trade/lots/<serial>/evidence")
@body_limit(FORM_LIMIT)
def add_lot_evidence(serial):
    """Attach more acceptance documents."""
    form = EvidenceForm()
    uploads = uploads_of(form.evidence) if form.validate_on_submit() else []
    if not uploads:
        return _page(serial, error=_("Choose the files to upload")), 422
    try:
        registry.attach_evidence(page_user(), serial, uploads)
    except DomainError as error:
        return _page(serial, error=refused(error)), error.status
    flash(_("Acceptance documents uploaded."), "success")
    return redirect(url_for("web.trader_lot", serial=serial))


@bp.get("/trade/lots/<serial>/evidence/<int:evidence_id>")
def trader_evidence(serial, evidence_id):
    """Download one of the lot's acceptance documents."""
    return evidence_download(serial, evidence_id)


def evidence_download(serial: str, evidence_id: int):
    """The file as an attachment, for whoever the registry lets see the lot."""
    row, path = registry.evidence_file(page_user(), serial, evidence_id)
    return send_file(path, mimetype=row.content_type, as_attachment=True,
                     download_name=row.filename)


@bp.post("/trade/lots/<serial>/sell")
def sell_from_lot(serial):
    """Place a sell order from this lot."""
    form = SellForm()
    if not form.validate_on_submit():
        return _page(serial, sell_form=form), 422
    user = page_user()
    lot = registry.lot_visible_to(user, serial)
    order = {"instrument": lot.instrument.code, "side": "sell", "price": form.price.data,
             "quantity": form.quantity.data, "tif": form.tif.data, "lot_serial": serial,
             # A new id per submission: the page has no retry to make idempotent.
             "client_order_id": f"web-{uuid.uuid4().hex}"}
    try:
        result = trading.place_order(user, identity.get_account(user.account_id), order)
    except DomainError as error:
        return _page(serial, sell_form=form, error=refused(error)), error.status
    filled = sum(trade.quantity for trade in result.trades)
    flash(_("Sell order %(id)s placed; %(filled)s filled at once.", id=result.order.id,
            filled=filled), "success")
    return redirect(url_for("web.trader_lot", serial=serial))


def _page(serial: str, sell_form=None, error: str | None = None, **forms):
    user = page_user()
    if user.role != "trader":
        abort(403)
    record = history.lot_record(user, serial)
    # The beneficiaries and pledge forms (web/trader/money_back.py) when they were refused.
    forms.setdefault("beneficiaries_form", BeneficiariesForm.of(record["lot"].beneficiaries))
    forms.setdefault("pledge_form", PledgeForm(formdata=None))
    return render_template("trader/lot.html", **record, error=error,
                           sell_form=sell_form or SellForm(formdata=None),
                           evidence_form=EvidenceForm(formdata=None), **forms)


lot_page = _page
