"""Production settings are checked at start-up: an unsafe one refuses to serve, saying why."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from market import create_app
from market.config import UnsafeConfiguration, check_production
from market.extensions import db

ROOT = Path(__file__).resolve().parents[2]
SAFE = {
    "MARKET_ENV": "production",
    "SQLALCHEMY_DATABASE_URI": "postgresql://market@db.internal/market",
    "SECRET_KEY": "k" * 48,
    "SESSION_COOKIE_SECURE": True,
    "METRICS_TOKEN": "m" * 40,
    "DEBUG": False,
    "TESTING": False,
}


def test_development_is_not_checked():
    assert check_production({"MARKET_ENV": "development", "SECRET_KEY": "dev-only-not-secret",
                             "SQLALCHEMY_DATABASE_URI": "sqlite:///x.db"}) == []


def test_a_safe_production_configuration_passes():
    assert check_production(SAFE) == []
    assert check_production({**SAFE, "METRICS_TOKEN": None}) == []  # no metrics at all


@pytest.mark.parametrize(("change", "named"), [
    ({"SQLALCHEMY_DATABASE_URI": "sqlite:////srv/market.db"}, "DATABASE_URL is SQLite"),
    ({"SECRET_KEY": "dev-only-not-secret"}, "SECRET_KEY"),
    ({"SECRET_KEY": "short"}, "SECRET_KEY"),
    ({"SECRET_KEY": None}, "SECRET_KEY"),
    ({"SESSION_COOKIE_SECURE": False}, "SESSION_COOKIE_SECURE"),
    ({"METRICS_TOKEN": "guessable"}, "METRICS_TOKEN"),
    ({"DEBUG": True}, "DEBUG"),
])
def test_each_unsafe_setting_is_named(change, named):
    [problem] = check_production({**SAFE, **change})
    assert named in problem


def test_an_unknown_environment_is_refused():
    assert "MARKET_ENV" in check_production({**SAFE, "MARKET_ENV": "prod"})[0]


def test_create_app_refuses_to_start_and_lists_every_reason():
    with pytest.raises(UnsafeConfiguration) as refused:
        create_app({"MARKET_ENV": "production", "SQLALCHEMY_DATABASE_URI": "sqlite:///x.db",
                    "SECRET_KEY": "dev-only-not-secret"})
    message = str(refused.value)
    for name in ("DATABASE_URL", "SECRET_KEY", "SESSION_COOKIE_SECURE"):
        assert name in message


def test_the_wsgi_entry_point_exits_with_the_reasons():
    env = {key: value for key, value in os.environ.items()
           if key not in ("DATABASE_URL", "SECRET_KEY", "SESSION_COOKIE_SECURE")}
    env["MARKET_ENV"] = "production"
    result = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert "refusing to start with MARKET_ENV=production" in result.stderr
    assert "DATABASE_URL is SQLite" in result.stderr


def test_behind_a_trusted_proxy_the_client_address_comes_from_x_forwarded_for(app, world):
    behind = create_app({**app.config, "TRUSTED_PROXIES": 1})
    forwarded = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    for client in (world.client, behind.test_client()):
        client.post("/api/v1/auth/token", json={"username": "nobody", "password": "x" * 12},
                    headers=forwarded)
    events = world.regulator.get("/api/v1/audit",
                                 query_string={"action": "auth.login_failed"}).json
    # Newest first: the app behind one proxy believes it; the default app does not.
    assert [event["details"]["remote_addr"] for event in events] == ["203.0.113.9",
                                                                     "127.0.0.1"]
    # Let go of the shared database before the next test's reset swaps the SQLite files.
    with behind.app_context():
        db.engine.dispose()
