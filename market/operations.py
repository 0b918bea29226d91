"""Operators' endpoints: liveness, readiness and the Prometheus scrape. No login, no secrets.

`/healthz` answers while the process can answer anything (it touches no database), so a
supervisor restarts only a wedged process. `/readyz` says whether this host can serve:
database reachable, schema at the migrations' head, scheduler alive. `/metrics` is not
public: it exists only when METRICS_TOKEN is set and answers only its bearer.
"""

import hmac

from flask import Blueprint, Response, abort, current_app, jsonify, request

from market import metrics
from market.errors import error_body
from market.services import operations

bp = Blueprint("operations", __name__)


@bp.get("/healthz")
def healthz():
    """The process is up (no database involved)."""
    return {"status": "ok"}


@bp.get("/readyz")
def readyz():
    """Each readiness check; 503 when any fails."""
    checks = operations.readiness(current_app.config["SCHEDULER_HEARTBEAT_MAX_AGE"])
    ready = all(check["ok"] for check in checks.values())
    body = {"status": "ready" if ready else "not_ready", "checks": checks}
    return body, 200 if ready else 503, {"Cache-Control": "no-store"}


def _is_metrics_bearer(token: str) -> bool:
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    # Constant time, so the answer's timing does not spell out the token.
    return scheme.lower() == "bearer" and hmac.compare_digest(raw.strip().encode(),
                                                              token.encode())


@bp.get("/metrics")
def scrape():
    """Prometheus text: every worker's counters and what the database says now."""
    token = current_app.config.get("METRICS_TOKEN")
    if not token:
        abort(404)
    if not _is_metrics_bearer(token):
        body = error_body("unauthorized", "send the metrics token as a bearer token")
        return jsonify(body), 401, {"WWW-Authenticate": 'Bearer realm="metrics"'}
    payload, content_type = metrics.exposition(
        metrics.database_families(operations.metrics_snapshot()))
    return Response(payload, content_type=content_type, headers={"Cache-Control": "no-store"})
