"""Logs: one JSON line per request and per job run, a request id end to end, no secrets."""

import json
import logging

import pytest

from market import scheduler
from market.jobs import JOBS
from tests.factories import PASSWORD
from tests.web.conftest import Browser


def lines(captured: str) -> list[dict]:
    """The JSON objects among the captured stderr lines."""
    return [json.loads(line) for line in captured.splitlines() if line.startswith("{")]


def request_lines(capsys) -> list[dict]:
    return [line for line in lines(capsys.readouterr().err) if line.get("event") == "request"]


def test_one_json_line_per_request_with_the_rule_status_duration_and_user(world, capsys):
    buyer = world.trader("xinwu", "320214")
    capsys.readouterr()
    response = buyer.get("/api/v1/orders/424242?secret=no")
    assert response.status_code == 404
    [line] = request_lines(capsys)
    assert line["method"] == "GET"
    assert line["path"] == "/api/v1/orders/<int:order_id>"  # the rule: no ids, no query
    assert line["status"] == 404
    assert isinstance(line["duration_ms"], int | float)
    assert line["user_id"] == buyer.user.id
    assert line["request_id"] == response.headers["X-Request-ID"]
    assert len(line["request_id"]) == 32
    assert line["level"] == "info" and line["ts"].endswith("Z")


def test_a_callers_request_id_is_kept_sanitised_and_bounded(client, capsys):
    kept = client.get("/healthz", headers={"X-Request-ID": "lb-7f3a.01:ab_c"})
    assert kept.headers["X-Request-ID"] == "lb-7f3a.01:ab_c"
    forged = client.get("/healthz", headers={"X-Request-ID": 'x"}\t{"level":"<b>' + "9" * 100})
    assert forged.headers["X-Request-ID"] == ("xlevel:b" + "9" * 100)[:64]
    junk = client.get("/healthz", headers={"X-Request-ID": "\"' <>{}"})
    assert len(junk.headers["X-Request-ID"]) == 32  # nothing usable: a fresh one


def test_audit_rows_carry_the_request_id_outside_the_digest(world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller)
    freeze = world.regulator.post(f"/api/v1/lots/{serial}/freeze", json={"reason": "核查"},
                                  headers={"X-Request-ID": "desk-42"})
    assert freeze.status_code == 200, freeze.json
    events = world.regulator.get("/api/v1/audit", query_string={"target_id": serial}).json
    assert [(e["action"], e["request_id"]) for e in events] == [
        ("lot.freeze", "desk-42"), ("lot.verify", None), ("lot.register", None)]
    assert world.regulator.get("/api/v1/audit/verify").json["ok"] is True


def test_a_job_run_is_one_json_line_and_its_audit_rows_carry_its_run_id(app, db_session,
                                                                        capsys):
    capsys.readouterr()
    scheduler.run_job(app, JOBS[0])
    [line] = [entry for entry in lines(capsys.readouterr().err) if entry["event"] == "job"]
    assert (line["job"], line["status"]) == (JOBS[0].name, "ok")
    assert line["request_id"].startswith("job-")
    assert line["duration_ms"] >= 0


def test_a_failed_job_logs_its_traceback_in_the_same_line(app, db_session, capsys):
    import dataclasses

    def broken():
        raise RuntimeError("the job broke")

    capsys.readouterr()
    scheduler.run_job(app, dataclasses.replace(JOBS[0], run=broken))
    [line] = [entry for entry in lines(capsys.readouterr().err) if entry["event"] == "job"]
    assert (line["status"], line["level"]) == ("failed", "error")
    assert "RuntimeError: the job broke" in line["exception"]


@pytest.fixture
def everything_logged(caplog):
    """Every logger at DEBUG, SQLAlchemy's statements and parameters too."""
    caplog.set_level(logging.DEBUG)
    # SQLAlchemy pins its own logger at WARN; an operator debugging queries would lift it.
    caplog.set_level(logging.DEBUG, logger="sqlalchemy.engine")
    return caplog


def test_no_password_token_or_session_cookie_is_ever_logged(app, world, everything_logged,
                                                            capsys):
    wrong = "wrong-" + PASSWORD
    # The API: a failed and a good login, then requests with the token.
    assert world.client.post("/api/v1/auth/token", json={
        "username": "regulator", "password": wrong}).status_code == 401
    issued = world.client.post("/api/v1/auth/token", json={
        "username": "regulator", "password": PASSWORD})
    token = issued.json["token"]
    headers = {"Authorization": f"Bearer {token}"}
    assert world.client.get("/api/v1/audit", headers=headers).status_code == 200
    assert world.client.delete("/api/v1/auth/token", headers=headers).status_code == 204
    # The pages: a session login, a page with the cookie, logout.
    browser = Browser(app)
    assert browser.login("regulator", wrong).status_code == 401
    assert browser.login("regulator").status_code == 302
    cookie = browser.client.get_cookie("session").value
    assert browser.get("/desk/audit").status_code == 200

    logged = capsys.readouterr().err + "\n".join(
        f"{record.getMessage()} {record.__dict__}" for record in everything_logged.records)
    assert logged.count('"event": "request"') >= 6, "the requests were logged"
    for secret in (PASSWORD, wrong, token, cookie):
        assert len(secret) >= 16
        assert secret not in logged
