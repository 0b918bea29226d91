"""A regulator's registry pages: the verification queue, a lot's page and its actions."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from market.auth import page_user
from market.errors import DomainError
from market.services import history, registry, supervision
from market.web.access import refused
from market.web.blueprint import bp
from market.web.forms import ReasonForm
from market.web.trader.lots import evidence_download

QUEUE_SIZE = 500
# Acts with a reason: (use case, what the flash says was done).
ACTS = {
    "reject": (registry.reject_lot, _l("%(serial)s rejected.")),
    "freeze": (supervision.freeze_lot, _l("%(serial)s frozen.")),
    "unfreeze": (supervision.unfreeze_lot, _l("%(serial)s unfrozen.")),
    "revoke": (supervision.revoke_lot, _l("%(serial)s revoked.")),
}


@bp.get("/desk/lots/pending")
def verification_queue():
    """Pending lots in the regulator's jurisdiction, oldest first, with their evidence."""
    user = page_user()
    lots = registry.search_lots(user, {"status": "pending", "limit": QUEUE_SIZE, "offset": 0})
    return render_template("desk/queue.html", lots=lots,
                           evidence=registry.evidence_of_lots(lots))


@bp.get("/desk/lots/<serial>")
def desk_lot(serial):
    """A lot as a regulator sees it, with verify, reject, freeze, unfreeze and revoke."""
    return _page(serial)


@bp.get("/desk/lots/<serial>/evidence/<int:evidence_id>")
def desk_evidence(serial, evidence_id):
    """Download one of the lot's acceptance documents."""
    return evidence_download(serial, evidence_id)


@bp.post("/desk/lots/<serial>/verify")
def verify_lot(serial):
    """Accept a pending lot: its quantity is issued and may trade."""
    try:
        registry.verify_lot(page_user(), serial)
    except DomainError as error:
        return _page(serial, error=refused(error)), error.status
    flash(_("%(serial)s verified; its quantity is issued.", serial=serial), "success")
    return redirect(url_for("web.desk_lot", serial=serial))


@bp.post("/desk/lots/<serial>/<any(reject, freeze, unfreeze, revoke):act>")
def act_on_lot(serial, act):
    """Reject, freeze, unfreeze or revoke, each with a reason."""
    form = ReasonForm()
    if not form.validate_on_submit():
        return _page(serial, form=form, failed=act), 422
    use_case, done = ACTS[act]
    try:
        use_case(page_user(), serial, form.reason.data.strip())
    except DomainError as error:
        return _page(serial, form=form, failed=act, error=refused(error)), error.status
    flash(str(done) % {"serial": serial}, "success")
    return redirect(url_for("web.desk_lot", serial=serial))


def _page(serial: str, form=None, failed: str | None = None, error: str | None = None):
    record = history.lot_record(page_user(), serial)
    return render_template("desk/lot.html", **record, error=error, failed=failed,
                           form=form or ReasonForm(formdata=None))
