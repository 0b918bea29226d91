"""The order writer's own Prometheus metrics, on a port of its own.

The web workers' `/metrics` cannot see the writer: it is another process, often on another
host. With `ORDER_WRITER_METRICS_PORT` set, the writer serves its metrics there (on
`ORDER_WRITER_METRICS_ADDRESS`, loopback unless told otherwise: the exporter has no
authentication, so a node-local agent scrapes it): whether it leads, its batches, commands,
busy time, book rebuilds and failures, plus this process's trade and fill counters and
process stats.
"""

from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily

from market import metrics


class _WriterCollector:
    """Read the writer's counters at each scrape (they live on the writer object)."""

    def __init__(self, writer):
        self.writer = writer

    def collect(self):
        writer = self.writer
        leading = GaugeMetricFamily("market_order_writer_leading",
                                    "1 while this writer holds the leader lock.")
        leading.add_metric([], 1 if writer.leading.is_set() else 0)
        yield leading
        for name, documentation, value in (
                ("market_order_writer_batches", "Batches committed or answered.",
                 writer.batches),
                ("market_order_writer_commands", "Commands carried out or refused.",
                 writer.commands),
                ("market_order_writer_busy_seconds", "Wall time spent running batches.",
                 writer.busy_seconds),
                ("market_order_writer_book_rebuilds", "Books rebuilt from the rows.",
                 writer.books.rebuilds),
                ("market_order_writer_book_catch_ups",
                 "Books brought up to date from the command log.", writer.books.catch_ups),
                ("market_order_writer_failed_batches",
                 "Batches that failed (not by a refusal) and ran again one by one.",
                 writer.failed_batches),
                ("market_order_writer_failed_commands",
                 "Commands that failed alone and were answered 503.",
                 writer.failed_commands)):
            family = CounterMetricFamily(name, documentation)
            family.add_metric([], value)
            yield family


def serve(writer, port: int, address: str):
    """Start the exporter thread for `writer`; the server, for `shutdown()`."""
    registry = CollectorRegistry()
    registry.register(_WriterCollector(writer))
    registry.register(metrics.ThisProcess())  # trades, fills, process stats
    server, _thread = start_http_server(port, addr=address, registry=registry)
    return server
