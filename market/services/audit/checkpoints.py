"""Checkpoints of the audit chain: its head (seq, digest, count) kept at a moment.

A keyed chain shows any changed row, but not rows cut off its end: the shorter chain is still
a valid chain. A checkpoint remembers how far the chain reached and what its head said, so
verification names rows missing at the tail. Stored checkpoints live in the same database an
attacker might control, so `flask audit-checkpoint --out FILE` exports one to keep elsewhere,
and `flask verify-audit --checkpoint FILE` verifies against that copy.
"""

import re
from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, text

from market.extensions import db
from market.services.audit.chain import ChainReport, utc_iso, walk_chain
from market.services.transaction import use_case
from models import AuditCheckpoint
from models.base import utcnow

# Checkpoints by two processes at once (the scheduler and an operator) keep one row per head.
_CHECKPOINT_LOCK = 7_270_002
_DIGEST = re.compile(r"[0-9a-f]{64}")


@dataclass(frozen=True)
class Checkpoint:
    """The chain's head at one moment, as stored and as exported."""

    seq: int
    digest: str
    count: int
    created_at: datetime

    def __str__(self) -> str:
        return f"checkpoint at seq {self.seq} ({self.digest[:12]}…)"

    def as_json(self) -> dict:
        """The exported form: plain JSON a regulator can keep outside the database."""
        return {"seq": self.seq, "digest": self.digest, "count": self.count,
                "created_at": utc_iso(self.created_at)}

    @classmethod
    def from_json(cls, data) -> "Checkpoint":
        """Read an exported checkpoint; ValueError names what is wrong with it."""
        if not isinstance(data, dict) or set(data) != {"seq", "digest", "count", "created_at"}:
            raise ValueError("not an audit checkpoint: expected seq, digest, count, created_at")
        seq, count, digest = data["seq"], data["count"], data["digest"]
        if not all(isinstance(n, int) and not isinstance(n, bool) and n > 0
                   for n in (seq, count)):
            raise ValueError("not an audit checkpoint: seq and count must be positive integers")
        if not isinstance(digest, str) or not _DIGEST.fullmatch(digest):
            raise ValueError("not an audit checkpoint: digest must be 64 hex digits")
        try:
            created_at = datetime.fromisoformat(data["created_at"])
        except (TypeError, ValueError):
            raise ValueError("not an audit checkpoint: created_at is not a time") from None
        return cls(seq, digest, count, created_at)


class ChainBroken(Exception):
    """The chain does not verify, so no checkpoint may vouch for it."""

    def __init__(self, report: ChainReport):
        super().__init__(f"audit chain broken at seq {report.first_broken_seq}: "
                         f"{report.reason}")
        self.report = report


def _of(row: AuditCheckpoint) -> Checkpoint:
    return Checkpoint(row.seq, row.digest, row.count, row.created_at)


def stored_checkpoints() -> list[Checkpoint]:
    """Every checkpoint the database keeps, oldest first."""
    rows = db.session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.seq))
    return [_of(row) for row in rows]


def latest_checkpoint() -> Checkpoint | None:
    """The stored checkpoint that reaches furthest, if any."""
    row = db.session.scalars(
        select(AuditCheckpoint).order_by(AuditCheckpoint.seq.desc()).limit(1)).first()
    return _of(row) if row else None


def compare(report: ChainReport, checkpoint: Checkpoint | None) -> ChainReport:
    """A walked chain against a checkpoint: it must reach at least as far."""
    if checkpoint is None:
        return report
    report = replace(report, checkpoint_seq=checkpoint.seq)
    if not report.ok:
        return report
    if report.head_seq < checkpoint.seq:
        return replace(report, ok=False, first_broken_seq=report.head_seq + 1,
                       reason="rows missing at the tail")
    if report.head_seq < checkpoint.count:
        return replace(report, ok=False, first_broken_seq=report.head_seq + 1,
                       reason="fewer rows than the checkpoint counted")
    return report


def verify_chain(against: Checkpoint | None = None) -> ChainReport:
    """Walk the whole chain; compare it with every stored checkpoint, or with one kept apart."""
    checkpoints = [against] if against else stored_checkpoints()
    report = walk_chain({checkpoint.seq: checkpoint.digest for checkpoint in checkpoints})
    return compare(report, max(checkpoints, key=lambda c: c.seq) if checkpoints else None)


@use_case
def write_checkpoint() -> Checkpoint | None:
    """Keep the chain's head as a checkpoint once the rows since the last one verify.

    The same head twice keeps one checkpoint, so the scheduler may run this as often as it
    likes. None when the log is still empty.
    """
    latest = latest_checkpoint()
    # Rows before the latest checkpoint were verified when it was written; a full walk is
    # `verify_chain`'s job, so a long log costs this only the rows added since.
    if latest:
        report = walk_chain({latest.seq: latest.digest}, from_seq=latest.seq)
    else:
        report = walk_chain()
    report = compare(report, latest)
    if not report.ok:
        raise ChainBroken(report)
    if report.head_seq == 0:
        return None
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(:key)"),
                           {"key": _CHECKPOINT_LOCK})
    latest = latest_checkpoint()  # another process may have kept this head meanwhile
    if latest and latest.seq >= report.head_seq:
        return latest
    row = AuditCheckpoint(seq=report.head_seq, digest=report.head_digest,
                          count=report.head_seq, created_at=utcnow())
    db.session.add(row)
    db.session.flush()
    return _of(row)
