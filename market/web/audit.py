"""The audit log, newest first, and the hash-chain check."""

from flask import render_template, request

from market.auth import page_user
from market.services import audit, identity
from market.web.blueprint import bp

PAGE_SIZE = 50
# What verify_chain reports, in Chinese.
CHAIN_REASONS = {"row missing": "记录缺失", "link to previous row broken": "与前一条记录的链接断裂",
                 "row content changed": "记录内容被改动",
                 "row differs from the checkpoint": "与检查点记载的不一致",
                 "rows missing at the tail": "及其后的记录缺失（检查点记载的记录更多）",
                 "fewer rows than the checkpoint counted": "缺失（记录数少于检查点）"}


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
