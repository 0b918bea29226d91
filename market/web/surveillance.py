"""Surveillance pages: the settlement monitor, and alerts with their review."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from market import alert_wording
from market.auth import page_user
from market.errors import DomainError
from market.services import catalogue, surveillance
from market.web.access import refused
from market.web.blueprint import bp
from market.web.charts import settlement_chart
from market.web.forms import ReviewForm
from models import ALERT_KINDS, ALERT_STATUSES
from models.base import utcnow

ALERTS_SHOWN = 100
# The trades an alert names, listed by id: a circular-trading alert can name thousands.
TRADES_SHOWN = 20
# The monitor lists the first rows of each bucket, and counts closed settlements of the last
# 30 days: with years of history, all of them cost a scan of every settlement per request.
MONITOR_ROWS = 100
CLOSED_WINDOW = timedelta(days=30)


def _instrument_filter() -> str | None:
    return (request.args.get("instrument") or "").strip()[:16] or None


@bp.get("/desk/settlements")
def settlement_monitor():
    """Settlements by bucket (pending, due soon, overdue, defaulted…) with their rows."""
    monitor = surveillance.settlement_monitor(
        page_user(), instrument=_instrument_filter(), limit=MONITOR_ROWS,
        pending_limit=MONITOR_ROWS, closed_since=utcnow() - CLOSED_WINDOW)
    weeks = surveillance.settlement_weeks(page_user(), now=monitor["as_of"],
                                          instrument=_instrument_filter())
    return render_template("settlements.html", monitor=monitor, weeks=weeks,
                           weeks_chart=settlement_chart(weeks),
                           counts={line["bucket"]: line["count"] for line in monitor["buckets"]},
                           instruments=catalogue.list_instruments(),
                           chosen=_instrument_filter())


@bp.get("/desk/alerts")
def alerts():
    """Alerts, open ones first by default, each open one with its review form."""
    status = request.args.get("status", "open")
    status = status if status in ALERT_STATUSES else None
    kind = request.args.get("kind") if request.args.get("kind") in ALERT_KINDS else None
    found = surveillance.list_alerts(page_user(), status=status, kind=kind,
                                     instrument=_instrument_filter(), limit=ALERTS_SHOWN,
                                     with_trades=False)
    trades = surveillance.alert_trade_ids([alert.id for alert in found], TRADES_SHOWN)
    rows = [{"alert": alert, "instrument": alert.instrument.code if alert.instrument else None,
             "reviewer": alert.reviewed_by.username if alert.reviewed_by else None,
             "wording": alert_wording.describe(alert),
             "trade_ids": trades[alert.id][0], "trade_count": trades[alert.id][1]}
            for alert in found]
    return render_template("alerts.html", rows=rows, status=status, kind=kind,
                           chosen=_instrument_filter(), form=ReviewForm(formdata=None),
                           instruments=catalogue.list_instruments(),
                           severity=surveillance.SEVERITY, shown=ALERTS_SHOWN)


@bp.post("/desk/alerts/<int:alert_id>/review")
def review_alert(alert_id):
    """Mark an alert reviewed (acted on) or dismissed (nothing wrong), with a note."""
    form = ReviewForm()
    if not form.validate_on_submit():
        flash("；".join(message for errors in form.errors.values() for message in errors),
              "error")
        return redirect(url_for("web.alerts"))
    try:
        alert = surveillance.review_alert(page_user(), alert_id, form.status.data,
                                    (form.note.data or "").strip() or None)
    except DomainError as error:
        flash(refused(error), "error")
        return redirect(url_for("web.alerts"))
    flash(_("Alert #%(id)s reviewed.", id=alert.id) if alert.status == "reviewed"
          else _("Alert #%(id)s dismissed.", id=alert.id), "success")
    return redirect(url_for("web.alerts"))


@bp.post("/desk/alerts/detect")
def detect_alerts():
    """Run every detector now rather than waiting for the scheduler's next minute."""
    created = surveillance.detect(actor=page_user())
    flash(_("Detection done: %(count)s new alerts.", count=created), "success")
    return redirect(url_for("web.alerts"))
