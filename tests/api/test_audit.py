"""The audit log: append-only, hash-chained, verifiable from the API and the CLI."""

import pytest
import sqlalchemy as sa

from market.extensions import db


def _drop_guard():
    """Remove the append-only triggers, as an attacker with database access would."""
    if db.engine.dialect.name == "postgresql":
        db.session.execute(sa.text("ALTER TABLE audit_events DISABLE TRIGGER USER"))
    else:
        db.session.execute(sa.text("DROP TRIGGER audit_events_no_update"))
        db.session.execute(sa.text("DROP TRIGGER audit_events_no_delete"))


def _restore_guard():
    """PostgreSQL keeps the database between tests; SQLite's file is restored anyway."""
    if db.engine.dialect.name == "postgresql":
        db.session.rollback()
        db.session.execute(sa.text("ALTER TABLE audit_events ENABLE TRIGGER USER"))
        db.session.commit()


def test_every_act_of_a_person_is_in_the_log_newest_first(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller)
    world.regulator.post(f"/api/v1/lots/{serial}/freeze", json={"reason": "核查"})
    events = world.regulator.get("/api/v1/audit", query_string={"target_id": serial}).json
    assert [e["action"] for e in events] == ["lot.freeze", "lot.verify", "lot.register"]
    assert events[0]["actor"] == "regulator"
    assert events[0]["details"] == {"reason": "核查"}
    assert events[0]["prev_digest"] == events[1]["digest"]
    assert seller.get("/api/v1/audit").status_code == 403


def test_the_database_refuses_to_update_or_delete_audit_rows(world):
    world.trader("yixing", "320282")
    for statement in ("UPDATE audit_events SET actor = 'mallory'", "DELETE FROM audit_events"):
        with pytest.raises(sa.exc.DatabaseError):
            db.session.execute(sa.text(statement))
        db.session.rollback()


def test_verification_names_the_first_tampered_row(world, app):
    seller = world.trader("yixing", "320282")
    world.lot(seller)
    assert world.regulator.get("/api/v1/audit/verify").json["ok"] is True
    _drop_guard()
    db.session.execute(sa.text(
        "UPDATE audit_events SET details = '{\"quantity\": \"9999\"}' WHERE seq = 3"))
    db.session.commit()
    try:
        report = world.regulator.get("/api/v1/audit/verify").json
        assert report == {"ok": False, "checked": 2, "first_broken_seq": 3,
                          "reason": "row content changed", "checkpoint_seq": None}
        result = app.test_cli_runner().invoke(args=["verify-audit"])
        assert result.exit_code == 1
        assert "seq 3" in result.output
    finally:
        _restore_guard()


def test_a_deleted_row_breaks_the_chain_at_its_place(world):
    seller = world.trader("yixing", "320282")
    world.lot(seller)
    _drop_guard()
    db.session.execute(sa.text("DELETE FROM audit_events WHERE seq = 2"))
    db.session.commit()
    try:
        report = world.regulator.get("/api/v1/audit/verify").json
        assert (report["ok"], report["first_broken_seq"], report["reason"]) == (
            False, 2, "row missing")
    finally:
        _restore_guard()
