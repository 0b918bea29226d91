"""Market surveillance: detection, alerts and their review, thresholds, the settlement monitor.

Detectors live in `detectors/` and read a `Context` (`context.py`); this module runs them,
stores what they find exactly once (`Alert.dedup_key`) and serves the regulator's use cases.
"""

import json
from datetime import date, datetime, timedelta
from decimal import Decimal

from flask_babel import lazy_gettext
from sqlalchemy import case, func, select, true
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import selectinload

from market.errors import DomainError, NotFound
from market.extensions import db
from market.services import audit, catalogue, identity
from market.services.surveillance import detectors
from market.services.surveillance.context import Context
from market.services.transaction import use_case
from market.vocabulary import ALERT_STATUS, word
from models import (
    Account,
    Alert,
    Settlement,
    SurveillanceSetting,
    Trade,
    User,
)
from models.base import utcnow
from models.surveillance import ALERT_KINDS, ALERT_SEVERITY, alert_trades

KINDS, SEVERITY = ALERT_KINDS, ALERT_SEVERITY
SETTLEMENT_BUCKETS = ("pending", "due_within_3_days", "overdue", "defaulted", "cancelled",
                      "completed")
DUE_SOON = timedelta(days=3)
def thresholds() -> dict[str, Decimal]:
    """The current thresholds by key."""
    return {row.key: row.value for row in db.session.scalars(select(SurveillanceSetting))}


def list_settings() -> list[SurveillanceSetting]:
    """Every threshold with its description."""
    return list(db.session.scalars(select(SurveillanceSetting).order_by(SurveillanceSetting.id)))


@use_case
def update_settings(actor: User, changes: dict[str, Decimal]) -> list[SurveillanceSetting]:
    """Change thresholds; the audit row keeps each key's old and new value."""
    rows = {row.key: row for row in db.session.scalars(
        select(SurveillanceSetting).where(SurveillanceSetting.key.in_(list(changes)))
        .with_for_update())}
    diff = {}
    for key, value in changes.items():
        row = rows[key]
        if row.value != value:
            diff[key] = {"old": row.value, "new": value}
            row.value = value
    if not diff:
        raise DomainError("no_change", lazy_gettext("the request changes nothing"), status=422)
    audit.record(actor, "surveillance.settings", "surveillance_settings", ",".join(sorted(diff)),
                 diff)
    return list_settings()


def _json(value):
    if isinstance(value, datetime):
        return audit.utc_iso(value)
    if isinstance(value, Decimal | date):
        return str(value)
    raise TypeError(f"cannot store a {type(value).__name__} in alert details")


def detect(now: datetime | None = None, actor: User | None = None) -> int:
    """Run every detector over recent data; insert the new alerts; return how many.

    The scheduler runs it without an actor; a regulator who runs it now is audited.
    """
    now = now or utcnow()
    for attempt in (1, 2):
        try:
            return _detect(now, actor)
        except IntegrityError:
            # A parallel run inserted one of the same keys first; the rerun skips them.
            if attempt == 2:
                raise
    raise AssertionError("unreachable")


@use_case
def _detect(now: datetime, actor: User | None) -> int:
    context = Context.load(now, thresholds())
    drafts: dict[str, detectors.Draft] = {}
    for detector in detectors.DETECTORS:
        for draft in detector(context):
            drafts.setdefault(draft.key, draft)
    keys = list(drafts)
    existing = set()
    for start in range(0, len(keys), 500):
        existing.update(db.session.scalars(
            select(Alert.dedup_key).where(Alert.dedup_key.in_(keys[start:start + 500]))))
    new = [draft for key, draft in drafts.items() if key not in existing]
    trades = _by_id(Trade, {i for draft in new for i in draft.trade_ids})
    accounts = _by_id(Account, {i for draft in new for i in draft.account_ids})
    for draft in new:
        db.session.add(Alert(
            kind=draft.kind, dedup_key=draft.key, instrument_id=draft.instrument_id,
            summary=draft.summary[:500], status="open", created_at=now,
            details=json.dumps(draft.details, ensure_ascii=False, default=_json),
            trades=[trades[i] for i in sorted(set(draft.trade_ids))],
            accounts=[accounts[i] for i in sorted(set(draft.account_ids))]))
    if actor is not None:
        audit.record(actor, "surveillance.detect", "surveillance", "detect",
                     {"created": len(new)})
    return len(new)


def raise_alert(kind: str, key: str, summary: str, details: dict, accounts: list[Account],
                instrument_id: int | None = None, now: datetime | None = None) -> Alert | None:
    """Store an alert found outside the detectors (a part); None if its key exists already."""
    if db.session.scalar(select(Alert.id).where(Alert.dedup_key == key)):
        return None
    alert = Alert(kind=kind, dedup_key=key, instrument_id=instrument_id, summary=summary[:500],
                  status="open", created_at=now or utcnow(),
                  details=json.dumps(details, ensure_ascii=False, default=_json),
                  accounts=accounts)
    db.session.add(alert)
    return alert


