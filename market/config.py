"""Configuration from the environment, with safe defaults for the one-command demo."""

import hashlib
import hmac
import os
from pathlib import Path

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


DEV_SECRET_KEY = "dev-only-not-secret"
MIN_SECRET_LENGTH = 32
ENVIRONMENTS = ("development", "production")


class UnsafeConfiguration(RuntimeError):
    """The settings are not fit for production; the message lists every reason."""


def database_url() -> str:
    """DATABASE_URL, or an embedded SQLite file under instance/ for the demo."""
    return os.environ.get("DATABASE_URL") or f"sqlite:///{INSTANCE_DIR / 'market.db'}"


class Config:
    """Settings read once at app creation; tests override them through create_app(overrides)."""

    # No fallback: a known key would let anyone forge a session (create_app refuses to start
    # without one outside tests). scripts/run.sh makes one for the demo in instance/.
    SECRET_KEY = os.environ.get("SECRET_KEY")
    # Keys the audit chain's digests; derived from SECRET_KEY when unset (see require_secrets).
    AUDIT_KEY = os.environ.get("AUDIT_KEY")
    # Signs certificates' facts (market/services/certificates/); derived from SECRET_KEY when
    # unset. Set it explicitly in production, so rotating SECRET_KEY keeps them verifying.
    CERTIFICATE_KEY = os.environ.get("CERTIFICATE_KEY")
    # The public certificate endpoints (no login) per client address.
    CERTIFICATE_RATE_LIMIT = os.environ.get("CERTIFICATE_RATE_LIMIT", "60 per minute")
    # development (the default: the demo and the tests) or production, which refuses unsafe
    # settings at start-up (check_production below).
    MARKET_ENV = os.environ.get("MARKET_ENV", "development")
    # CSRF tokens guard the forms; SameSite keeps the session cookie off cross-site requests
    # too. Set SESSION_COOKIE_SECURE=1 behind TLS.
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE") == "1"
    SQLALCHEMY_DATABASE_URI = database_url()
    # A connection the server dropped (restart, failover, idle timeout, a killed backend) is
    # found when it leaves the pool and replaced, instead of failing a request: by a ping, or
    # on PostgreSQL by its socket (market/db_liveness.py: no round trip per request).
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    # How orders are matched. "inline" (the default, and the only choice on SQLite): each
    # request matches under its instrument's row lock. "writer": requests send commands to
    # the order writer (`flask order-writer`, PostgreSQL), which keeps the books in memory
    # and commits in batches; a request waits ORDER_WRITER_TIMEOUT seconds for its answer.
    ORDER_WRITER = os.environ.get("ORDER_WRITER", "inline")
    ORDER_WRITER_TIMEOUT = int(os.environ.get("ORDER_WRITER_TIMEOUT", "5"))  # whole seconds
    # The writer's own Prometheus exporter (unauthenticated, so loopback by default); unset,
    # none is started.
    ORDER_WRITER_METRICS_PORT = int(os.environ.get("ORDER_WRITER_METRICS_PORT") or 0) or None
    ORDER_WRITER_METRICS_ADDRESS = os.environ.get("ORDER_WRITER_METRICS_ADDRESS", "127.0.0.1")
    TOKEN_TTL_HOURS = int(os.environ.get("TOKEN_TTL_HOURS", "12"))
    # scrypt is the production default; tests use a cheap method to stay fast.
    PASSWORD_HASH_METHOD = os.environ.get("PASSWORD_HASH_METHOD", "scrypt")
    # Failed logins count per address and user name, once for every worker and process: in
    # Redis when REDIS_URL is set, else in the database (services/identity/login_failures.py).
    REDIS_URL = os.environ.get("REDIS_URL") or None
    LOGIN_FAILURE_LIMIT = os.environ.get("LOGIN_FAILURE_LIMIT", "5 per 5 minutes")
    LOGIN_FAILURE_KEY_PREFIX = "market:login-failures:"
    # Flask-Limiter stays bound for any other limit; its storage is per limiter, not per app.
    RATELIMIT_STORAGE_URI = REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    JSON_SORT_KEYS = False
    # The largest request body read (413 beyond): orders and forms are a few hundred bytes.
    # A route that takes files sets its own with market.request_guard.body_limit.
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", str(4 * 1024 * 1024)))
    # Lot evidence (acceptance documents) is kept on disk here, each file named by its SHA-256.
    EVIDENCE_DIR = os.environ.get("EVIDENCE_DIR") or str(INSTANCE_DIR / "evidence")
    # Request JSON deeper than this is refused before it reaches a schema (none nests past 3).
    JSON_MAX_DEPTH = int(os.environ.get("JSON_MAX_DEPTH", "32"))
    # /metrics answers only a bearer of this token; unset, it is not there at all (404).
    METRICS_TOKEN = os.environ.get("METRICS_TOKEN") or None
    LOG_LEVEL = os.environ.get("LOG_LEVEL", "INFO")
    LOG_FORMAT = os.environ.get("LOG_FORMAT", "json")  # or "text" for a person at a terminal
    # /readyz fails when no scheduler job has run for this long (0: no scheduler check). The
    # shortest job interval is 15 s and the longest 60 s, so 180 s is three missed minutes.
    SCHEDULER_HEARTBEAT_MAX_AGE = int(os.environ.get("SCHEDULER_HEARTBEAT_MAX_AGE", "180"))
    BACKUP_DIR = os.environ.get("BACKUP_DIR") or str(INSTANCE_DIR / "backups")
    # How many proxies (load balancer, TLS terminator) stand before gunicorn. Their
    # X-Forwarded-For/-Proto then give the client's address (failed-login counting, audit)
    # and scheme; 0 trusts no such header, since any client could send one.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))

    API_TITLE = "Indicator market API"
    API_VERSION = "v1"
    OPENAPI_VERSION = "3.0.3"
    OPENAPI_URL_PREFIX = "/api/v1"
    OPENAPI_JSON_PATH = "openapi.json"
    OPENAPI_SWAGGER_UI_PATH = "docs"
    # Served by the app itself (market/api/docs.py), never from a CDN.
    OPENAPI_SWAGGER_UI_URL = "/api/v1/docs/assets/"
    API_SPEC_OPTIONS = {
        "components": {
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}}
        },
        "security": [{"bearerAuth": []}],
        "info": {
            "description": "Land and ecology indicator market: registry, ledger and audit. "
            "Money and quantities travel as decimal strings; errors are "
            '`{"error": {"code", "message", "fields"}}`.'
        },
    }


