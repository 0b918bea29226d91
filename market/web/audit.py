"""The audit log, newest first, and the hash-chain check."""

from flask import render_template, request
from flask_babel import lazy_gettext as _l

from market.auth import page_user
from market.services import audit, identity
from market.web.blueprint import bp

PAGE_SIZE = 50
# What verify_chain reports, in the reader's language.
CHAIN_REASONS = {
    "row missing": _l("is missing"),
    "link to previous row broken": _l("has lost its link to the record before"),
    "row content changed": _l("has been changed"),
    "row differs from the checkpoint": _l("differs from what the checkpoint holds"),
    "rows missing at the tail": _l("and the records after it are missing (the checkpoint "
                                   "holds more)"),
    "fewer rows than the checkpoint counted": _l("is missing (fewer records than the "
                                                 "checkpoint counted)"),
}


@bp.get("/desk/audit")
def audit_log():
    """The log filtered by action or target, a page at a time."""
    return _page(report=None)


@bp.get("/desk/audit/verify")
def verify_audit_chain():
    """Walk the whole chain and show the first broken row, if any, above the log."""
    return _page(report=audit.verify_chain())


def _page(report):
    identity.require_national(page_user(), "the audit log")
    filters = {name: (request.args.get(name) or "").strip()[:64]
               for name in ("action", "target_type", "target_id")}
    before = request.args.get("before", type=int)
    events = audit.list_events(filters["action"] or None, filters["target_type"] or None,
                               filters["target_id"] or None, PAGE_SIZE, before)
    older = events[-1].seq if len(events) == PAGE_SIZE else None
    return render_template("audit.html", events=events, filters=filters, older=older,
                           report=report, total=audit.count_events(),
                           reason=CHAIN_REASONS.get(report.reason) if report else None)