def _by_id(model, ids: set[int]) -> dict:
    found = {}
    ordered = sorted(ids)
    for start in range(0, len(ordered), 500):
        found.update({row.id: row for row in db.session.scalars(
            select(model).where(model.id.in_(ordered[start:start + 500])))})
    return found


def _inside(actor: User):
    """Alerts about an account in the actor's jurisdiction, or about no account at all."""
    inside = identity.jurisdiction_of(actor)
    if inside.national:
        return true()
    return Alert.accounts.any(inside.where(Account.district_id)) | ~Alert.accounts.any()


def list_alerts(actor: User, status: str | None = None, kind: str | None = None,
                instrument: str | None = None, limit: int = 100, offset: int = 0,
                with_trades: bool = True) -> list[Alert]:
    """Alerts in the actor's jurisdiction with their accounts and (unless told otherwise)
    their trades, newest first."""
    query = select(Alert).where(_inside(actor)).options(selectinload(Alert.accounts))
    if with_trades:
        query = query.options(selectinload(Alert.trades))
    if status:
        query = query.where(Alert.status == status)
    if kind:
        query = query.where(Alert.kind == kind)
    if instrument:
        query = query.where(Alert.instrument_id == catalogue.instrument_for_input(instrument).id)
    query = query.order_by(Alert.id.desc()).limit(limit).offset(offset)
    return list(db.session.scalars(query))


def alert_trade_ids(alert_ids: list[int], first: int) -> dict[int, tuple[list[int], int]]:
    """Each alert's first `first` trade ids and how many trades it names, in one query: a
    circular-trading alert can name thousands, and a page lists a few."""
    numbered = select(
        alert_trades.c.alert_id, alert_trades.c.trade_id,
        func.row_number().over(partition_by=alert_trades.c.alert_id,
                               order_by=alert_trades.c.trade_id).label("n"),
        func.count().over(partition_by=alert_trades.c.alert_id).label("total"),
    ).where(alert_trades.c.alert_id.in_(alert_ids)).subquery()
    found: dict[int, tuple[list[int], int]] = {alert_id: ([], 0) for alert_id in alert_ids}
    for alert_id, trade_id, total in db.session.execute(
            select(numbered.c.alert_id, numbered.c.trade_id, numbered.c.total)
            .where(numbered.c.n <= first).order_by(numbered.c.alert_id, numbered.c.n)):
        found[alert_id] = (found[alert_id][0] + [trade_id], total)
    return found


def get_alert(actor: User, alert_id: int) -> Alert:
    """One alert in the actor's jurisdiction, or 404."""
    alert = db.session.scalar(select(Alert).where(Alert.id == alert_id, _inside(actor)))
    if alert is None:
        raise NotFound("alert", alert_id)
    return alert


@use_case
def review_alert(actor: User, alert_id: int, status: str, note: str | None) -> Alert:
    """Close an open alert as reviewed or dismissed, recording who and when (audited)."""
    alert = db.session.scalar(select(Alert).where(Alert.id == alert_id, _inside(actor))
                              .with_for_update(of=Alert)
                              .execution_options(populate_existing=True))
    if alert is None:
        raise NotFound("alert", alert_id)
    if alert.status != "open":
        raise DomainError("alert_closed", lazy_gettext(
            "alert %(id)s is already %(status)s", id=alert_id,
            status=word(ALERT_STATUS, alert.status)))
    alert.status = status
    alert.reviewed_by_user_id = actor.id
    alert.reviewed_at = utcnow()
    alert.review_note = note
    audit.record(actor, f"alert.{'review' if status == 'reviewed' else 'dismiss'}", "alert",
                 alert.id, {"kind": alert.kind, "old": "open", "new": status, "note": note})
    return alert


def bucket_of(settlement: Settlement, now: datetime) -> str:
    """Which monitor bucket a settlement falls in at `now`."""
    if settlement.status != "pending_payment":
        return settlement.status
    if settlement.due_at <= now:
        return "overdue"  # past its deadline; the default job has not run over it yet
    return "due_within_3_days" if settlement.due_at <= now + DUE_SOON else "pending"