def require_secrets(config) -> None:
    """Refuse to run without SECRET_KEY (outside tests); derive AUDIT_KEY from it if unset."""
    secret = config.get("SECRET_KEY")
    if not secret and not config.get("TESTING"):
        raise RuntimeError(
            "SECRET_KEY is not set: sessions would be signed with no secret. Set SECRET_KEY "
            "to a long random value (python -c 'import secrets; print(secrets.token_hex(32))'); "
            "scripts/run.sh makes one for the demo in instance/secret_key.")
    if not config.get("AUDIT_KEY") and secret:
        # A separate derived key, so the audit digests never reveal anything about the
        # session key. Rotating SECRET_KEY then re-keys the chain: set AUDIT_KEY to keep it.
        config["AUDIT_KEY"] = hmac.new(str(secret).encode(), b"market audit chain",
                                       hashlib.sha256).hexdigest()
    if not config.get("CERTIFICATE_KEY") and secret:
        # Derived apart from the audit key: a certificate's signature is public, and neither
        # key may tell anything about the other or the session key.
        config["CERTIFICATE_KEY"] = hmac.new(str(secret).encode(), b"market certificates",
                                             hashlib.sha256).hexdigest()
def check_production(config) -> list[str]:
    """Why these settings are unsafe to serve with (empty if safe, or not production)."""
    env = config.get("MARKET_ENV", "development")
    if env not in ENVIRONMENTS:
        return [f"MARKET_ENV is {env!r}; use one of {', '.join(ENVIRONMENTS)}"]
    if env != "production":
        return []
    problems = []
    if str(config.get("SQLALCHEMY_DATABASE_URI", "")).startswith("sqlite"):
        problems.append("DATABASE_URL is SQLite; production runs on PostgreSQL "
                        "(DATABASE_URL=postgresql://…)")
    secret = config.get("SECRET_KEY") or ""
    if secret == DEV_SECRET_KEY or len(secret) < MIN_SECRET_LENGTH:
        problems.append(f"SECRET_KEY is unset, the development default or shorter than "
                        f"{MIN_SECRET_LENGTH} characters (e.g. python -c 'import secrets; "
                        f"print(secrets.token_urlsafe(48))')")
    if not config.get("SESSION_COOKIE_SECURE"):
        problems.append("SESSION_COOKIE_SECURE is not 1; behind TLS the session cookie must "
                        "be Secure")
    certificate_key = config.get("CERTIFICATE_KEY")
    if certificate_key is not None and len(str(certificate_key)) < MIN_SECRET_LENGTH:
        problems.append(f"CERTIFICATE_KEY is shorter than {MIN_SECRET_LENGTH} characters, so "
                        f"certificates could be forged by guessing it")
    token = config.get("METRICS_TOKEN")
    if token is not None and len(token) < MIN_SECRET_LENGTH:
        problems.append(f"METRICS_TOKEN is shorter than {MIN_SECRET_LENGTH} characters, so "
                        f"the metrics are as good as open")
    if config.get("DEBUG") or config.get("TESTING"):
        problems.append("DEBUG or TESTING is on (unset FLASK_DEBUG)")
    return problems


def refuse_unsafe(config) -> None:
    """Raise UnsafeConfiguration naming every problem check_production finds."""
    problems = check_production(config)
    if problems:
        raise UnsafeConfiguration("refusing to start with MARKET_ENV="
                                  f"{config.get('MARKET_ENV')}:\n  - " + "\n  - ".join(problems))
