"""Prometheus metrics: the counters the app bumps, and the text the scrape gets.

Under gunicorn set PROMETHEUS_MULTIPROC_DIR (gunicorn.conf.py empties it at start and
forgets dead workers): every worker then writes its counters to files there and a scrape of
any worker adds them up. Without it (the demo, tests) each process counts for itself.

Counters here are per process and cost nothing on the hot path. What the database knows
(settlements pending and overdue, the scheduler's job runs) is read once per scrape and
added as families of its own; every web host reports the same numbers there, so aggregate
those with max(), not sum().
"""

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.multiprocess import MultiProcessCollector

HTTP_REQUESTS = Counter("market_http_requests", "HTTP requests answered, by URL rule.",
                        ["method", "endpoint", "status"])
HTTP_LATENCY = Histogram("market_http_request_duration_seconds",
                         "Time to answer an HTTP request, by URL rule.", ["method", "endpoint"],
                         buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
ORDERS_PLACED = Counter("market_orders_placed", "Orders accepted (replays not counted).",
                        ["instrument"])
ORDERS_REJECTED = Counter("market_orders_rejected", "Order placements refused, by error code.",
                          ["instrument", "reason"])
ORDERS_FILLED = Counter("market_orders_filled", "Orders filled completely (maker or taker).",
                        ["instrument"])
TRADES = Counter("market_trades", "Trades executed.", ["instrument"])
FAILED_LOGINS = Counter("market_failed_logins",
                        "Failed logins: wrong credentials, or refused past the limit.",
                        ["via", "reason"])


def order_placed(instrument: str) -> None:
    """Count one accepted order."""
    ORDERS_PLACED.labels(instrument).inc()


def order_rejected(instrument: str, reason: str) -> None:
    """Count one refused placement; `reason` is the error code (a fixed vocabulary)."""
    ORDERS_REJECTED.labels(instrument, reason).inc()


def matched(instrument: str, trades: int, filled_orders: int) -> None:
    """Count what one committed engine command executed."""
    if trades:
        TRADES.labels(instrument).inc(trades)
    if filled_orders:
        ORDERS_FILLED.labels(instrument).inc(filled_orders)


def login_failed(via: str, reason: str) -> None:
    """Count one failed login (`via` api or page; `reason` credentials or rate_limited)."""
    FAILED_LOGINS.labels(via, reason).inc()


def request_answered(method: str, endpoint: str, status: int, seconds: float) -> None:
    """Count one HTTP answer and its latency."""
    HTTP_REQUESTS.labels(method, endpoint, str(status)).inc()
    HTTP_LATENCY.labels(method, endpoint).observe(seconds)


def database_families(snapshot: dict) -> list:
    """Families for what a scrape read from the database (see operations.metrics_snapshot)."""
    up = GaugeMetricFamily("market_database_up", "1 if the scrape could read the database.")
    up.add_metric([], 1 if snapshot.get("database_up") else 0)
    families = [up]
    if not snapshot.get("database_up"):
        return families
    settlements = GaugeMetricFamily("market_settlements",
                                    "Settlements awaiting payment; overdue: past the deadline.",
                                    labels=["state"])
    settlements.add_metric(["pending"], snapshot["settlements_pending"])
    settlements.add_metric(["overdue"], snapshot["settlements_overdue"])
    runs = CounterMetricFamily("market_scheduler_job_runs", "Scheduler job runs (any outcome).",
                               labels=["job"])
    failures = CounterMetricFamily("market_scheduler_job_failures",
                                   "Scheduler job runs that raised.", labels=["job"])
    age = GaugeMetricFamily("market_scheduler_job_last_run_age_seconds",
                            "Seconds since the job last ran.", labels=["job"])
    for job in snapshot["jobs"]:
        runs.add_metric([job["job"]], job["runs"])
        failures.add_metric([job["job"]], job["failures"])
        age.add_metric([job["job"]], job["age_seconds"])
    checkpoint = GaugeMetricFamily(
        "market_audit_checkpoint_age_seconds",
        "Seconds since the latest audit checkpoint (absent before the first one).")
    if snapshot.get("checkpoint_age_seconds") is not None:
        checkpoint.add_metric([], snapshot["checkpoint_age_seconds"])
    return families + [settlements, runs, failures, age, checkpoint]


class _Families:
    """A collector that yields families built before the scrape."""

    def __init__(self, families: list):
        self.families = families

    def collect(self):
        yield from self.families


class ThisProcess:
    """The default registry's metrics (counters, process and GC stats) of this process."""

    def collect(self):
        yield from REGISTRY.collect()


def multiprocess_dir() -> str | None:
    """PROMETHEUS_MULTIPROC_DIR, when the workers share their counters through it."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


def exposition(extra_families: list) -> tuple[bytes, str]:
    """The Prometheus text of every worker's counters plus `extra_families`."""
    registry = CollectorRegistry()
    if multiprocess_dir():
        MultiProcessCollector(registry)
    else:
        registry.register(ThisProcess())
    registry.register(_Families(extra_families))
    return generate_latest(registry), CONTENT_TYPE_LATEST
