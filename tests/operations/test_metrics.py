"""The Prometheus scrape: hidden without METRICS_TOKEN, and the figures operators watch."""

import dataclasses
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from prometheus_client import REGISTRY
from prometheus_client.parser import text_string_to_metric_families

from market import scheduler
from market.jobs import JOBS
from tests.factories import PASSWORD

TOKEN = "metrics-token-for-the-tests-0123456789"
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def metrics_on(app, monkeypatch):
    monkeypatch.setitem(app.config, "METRICS_TOKEN", TOKEN)


def scrape(client) -> dict[tuple, float]:
    """The scrape as {(sample name, sorted labels): value}."""
    response = client.get("/metrics", headers={"Authorization": f"Bearer {TOKEN}"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.content_type.startswith("text/plain")
    return {(sample.name, tuple(sorted(sample.labels.items()))): sample.value
            for family in text_string_to_metric_families(response.get_data(as_text=True))
            for sample in family.samples}


def counted(name: str, **labels) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def order(side, price, quantity, cid, **extra):
    return {"instrument": "FO-QTY", "side": side, "price": price, "quantity": quantity,
            "client_order_id": cid, **extra}


def test_without_a_token_there_are_no_metrics(client):
    assert client.get("/metrics").status_code == 404


def test_only_the_bearer_of_the_token_may_scrape(client, metrics_on):
    assert client.get("/metrics").status_code == 401
    wrong = client.get("/metrics", headers={"Authorization": "Bearer not-the-token"})
    assert wrong.status_code == 401
    assert wrong.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/metrics", headers={"Authorization": f"Basic {TOKEN}"}).status_code == 401
    assert ("market_database_up", ()) in scrape(client)


def test_requests_are_counted_by_url_rule_and_status(world, metrics_on):
    buyer = world.trader("xinwu", "320214")
    labels = {"method": "GET", "endpoint": "/api/v1/orders/<int:order_id>", "status": "404"}
    before = counted("market_http_requests_total", **labels)
    for order_id in (987654, 987655):
        assert buyer.get(f"/api/v1/orders/{order_id}").status_code == 404
    assert counted("market_http_requests_total", **labels) == before + 2
    samples = scrape(world.client)
    assert samples[("market_http_requests_total", tuple(sorted(labels.items())))] >= 2
    assert not any("987654" in str(key) for key in samples)
    latency = ("market_http_request_duration_seconds_count",
               (("endpoint", labels["endpoint"]), ("method", "GET")))
    assert samples[latency] >= 2


def test_orders_placed_filled_rejected_and_settlements_pending(world, metrics_on, app):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, quantity="50")
    before = {name: counted(name, instrument="FO-QTY") for name in (
        "market_orders_placed_total", "market_orders_filled_total", "market_trades_total")}
    rejected_before = counted("market_orders_rejected_total", instrument="FO-QTY",
                              reason="insufficient_funds")
    assert seller.post("/api/v1/orders", json=order("sell", "300000.00", "2", "s1",
                                                    lot_serial=serial)).status_code == 201
    assert buyer.post("/api/v1/orders", json=order("buy", "300000.00", "2", "b1")).json[
        "order"]["status"] == "filled"
    assert buyer.post("/api/v1/orders", json=order("buy", "300000.00", "2", "b1")).status_code \
        == 200  # a replay is no new order
    refused = buyer.post("/api/v1/orders", json=order("buy", "300000.00", "500", "b2"))
    assert refused.json["error"]["code"] == "insufficient_funds"

    assert counted("market_orders_placed_total", instrument="FO-QTY") == \
        before["market_orders_placed_total"] + 2
    assert counted("market_orders_filled_total", instrument="FO-QTY") == \
        before["market_orders_filled_total"] + 2  # the maker and the taker
    assert counted("market_trades_total", instrument="FO-QTY") == \
        before["market_trades_total"] + 1
    assert counted("market_orders_rejected_total", instrument="FO-QTY",
                   reason="insufficient_funds") == rejected_before + 1

    samples = scrape(world.client)
    assert samples[("market_settlements", (("state", "pending"),))] == 1
    assert samples[("market_settlements", (("state", "overdue"),))] == 0


def test_scheduler_runs_and_failures_come_from_the_heartbeat_table(client, metrics_on, app):
    job = JOBS[0]
    scheduler.run_job(app, job)

    def broken():
        raise RuntimeError("boom")

    scheduler.run_job(app, dataclasses.replace(job, run=broken))
    samples = scrape(client)
    assert samples[("market_scheduler_job_runs_total", (("job", job.name),))] == 2
    assert samples[("market_scheduler_job_failures_total", (("job", job.name),))] == 1
    assert samples[("market_scheduler_job_last_run_age_seconds", (("job", job.name),))] < 60


def test_failed_logins_are_counted(world, metrics_on):
    before = counted("market_failed_logins_total", via="api", reason="credentials")
    response = world.client.post("/api/v1/auth/token",
                                 json={"username": "admin", "password": PASSWORD + "x"})
    assert response.status_code == 401
    assert counted("market_failed_logins_total", via="api", reason="credentials") == before + 1


def test_gunicorn_workers_share_their_counters_through_the_multiprocess_directory(tmp_path):
    # A fresh interpreter: prometheus_client picks its multiprocess mode at import.
    script = textwrap.dedent(f"""
        from market import create_app
        app = create_app({{"SQLALCHEMY_DATABASE_URI": "sqlite:///{tmp_path}/m.db",
                          "METRICS_TOKEN": "{TOKEN}", "SECRET_KEY": "test"}})
        client = app.test_client()
        for _ in range(3):
            client.get("/healthz")
        print(client.get("/metrics", headers={{"Authorization": "Bearer {TOKEN}"}})
              .get_data(as_text=True))
    """)
    directory = tmp_path / "prometheus"
    directory.mkdir()
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert list(directory.glob("counter_*.db")), "the counters went to the shared directory"
    assert 'market_http_requests_total{endpoint="/healthz",method="GET",status="200"} 3.0' \
        in result.stdout
    assert "market_database_up 0.0" in result.stdout  # no schema there, and it says so


def test_the_audit_checkpoint_age_appears_once_there_is_a_checkpoint(world, client, metrics_on,
                                                                     app):
    assert ("market_audit_checkpoint_age_seconds", ()) not in scrape(client)
    assert app.test_cli_runner().invoke(args=["audit-checkpoint"]).exit_code == 0
    assert 0 <= scrape(client)[("market_audit_checkpoint_age_seconds", ())] < 60
