"""Failed logins, counted once for every worker and process: in Redis or in the database.

A failure counts against its address and user name together, whether or not the user exists,
so the limit reveals nothing about which names are real and one user cannot lock out another.
Windows slide: a failure counts for exactly the window's length after it happened.

The check (before the password is verified) and the record (after) are not one atomic step, so
a burst of concurrent guesses can pass the limit by at most the number of logins in flight at
that moment (workers × threads). That is enough for a rate limit, and it keeps a successful
login free of writes.
"""

import math
import uuid
from contextlib import contextmanager
from datetime import datetime, timedelta
from functools import lru_cache

import redis
from flask import Flask, current_app
from limits import RateLimitItem, parse_many
from sqlalchemy import delete, func, select

from market.errors import DomainError, TooManyAttempts
from market.extensions import db
from models import LoginFailure
from models.base import utcnow

EXTENSION = "market.login_failures"
# Old rows go a batch per new failure, which outpaces the one row each failure adds.
PRUNE_BATCH = 100


class DatabaseFailures:
    """Failures as (key, at) rows in the database every worker shares."""

    def count_since(self, key: str, since: datetime) -> int:
        """Failures of `key` after `since`."""
        return db.session.scalar(select(func.count()).select_from(LoginFailure).where(
            LoginFailure.key == key, LoginFailure.at > since))

    def add(self, key: str, at: datetime, keep_for: timedelta) -> None:
        """Add a failure in the caller's transaction and prune a batch of stale ones."""
        db.session.add(LoginFailure(key=key, at=at))
        # SKIP LOCKED (PostgreSQL; SQLite has one writer anyway): two workers pruning at once
        # take different rows instead of waiting on, or deadlocking with, each other.
        stale = (select(LoginFailure.id).where(LoginFailure.at < at - keep_for)
                 .limit(PRUNE_BATCH).with_for_update(skip_locked=True))
        db.session.execute(delete(LoginFailure).where(LoginFailure.id.in_(stale)),
                           execution_options={"synchronize_session": False})


class RedisFailures:
    """Failures as one sorted set per key (scored by time) that expires with its window."""

    def __init__(self, url: str, prefix: str):
        self.client = redis.Redis.from_url(url)
        self.prefix = prefix

    def count_since(self, key: str, since: datetime) -> int:
        """Failures of `key` after `since`."""
        with _redis_or_503():
            return self.client.zcount(self.prefix + key, f"({since.timestamp()}", "+inf")

    def add(self, key: str, at: datetime, keep_for: timedelta) -> None:
        """Add a failure, drop the stale ones and push the set's expiry out."""
        name, score = self.prefix + key, at.timestamp()
        with _redis_or_503():
            pipe = self.client.pipeline(transaction=True)
            pipe.zadd(name, {f"{score:.6f}:{uuid.uuid4().hex}": score})
            pipe.zremrangebyscore(name, "-inf", score - keep_for.total_seconds())
            pipe.expire(name, math.ceil(keep_for.total_seconds()))
            pipe.execute()


@contextmanager
def _redis_or_503():
    # Logins are not let through unlimited while Redis is away; they wait for it (503).
    try:
        yield
    except redis.RedisError as error:
        raise DomainError("login_limits_unavailable",
                          "the login limit store is unavailable; retry shortly",
                          status=503) from error


def init_app(app: Flask) -> None:
    """Count this app's failed logins in Redis when REDIS_URL is set, else in the database."""
    url = app.config.get("REDIS_URL")
    app.extensions[EXTENSION] = (RedisFailures(url, app.config["LOGIN_FAILURE_KEY_PREFIX"])
                                 if url else DatabaseFailures())


def failure_key(remote_addr: str | None, username: str) -> str:
    """What a failure counts against: the address and the user name together."""
    return f"{(remote_addr or '-')[:64]}|{username[:64]}"


@lru_cache(maxsize=8)
def _parsed(setting: str) -> tuple[RateLimitItem, ...]:
    # The same notation Flask-Limiter read ("5 per 5 minutes", "5/minute;20/hour").
    return tuple(parse_many(setting))


def _limits() -> tuple[RateLimitItem, ...]:
    return _parsed(current_app.config["LOGIN_FAILURE_LIMIT"])


def refuse_if_limited(key: str) -> None:
    """Raise TooManyAttempts (429) if `key` has used up any of its limits."""
    store, now = current_app.extensions[EXTENSION], utcnow()
    for limit in _limits():
        if store.count_since(key, now - timedelta(seconds=limit.get_expiry())) >= limit.amount:
            raise TooManyAttempts(retry_after=limit.get_expiry())


def record_failure(key: str) -> None:
    """Count one failed login (a part: in the database it joins the caller's transaction)."""
    keep_for = timedelta(seconds=max(limit.get_expiry() for limit in _limits()))
    current_app.extensions[EXTENSION].add(key, utcnow(), keep_for)
