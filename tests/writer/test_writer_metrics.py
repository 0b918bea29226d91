"""The order writer's own metrics: a scrape of its exporter shows it leading and working."""

import socket
import time
import urllib.request

from market.services.trading import serve_writer_metrics


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _scrape(port: int) -> dict[str, float]:
    text = urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=5).read().decode()
    return {name: float(value) for name, _, value in
            (line.rpartition(" ") for line in text.splitlines() if not line.startswith("#"))}


def _scrape_once_counted(port: int, before: dict[str, float], names: list[str]) -> dict:
    """A scrape in which each of `names` has risen past `before`: the writer counts a
    batch once it has run, and its commit (which sends the answers) comes first, so a
    client can hold its answer a moment before the count moves, as any scraper may see."""
    deadline = time.monotonic() + 5
    while True:
        after = _scrape(port)
        if all(after[name] > before[name] for name in names) or time.monotonic() > deadline:
            return after
        time.sleep(0.01)


def test_the_writer_exports_whether_it_leads_and_what_it_carried(order_writer, world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="10")
    port = _free_port()
    server = serve_writer_metrics(order_writer.writer, port, "127.0.0.1")
    try:
        before = _scrape(port)
        assert before["market_order_writer_leading"] == 1
        response = seller.post("/api/v1/orders", json={
            "instrument": "FO-QTY", "side": "sell", "price": "300000.00", "quantity": "1",
            "tif": "GTC", "client_order_id": "s1", "lot_serial": serial})
        assert response.status_code == 201, response.json
        after = _scrape_once_counted(port, before, ["market_order_writer_commands_total"])
        assert after["market_order_writer_commands_total"] == \
            before["market_order_writer_commands_total"] + 1
        assert after["market_order_writer_batches_total"] >= 1
        assert "process_cpu_seconds_total" in after  # the process's own stats too
    finally:
        server.shutdown()


def test_the_writer_counts_the_batches_and_commands_it_could_not_write(
        order_writer, world, monkeypatch):
    from market.services.trading import orders

    buyer = world.trader("xinwu", "320214", cash="10000000")
    port = _free_port()
    server = serve_writer_metrics(order_writer.writer, port, "127.0.0.1")

    def broken(*args, **kwargs):
        raise RuntimeError("a constraint the writer cannot satisfy")

    try:
        before = _scrape(port)
        monkeypatch.setattr(orders, "open_order", broken)
        response = buyer.post("/api/v1/orders", json={
            "instrument": "FO-QTY", "side": "buy", "price": "300000.00", "quantity": "1",
            "tif": "GTC", "client_order_id": "b1"})
        assert response.status_code == 503, response.json
        assert response.json["error"]["code"] == "order_writer_failed"
        after = _scrape_once_counted(port, before, [
            "market_order_writer_failed_batches_total",
            "market_order_writer_failed_commands_total"])
        assert after["market_order_writer_failed_batches_total"] == \
            before["market_order_writer_failed_batches_total"] + 1
        assert after["market_order_writer_failed_commands_total"] == \
            before["market_order_writer_failed_commands_total"] + 1
    finally:
        server.shutdown()
