"""The audit log and its chain check (regulators)."""

from flask_babel import lazy_gettext

from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.audit import AuditEventSchema, AuditQuerySchema, ChainReportSchema
from market.services import audit, identity

bp = Blueprint("audit", __name__, url_prefix="/audit", description="Audit log")


@bp.get("")
@roles_required("regulator", "admin")
@bp.arguments(AuditQuerySchema, location="query")
@bp.response(200, AuditEventSchema(many=True))
def list_events(query):
    """The audit log, newest first (national regulators and admins: it spans every district)."""
    identity.require_national(current_actor(), lazy_gettext("the audit log"))
    return audit.list_events(query.get("action"), query.get("target_type"),
                             query.get("target_id"), query["limit"], query.get("before_seq"))


@bp.get("/verify")
@roles_required("regulator", "admin")
@bp.response(200, ChainReportSchema)
def verify_chain():
    """Walk the hash chain against its checkpoints; name the first broken row."""
    return audit.verify_chain()
