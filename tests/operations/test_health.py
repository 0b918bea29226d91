"""Liveness and readiness: no login, each check reported, 503 when one fails, no secrets."""

from datetime import timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa
from alembic.script import ScriptDirectory

from market import create_app, scheduler
from market.jobs import JOBS
from market.services import operations
from models.base import utcnow

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations"
[HEAD] = ScriptDirectory(str(MIGRATIONS)).get_heads()


def _beat(minutes_ago: float = 0) -> None:
    operations.record_job_run("expire-gtd-orders", "ok", utcnow() - timedelta(minutes=minutes_ago),
                              5)


def test_healthz_answers_without_a_database(tmp_path):
    app = create_app({"SQLALCHEMY_DATABASE_URI":
                      f"sqlite:///{tmp_path}/no/such/dir/market.db", "SECRET_KEY": "test"})
    response = app.test_client().get("/healthz")
    assert (response.status_code, response.json) == (200, {"status": "ok"})


def test_readyz_is_ready_when_migrated_and_the_scheduler_beats(client, db_session):
    _beat()
    response = client.get("/readyz")
    assert response.status_code == 200, response.json
    body = response.json
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "migrations", "scheduler"}
    assert all(check["ok"] for check in body["checks"].values())
    assert body["checks"]["migrations"]["revision"] == body["checks"]["migrations"]["head"]
    assert body["checks"]["scheduler"]["age_seconds"] <= 2


def test_a_scheduler_run_is_the_heartbeat(client, db_session, app):
    assert client.get("/readyz").json["checks"]["scheduler"] == {
        "ok": False, "error": "no scheduler job has run yet (flask scheduler)"}
    scheduler.run_job(app, JOBS[0])
    assert client.get("/readyz").status_code == 200


def test_a_stale_heartbeat_makes_the_host_not_ready(client, db_session, app):
    _beat(minutes_ago=10)
    response = client.get("/readyz")
    assert response.status_code == 503
    check = response.json["checks"]["scheduler"]
    assert (check["ok"], check["max_age_seconds"]) == (False, 180)
    assert check["age_seconds"] >= 600
    assert response.json["checks"]["database"]["ok"] is True


def test_the_scheduler_check_can_be_turned_off(client, db_session, app, monkeypatch):
    monkeypatch.setitem(app.config, "SCHEDULER_HEARTBEAT_MAX_AGE", 0)
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json["checks"]["scheduler"] == {"ok": True, "checked": False}


def test_a_database_behind_the_migrations_is_not_ready(client, db_session):
    _beat()
    # alembic_version survives the reset between tests, so it is put back here.
    db_session.execute(sa.text("UPDATE alembic_version SET version_num = '0001'"))
    db_session.commit()
    try:
        response = client.get("/readyz")
    finally:
        db_session.execute(sa.text("UPDATE alembic_version SET version_num = :head"),
                           {"head": HEAD})
        db_session.commit()
    assert response.status_code == 503
    check = response.json["checks"]["migrations"]
    assert (check["ok"], check["revision"], check["head"]) == (False, "0001", HEAD)
    assert "flask db upgrade" in check["error"]


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_an_unreachable_database_is_not_ready_and_the_answer_names_no_secret(tmp_path, path):
    url = "postgresql://market:s3cret-pw@127.0.0.1:1/market?connect_timeout=1"
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "test"})
    response = app.test_client().get(path)
    text = response.get_data(as_text=True)
    assert "s3cret-pw" not in text and "market:" not in text
    if path == "/readyz":
        assert response.status_code == 503
        checks = response.json["checks"]
        assert checks["database"]["ok"] is False
        assert "unreachable" in checks["database"]["error"]
        assert not checks["migrations"]["ok"] and not checks["scheduler"]["ok"]
    else:
        assert response.status_code == 200
