"""Failed logins: counted once for every worker and process, and blind to which names exist."""

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from market import create_app
from market.extensions import db
from market.services import identity
from market.services.identity import credentials
from models import LoginFailure
from tests.factories import PASSWORD

ROOT = Path(__file__).resolve().parents[2]
TOKEN_PATH = "/api/v1/auth/token"

# A login from a fresh interpreter: no memory it shares with this test process but the database.
OTHER_PROCESS = """
import sys
from market import create_app
app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": sys.argv[1], "REDIS_URL": None,
                  "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SECRET_KEY": "test"})
answer = app.test_client().post("/api/v1/auth/token",
                                json={"username": sys.argv[2], "password": "wrong-again"})
print(answer.status_code)
"""


def login(client, username, password):
    return client.post(TOKEN_PATH, json={"username": username, "password": password})


@pytest.fixture
def another_app(database, db_session):
    """Make more apps on the same database, as more gunicorn workers would be."""
    made = []

    def make(**overrides):
        made.append(create_app({
            "TESTING": True, "SQLALCHEMY_DATABASE_URI": database["url"], "REDIS_URL": None,
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000", "SECRET_KEY": "test", **overrides}))
        return made[-1]

    yield make
    # Before db_session's reset swaps the SQLite file: a worker still holding it open would
    # write its WAL back into the fresh copy.
    for worker in made:
        with worker.app_context():
            db.session.remove()
            db.engine.dispose()


def test_an_unknown_name_is_checked_against_a_hash_made_the_configured_way(app, world,
                                                                          monkeypatch):
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "pbkdf2:sha256:1234")
    compared = []
    check = credentials.check_password_hash
    monkeypatch.setattr(credentials, "check_password_hash",
                        lambda stored, given: compared.append(stored) or check(stored, given))
    identity.create_user(world.admin_user, {"username": "fresh", "password": PASSWORD,
                                            "role": "regulator"})
    assert login(world.client, "fresh", "wrong-password").status_code == 401
    assert login(world.client, "nobody", "wrong-password").status_code == 401
    assert login(world.client, "nobody-else", "wrong-password").status_code == 401
    known, unknown, unknown_again = (stored.split("$")[0] for stored in compared)
    assert known == unknown == "pbkdf2:sha256:1234"
    assert compared[1] == compared[2]  # made once per method, not at every miss
    assert unknown_again == unknown


@pytest.mark.parametrize("username", ["xinwu", "nobody"])
def test_failures_for_unknown_and_known_names_are_limited_alike(world, username):
    world.trader("xinwu", "320214")
    statuses = [login(world.client, username, f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [401] * 5
    limited = login(world.client, username, PASSWORD)
    assert limited.status_code == 429
    assert limited.json["error"]["code"] == "too_many_requests"
    assert limited.headers["Retry-After"] == "300"


def test_failures_spread_over_two_workers_and_a_process_count_once(another_app, database, world):
    world.trader("xinwu", "320214")
    second = another_app().test_client()
    statuses = [login(client, "xinwu", f"wrong-{n}").status_code
                for n, client in enumerate([world.client, second] * 2 + [world.client])]
    assert statuses == [401] * 5
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 5
    assert login(second, "xinwu", PASSWORD).status_code == 429
    assert login(world.client, "xinwu", PASSWORD).status_code == 429
    other = subprocess.run([sys.executable, "-c", OTHER_PROCESS, database["url"], "xinwu"],
                           cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert other.stdout.strip().splitlines()[-1:] == ["429"], other.stderr[-2000:]


def test_stale_failures_are_pruned_and_no_longer_count(app, world, monkeypatch):
    world.trader("xinwu", "320214")
    for n in range(5):
        assert login(world.client, "xinwu", f"wrong-{n}").status_code == 401
    failures = db.session.scalars(select(LoginFailure)).all()
    for failure in failures:
        failure.at = failure.at.replace(year=failure.at.year - 1)
    db.session.commit()
    assert login(world.client, "xinwu", "wrong-again").status_code == 401
    db.session.expire_all()
    assert len(db.session.scalars(select(LoginFailure)).all()) == 1  # the old five are gone
    assert login(world.client, "xinwu", PASSWORD).status_code == 201


@pytest.fixture
def redis_url():
    """The Redis the tests may use; under CI an unreachable one fails instead of skipping."""
    url = os.environ.get("TEST_REDIS_URL") or "redis://127.0.0.1:6379/0"
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.ping()
    except redis.RedisError as error:
        if os.environ.get("CI"):
            pytest.fail(f"CI needs Redis at {url}: {error}")
        pytest.skip(f"no Redis at {url}")
    prefix = f"market-test:{uuid.uuid4().hex}:"
    yield url, prefix, client
    for key in client.scan_iter(match=f"{prefix}*"):
        client.delete(key)
    client.close()


def test_with_redis_url_failures_count_in_redis_across_workers(another_app, world, redis_url):
    url, prefix, client = redis_url
    world.trader("xinwu", "320214")
    workers = [another_app(REDIS_URL=url, LOGIN_FAILURE_KEY_PREFIX=prefix)
               .test_client() for _ in range(2)]
    statuses = [login(workers[n % 2], "xinwu", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [401] * 5
    assert db.session.scalar(select(func.count()).select_from(LoginFailure)) == 0
    [key] = client.keys(f"{prefix}*")
    assert client.zcard(key) == 5 and 0 < client.ttl(key) <= 300
    assert [login(worker, "xinwu", PASSWORD).status_code for worker in workers] == [429, 429]
    # the default database counter of the suite's own app saw none of it
    assert login(world.client, "xinwu", PASSWORD).status_code == 201


def test_logins_wait_with_a_503_while_redis_is_away(another_app, world):
    away = another_app(REDIS_URL="redis://127.0.0.1:1/0")
    with away.app_context():
        answer = away.test_client().post("/api/v1/auth/token",
                                         json={"username": "admin", "password": "wrong"})
    assert (answer.status_code, answer.json["error"]["code"]) == (503, "login_limits_unavailable")