def settlement_monitor(actor: User, now: datetime | None = None, instrument: str | None = None,
                       limit: int = 100, pending_limit: int | None = None,
                       closed_since: datetime | None = None) -> dict:
    """Counts and amounts per bucket, and the rows of every bucket but completed.

    The three pending buckets split pending_payment settlements by deadline: more than three
    days away, within three days, and past it; each lists all its rows, or its first
    `pending_limit` by deadline. Closed buckets list their latest `limit` rows; with
    `closed_since` they count, sum and list only what closed since then (the page's view:
    totals over every settlement ever closed cost a scan of the whole history per request).
    """
    now = now or utcnow()
    where = [identity.jurisdiction_of(actor).parties(Settlement.buyer_account_id,
                                                     Settlement.seller_account_id)]
    if instrument:
        where.append(Settlement.instrument_id == catalogue.instrument_for_input(instrument).id)
    summary = {bucket: {"bucket": bucket, "count": 0, "amount": Decimal("0.00"),
                        "deposit": Decimal("0.00"), "paid": Decimal("0.00"),
                        "outstanding": Decimal("0.00")} for bucket in SETTLEMENT_BUCKETS}
    rows: dict[str, list[dict]] = {bucket: [] for bucket in SETTLEMENT_BUCKETS[:-1]}
    # Pending settlements are counted and summed by the database, bucket by deadline, and
    # only the rows to list are loaded: a busy market has thousands waiting for payment.
    soon = now + DUE_SOON
    deadline = case((Settlement.due_at <= now, "overdue"),
                    (Settlement.due_at <= soon, "due_within_3_days"), else_="pending")
    pending = [Settlement.status == "pending_payment", *where]
    for bucket, count, amount, deposit, escrowed in db.session.execute(
            select(deadline, func.count(Settlement.id), func.sum(Settlement.amount),
                   func.sum(Settlement.deposit), func.sum(Settlement.escrowed))
            .where(*pending).group_by(deadline)):
        summary[bucket].update(count=count, amount=amount, deposit=deposit, paid=escrowed,
                               outstanding=amount - escrowed)
    windows = {"overdue": [Settlement.due_at <= now],
               "due_within_3_days": [Settlement.due_at > now, Settlement.due_at <= soon],
               "pending": [Settlement.due_at > soon]}
    listed: dict[str, list[Settlement]] = {}
    for bucket, window in windows.items():
        query = (select(Settlement).where(*pending, *window)
                 .order_by(Settlement.due_at, Settlement.id)
                 .options(selectinload(Settlement.payments)))
        if pending_limit is not None:
            query = query.limit(pending_limit)
        listed[bucket] = list(db.session.scalars(query))
    closed_where = [Settlement.status.in_(("completed", "defaulted", "cancelled")), *where]
    if closed_since is not None:
        closed_where.append(Settlement.closed_at >= closed_since)
    totals = db.session.execute(
        select(Settlement.status, func.count(Settlement.id), func.sum(Settlement.amount),
               func.sum(Settlement.deposit)).where(*closed_where).group_by(Settlement.status))
    for status, count, amount, deposit in totals:
        line = summary[status]
        line.update(count=count, amount=amount, deposit=deposit)
        # A completed settlement was paid in full; a defaulted one kept only its deposit.
        line["paid"] = {"completed": amount, "defaulted": deposit}.get(status, Decimal("0.00"))
    for status in ("defaulted", "cancelled"):
        listed[status] = list(db.session.scalars(
            select(Settlement).where(Settlement.status == status, *closed_where)
            .order_by(Settlement.closed_at.desc(), Settlement.id.desc()).limit(limit)
            .options(selectinload(Settlement.payments))))
    # One query for every party named (the session's identity map holds objects weakly, so
    # a get() per row would ask again for an account it had already loaded).
    parties = {s.buyer_account_id for shown in listed.values() for s in shown} | {
        s.seller_account_id for shown in listed.values() for s in shown}
    accounts = {account.id: account for account in db.session.scalars(
        select(Account).where(Account.id.in_(parties)))} if parties else {}
    for bucket, shown in listed.items():
        rows[bucket] = [_monitor_row(settlement, bucket, now, accounts) for settlement in shown]
    return {"as_of": now, "buckets": list(summary.values()), "rows": rows,
            "closed_since": closed_since}


def _monitor_row(settlement: Settlement, bucket: str, now: datetime,
                 accounts: dict[int, Account]) -> dict:
    trade = settlement.trade
    buyer = accounts[settlement.buyer_account_id]
    seller = accounts[settlement.seller_account_id]
    return {
        "id": settlement.id, "trade_id": trade.id, "bucket": bucket, "status": settlement.status,
        "instrument": trade.instrument.code, "price": trade.price,
        "quantity": settlement.quantity, "amount": settlement.amount,
        "deposit": settlement.deposit, "paid": settlement.paid,
        "amount_due": settlement.amount_due,
        "buyer_account_id": buyer.id, "buyer_account": buyer.name,
        "buyer_district_code": buyer.district.code, "buyer_district_name": buyer.district.name,
        "seller_account_id": seller.id, "seller_account": seller.name,
        "origin_district_code": settlement.lot.origin_district.code,
        "origin_district_name": settlement.lot.origin_district.name,
        "due_at": settlement.due_at, "closed_at": settlement.closed_at,
        "close_reason": settlement.close_reason,
        "hours_overdue": (max(0, int((now - settlement.due_at).total_seconds() // 3600))
                          if bucket == "overdue" else None),
    }
