"""The audit chain against someone who can write to the database: keyed digests, checkpoints.

Each test plays a superuser who bypasses the append-only triggers, then checks that the
verification still notices what was done.
"""

import hashlib
import json

import pytest
import sqlalchemy as sa

from market.extensions import db
from market.services.audit import utc_iso
from models import AuditEvent


def _bypass_guards():
    """Act as a superuser would: PostgreSQL skips the triggers, SQLite's are dropped."""
    if db.engine.dialect.name == "postgresql":
        # LOCAL: reverts at commit, so the guards are back for the next test.
        db.session.execute(sa.text("SET LOCAL session_replication_role = replica"))
        return
    for table in ("audit_events", "audit_checkpoints"):
        for verb in ("update", "delete"):
            db.session.execute(sa.text(f"DROP TRIGGER IF EXISTS {table}_no_{verb}"))


def _some_history(world, lots=2):
    seller = world.trader("yixing", "320282")
    for _ in range(lots):
        world.lot(seller)


def _head_seq():
    return db.session.scalar(sa.text("SELECT max(seq) FROM audit_events"))


def _cli(app, *args):
    return app.test_cli_runner().invoke(args=list(args))


def _public_digest(row, previous):
    """The unkeyed formula anyone can read in the source: SHA-256 over the row and its link."""
    content = [row.seq, utc_iso(row.at), row.actor_user_id, row.actor, row.action,
               row.target_type, row.target_id, row.details, previous]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).hexdigest()


def test_postgresql_refuses_to_truncate_the_log_and_its_checkpoints(world, app, database):
    if database["dialect"] != "postgresql":
        pytest.skip("TRUNCATE is PostgreSQL's; SQLite's DELETE is refused by its trigger")
    _some_history(world, lots=1)
    for table in ("audit_events", "audit_checkpoints"):
        with pytest.raises(sa.exc.DatabaseError, match="append-only"):
            db.session.execute(sa.text(f"TRUNCATE {table}"))
        db.session.rollback()
    assert _cli(app, "verify-audit").exit_code == 0


def test_a_rewrite_with_the_public_formula_breaks_the_keyed_chain(world):
    _some_history(world)
    events = list(db.session.scalars(sa.select(AuditEvent).order_by(AuditEvent.seq)))
    _bypass_guards()
    previous = events[0].digest
    for event in events[1:]:
        if event.seq == 2:
            event.details = json.dumps({"quantity": "9999"})
        event.prev_digest = previous
        event.digest = _public_digest(event, previous)
        previous = event.digest
    db.session.commit()
    report = world.regulator.get("/api/v1/audit/verify").json
    assert (report["ok"], report["first_broken_seq"], report["reason"]) == (
        False, 2, "row content changed")


def test_a_deleted_tail_is_caught_by_the_stored_checkpoint(world, app):
    _some_history(world)
    made = _cli(app, "audit-checkpoint")
    assert made.exit_code == 0, made.output
    checkpoint = json.loads(made.output)
    head = _head_seq()
    assert (checkpoint["seq"], checkpoint["count"]) == (head, head)
    assert world.regulator.get("/api/v1/audit/verify").json["checkpoint_seq"] == head
    _bypass_guards()
    db.session.execute(sa.text("DELETE FROM audit_events WHERE seq > :keep"), {"keep": head - 2})
    db.session.commit()
    report = world.regulator.get("/api/v1/audit/verify").json
    assert report == {"ok": False, "checked": head - 2, "first_broken_seq": head - 1,
                      "reason": "rows missing at the tail", "checkpoint_seq": head}
    result = _cli(app, "verify-audit")
    assert result.exit_code == 1
    assert f"seq {head - 1}: rows missing at the tail" in result.output
    assert f"checkpoint at seq {head}" in result.output


def test_an_emptied_log_is_caught_by_the_stored_checkpoint(world, app):
    _some_history(world, lots=1)
    assert _cli(app, "audit-checkpoint").exit_code == 0
    _bypass_guards()
    db.session.execute(sa.text("DELETE FROM audit_events"))
    db.session.commit()
    result = _cli(app, "verify-audit")
    assert result.exit_code == 1
    assert "seq 1: rows missing at the tail" in result.output


def test_a_rewritten_head_differs_from_the_checkpoint_even_with_the_key(world, app):
    """Whoever holds the key can re-digest a row, but not the checkpoint kept of it."""
    _some_history(world, lots=1)
    assert _cli(app, "audit-checkpoint").exit_code == 0
    from market.services.audit.chain import digest_of

    head = db.session.get(AuditEvent, db.session.scalar(
        sa.select(AuditEvent.id).order_by(AuditEvent.seq.desc()).limit(1)))
    _bypass_guards()
    head.details = json.dumps({"reason": "rewritten"})
    head.digest = digest_of(head)
    db.session.commit()
    report = world.regulator.get("/api/v1/audit/verify").json
    assert (report["ok"], report["first_broken_seq"], report["reason"]) == (
        False, head.seq, "row differs from the checkpoint")


def test_an_exported_checkpoint_catches_a_shortened_chain_and_its_hidden_checkpoints(
        world, app, tmp_path):
    _some_history(world)
    exported = tmp_path / "checkpoint.json"
    made = _cli(app, "audit-checkpoint", "--out", str(exported))
    assert made.exit_code == 0, made.output
    kept = json.loads(exported.read_text())
    assert kept == json.loads(made.output)
    assert set(kept) == {"seq", "digest", "count", "created_at"}
    world.trader("xinwu", "320214")           # the chain grows past the checkpoint: still fine
    result = _cli(app, "verify-audit", "--checkpoint", str(exported))
    assert result.exit_code == 0, result.output
    assert f"checkpoint at seq {kept['seq']}" in result.output
    # The attacker removes the tail and the stored checkpoints that would give it away.
    _bypass_guards()
    db.session.execute(sa.text("DELETE FROM audit_events WHERE seq >= :seq"),
                       {"seq": kept["seq"]})
    db.session.execute(sa.text("DELETE FROM audit_checkpoints"))
    db.session.commit()
    assert _cli(app, "verify-audit").exit_code == 0     # the database alone cannot tell
    result = _cli(app, "verify-audit", "--checkpoint", str(exported))
    assert result.exit_code == 1
    assert f"seq {kept['seq']}: rows missing at the tail" in result.output


def test_a_checkpoint_file_that_is_not_one_is_refused(app, db_session, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"seq": "x"}')
    result = _cli(app, "verify-audit", "--checkpoint", str(bad))
    assert result.exit_code == 2
    assert "not an audit checkpoint" in result.output


def test_the_scheduler_keeps_one_checkpoint_per_head(world, app):
    from market import scheduler

    _some_history(world, lots=1)
    [job] = [job for job in scheduler.JOBS if job.name == "audit-checkpoint"]
    first = scheduler.run_job(app, job)
    again = scheduler.run_job(app, job)
    assert first == again and first.seq == _head_seq()
    world.trader("xinwu", "320214")
    later = scheduler.run_job(app, job)
    assert later.seq > first.seq
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_checkpoints")) == 2


def test_a_checkpoint_is_refused_over_a_broken_chain(world, app):
    _some_history(world, lots=1)
    _bypass_guards()
    db.session.execute(sa.text("DELETE FROM audit_events WHERE seq = 2"))
    db.session.commit()
    result = _cli(app, "audit-checkpoint")
    assert result.exit_code == 1
    assert "no checkpoint written" in result.output
    assert db.session.scalar(sa.text("SELECT count(*) FROM audit_checkpoints")) == 0
