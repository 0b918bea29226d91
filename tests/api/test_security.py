"""Secrets and headers: no known signing key, no sniffed responses, no cached tokens."""

import os
import stat
import subprocess
import sys
from pathlib import Path

from market import create_app
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]


def test_the_app_refuses_to_start_without_a_secret(tmp_path):
    env = {name: value for name, value in os.environ.items()
           if name not in ("SECRET_KEY", "AUDIT_KEY")}
    env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'market.db'}"
    started = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=60)
    assert started.returncode != 0
    assert "SECRET_KEY is not set" in started.stderr


def test_the_audit_key_is_derived_from_the_secret_unless_given(tmp_path):
    def audit_key(**settings):
        return create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'x.db'}",
                           **settings}).config["AUDIT_KEY"]

    derived = audit_key(SECRET_KEY="one")
    assert derived not in ("", "one")
    assert derived == audit_key(SECRET_KEY="one") != audit_key(SECRET_KEY="two")
    assert audit_key(SECRET_KEY="one", AUDIT_KEY="kept-apart") == "kept-apart"


def test_the_demo_secret_is_made_once_and_kept_private(tmp_path):
    path = tmp_path / "instance" / "secret_key"

    def secret():
        made = subprocess.run(["scripts/secret_key.sh", str(path)], cwd=ROOT,
                              capture_output=True, text=True, timeout=30)
        assert made.returncode == 0, made.stderr
        return made.stdout.strip()

    first = secret()
    assert len(first) == 64 and int(first, 16)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert secret() == first


def test_every_response_says_nosniff(client):
    for path in ("/api/v1/openapi.json", "/api/v1/accounts/me", "/login", "/no-such-page"):
        assert client.get(path).headers["X-Content-Type-Options"] == "nosniff", path


def test_the_token_response_is_never_cached(world):
    response = world.client.post("/api/v1/auth/token",
                                 json={"username": "regulator", "password": PASSWORD})
    assert response.status_code == 201
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
