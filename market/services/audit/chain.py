"""The append-only audit log: record a person's act, walk the keyed hash chain.

Each digest is an HMAC keyed with AUDIT_KEY, which lives in the configuration and never in the
database: whoever can write the table can still not compute a digest that verifies.
"""

import hashlib
import hmac
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal

from flask import current_app
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


def chain_key() -> bytes:
    """The configured AUDIT_KEY (create_app derives one from SECRET_KEY when it is unset)."""
    key = current_app.config.get("AUDIT_KEY")
    if not key:
        raise RuntimeError("AUDIT_KEY is not set (nor SECRET_KEY): the audit chain needs a key")
    return str(key).encode()


def digest_of(event, key: bytes | None = None) -> str:
    """HMAC-SHA256 with the chain's key over the previous digest and everything the row says
    (but its request id, a pointer into the logs that the chain does not vouch for)."""
    content = [
        event.seq, utc_iso(event.at), event.actor_user_id, event.actor, event.action,
        event.target_type, event.target_id, event.details, event.prev_digest,
    ]
    message = json.dumps(content, ensure_ascii=False).encode()
    return hmac.new(key or chain_key(), message, hashlib.sha256).hexdigest()


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
    """The result of walking the chain (and comparing it with a checkpoint, if there is one)."""

    ok: bool
    checked: int
    first_broken_seq: int | None = None
    reason: str | None = None
    checkpoint_seq: int | None = None
    head_seq: int = 0
    head_digest: str | None = None


def walk_chain(pins: Mapping[int, str] | None = None, from_seq: int = 1,
               batch: int = 5000) -> ChainReport:
    """Walk the log from `from_seq` in order; name the first row that does not hold.

    `pins` maps a seq to the digest a checkpoint saw there. Walking from a checkpoint's row,
    that row's own link is not checked: its pinned digest vouches for it.
    """
    pins = pins or {}
    key = chain_key()
    previous = GENESIS if from_seq <= 1 else None
    expected_seq = max(from_seq, 1)
    checked = 0
    while True:
        # Plain rows, not ORM objects: a long log must not fill the identity map.
        rows = db.session.execute(
            select(*AuditEvent.__table__.columns).where(AuditEvent.seq >= expected_seq)
            .order_by(AuditEvent.seq).limit(batch)
        ).all()
        if not rows:
            return ChainReport(True, checked, head_seq=expected_seq - 1, head_digest=previous)
        for event in rows:
            broken = _first_fault(event, expected_seq, previous, pins, key)
            if broken:
                return ChainReport(False, checked, broken[0], broken[1],
                                   head_seq=expected_seq - 1, head_digest=previous)
            previous = event.digest
            expected_seq += 1
            checked += 1


def _first_fault(event, expected_seq: int, previous: str | None, pins: Mapping[int, str],
                 key: bytes) -> tuple[int, str] | None:
    if event.seq != expected_seq:
        return expected_seq, "row missing"
    if previous is not None and event.prev_digest != previous:
        return event.seq, "link to previous row broken"
    if digest_of(event, key) != event.digest:
        return event.seq, "row content changed"
    if event.seq in pins and pins[event.seq] != event.digest:
        # Only someone holding the key re-digests a row; the checkpoint still remembers it.
        return event.seq, "row differs from the checkpoint"
    return None


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
