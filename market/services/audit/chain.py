"""The append-only audit log: record a person's act, verify the hash chain."""

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from sqlalchemy import func, select, text

from market.extensions import db
from market.logs import current_request_id
from models import AuditEvent, User
from models.base import utcnow

GENESIS = "0" * 64
# One lock id for the whole chain: appending must see the latest digest.
_CHAIN_LOCK = 7_270_001


def _default(value):
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, datetime):
        return utc_iso(value)
    if hasattr(value, "isoformat"):
        return value.isoformat()
    raise TypeError(f"cannot audit a {type(value).__name__}")


def utc_iso(moment: datetime) -> str:
    """A fixed text form of a time, so the digest is the same on every database."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def canonical(details: dict) -> str:
    """Details as canonical JSON: sorted keys, decimals as strings."""
    return json.dumps(details, sort_keys=True, ensure_ascii=False, default=_default)


def digest_of(event) -> str:
    """SHA-256 over the previous digest and everything the row says (but its request id)."""
    # request_id stays out: the digest's fields are fixed, so rows written before it existed
    # verify unchanged. It points into the logs; the chain does not vouch for it.
    content = [
        event.seq, utc_iso(event.at), event.actor_user_id, event.actor, event.action,
        event.target_type, event.target_id, event.details, event.prev_digest,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def record(actor: User | None, action: str, target_type: str, target_id, details: dict,
           actor_name: str | None = None) -> AuditEvent:
    """Append an event in the caller's transaction (the caller commits)."""
    session = db.session
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = session.execute(
        select(AuditEvent.seq, AuditEvent.digest).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        actor_user_id=actor.id if actor else None,
        actor=actor.username if actor else (actor_name or "anonymous"),
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        details=canonical(details),
        prev_digest=last.digest if last else GENESIS,
        request_id=current_request_id(),
    )
    event.digest = digest_of(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainReport:
    """The result of walking the chain."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None


def verify_chain(batch: int = 5000) -> ChainReport:
    """Walk the log in order; name the first row whose link or digest does not hold."""
    previous = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        # Plain rows, not ORM objects: a long log must not fill the identity map.
        rows = db.session.execute(
            select(*AuditEvent.__table__.columns).where(AuditEvent.seq > last_seq)
            .order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return ChainReport(ok=True, checked=checked)
        for event in rows:
            if event.seq != expected_seq:
                return ChainReport(False, checked, expected_seq, "row missing")
            if event.prev_digest != previous:
                return ChainReport(False, checked, event.seq, "link to previous row broken")
            if digest_of(event) != event.digest:
                return ChainReport(False, checked, event.seq, "row content changed")
            previous = event.digest
            expected_seq += 1
            checked += 1
            last_seq = event.seq


def list_events(action: str | None, target_type: str | None, target_id: str | None,
                limit: int, before_seq: int | None) -> list[AuditEvent]:
    """Newest first, optionally filtered."""
    query = select(AuditEvent).order_by(AuditEvent.seq.desc()).limit(limit)
    if action:
        query = query.where(AuditEvent.action == action)
    if target_type:
        query = query.where(AuditEvent.target_type == target_type)
    if target_id:
        query = query.where(AuditEvent.target_id == target_id)
    if before_seq:
        query = query.where(AuditEvent.seq < before_seq)
    return list(db.session.scalars(query))


def count_events() -> int:
    """How many events the log holds."""
    return db.session.scalar(select(func.count(AuditEvent.id))) or 0
