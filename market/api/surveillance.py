"""Market surveillance for regulators: alerts and their review, thresholds, settlements."""


from market.api.document import Blueprint
from market.auth import current_actor, roles_required
from market.schemas.surveillance import (
    AlertQuerySchema,
    AlertReviewSchema,
    AlertSchema,
    DetectResultSchema,
    MonitorQuerySchema,
    MonitorSchema,
    SettingSchema,
    SettingsPatchSchema,
)
from market.services import surveillance

bp = Blueprint("surveillance", __name__, url_prefix="/surveillance",
               description="Market surveillance (regulators)")


@bp.get("/alerts")
@roles_required("regulator")
@bp.arguments(AlertQuerySchema, location="query")
@bp.response(200, AlertSchema(many=True))
def list_alerts(query):
    """Alerts with the trades and accounts behind them, newest first."""
    return surveillance.list_alerts(current_actor(), **query)


@bp.get("/alerts/<int:alert_id>")
@roles_required("regulator")
@bp.response(200, AlertSchema)
def get_alert(alert_id):
    """One alert, the numbers it rests on, and its review."""
    return surveillance.get_alert(current_actor(), alert_id)


@bp.post("/alerts/<int:alert_id>/review")
@roles_required("regulator")
@bp.arguments(AlertReviewSchema)
@bp.response(200, AlertSchema)
def review_alert(data, alert_id):
    """Close an open alert as reviewed or dismissed, with a note (audited)."""
    return surveillance.review_alert(current_actor(), alert_id, data["status"], data["note"])


@bp.post("/detect")
@roles_required("regulator")
@bp.response(200, DetectResultSchema)
def detect():
    """Run every detector now (the scheduler does so every minute)."""
    return {"created": surveillance.detect(actor=current_actor())}


@bp.get("/settings")
@roles_required("regulator")
@bp.response(200, SettingSchema(many=True))
def list_settings():
    """The detection thresholds."""
    return surveillance.list_settings()


@bp.patch("/settings")
@roles_required("regulator")
@bp.arguments(SettingsPatchSchema)
@bp.response(200, SettingSchema(many=True))
def update_settings(changes):
    """Change thresholds, e.g. {"guide_deviation": "0.15"} (audited with old and new)."""
    return surveillance.update_settings(current_actor(), changes)


@bp.get("/settlements")
@roles_required("regulator")
@bp.arguments(MonitorQuerySchema, location="query")
@bp.response(200, MonitorSchema)
def settlement_monitor(query):
    """Pending, due within 3 days, overdue, defaulted, cancelled, completed: counts, amounts."""
    return surveillance.settlement_monitor(current_actor(), instrument=query.get("instrument"),
                                           limit=query["limit"])
