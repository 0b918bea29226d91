"""What made pages slow on a long history (bench/pages.py) stays fixed: no query per row, and
long lists say what part they show. Counted in statements, not timed."""

import sys
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, update

from market.extensions import db
from market.services import history, surveillance
from models import Alert, Settlement, Trade
from models.base import utcnow
from tests.web.conftest import Browser, trade_at


@contextmanager
def statements():
    """The SQL statements run inside the block, on any connection of the app's engine."""
    seen: list[str] = []

    def record(_conn, _cursor, statement, *_args):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", record)


def _page_statements(browser: Browser, path: str) -> int:
    browser.get(path)  # warm: the login's user and the catalogue caches
    with statements() as seen:
        assert browser.get(path).status_code == 200
    return len(seen)


def test_the_verification_queue_asks_once_for_all_evidence(app, world, regulator):
    seller = world.trader("yixing", "320282")
    world.lot(seller, verify=False)
    one = _page_statements(regulator, "/desk/lots/pending")
    for _ in range(4):
        world.lot(seller, instrument="FO-PADDY", verify=False)
    assert _page_statements(regulator, "/desk/lots/pending") == one


def test_holdings_ask_once_for_all_parents_and_retirements(app, world, db_session):
    _seller, buyer = trade_at(world, ["300000.00"])
    owed = buyer.get("/api/v1/settlements").json
    assert buyer.post(f"/api/v1/settlements/{owed[0]['id']}/pay").status_code == 200
    browser = Browser(app)
    assert browser.login("xinwu").status_code == 302
    one = _page_statements(browser, "/trade/holdings")
    for price in ("301000.00", "302000.00", "303000.00"):
        trade_at_again(world, buyer, price)
    assert len(browser.get("/trade/holdings").get_data(as_text=True).split("retire-form")) == 5
    assert _page_statements(browser, "/trade/holdings") == one


def trade_at_again(world, buyer, price):
    """One more unit bought by `buyer` from a fresh seller, and paid."""
    seller = world.trader(f"seller-{price[:3]}", "320282")
    serial = world.lot(seller, quantity="5", grade=4)
    order = {"instrument": "FO-QTY", "price": price, "quantity": "1"}
    assert seller.post("/api/v1/orders", json={**order, "side": "sell", "lot_serial": serial,
                                               "client_order_id": f"s-{price}"}).status_code == 201
    bought = buyer.post("/api/v1/orders", json={**order, "side": "buy",
                                                "client_order_id": f"b-{price}"}).json
    assert bought["fills"], bought
    owed = [s for s in buyer.get("/api/v1/settlements").json if s["status"] == "pending_payment"]
    assert buyer.post(f"/api/v1/settlements/{owed[0]['id']}/pay").status_code == 200


def test_a_lot_page_lists_its_latest_trades_and_says_how_many_there_are(
        world, regulator, monkeypatch):
    seller, _buyer = trade_at(world, ["290000.00", "300000.00", "310000.00"])
    serial = seller.get("/api/v1/lots").json[0]["serial"]
    # The package exports a function of the module's name, so reach the module itself.
    monkeypatch.setattr(sys.modules["market.services.history.lot_record"], "SHOWN_ROWS", 2)
    record = history.lot_record(world.regulator_user, serial)
    assert [entry["trade"].price for entry in record["trades"]] == [300000, 310000]
    assert (record["trade_count"], record["order_count"]) == (3, 3)
    html = regulator.get(f"/desk/lots/{serial}").get_data(as_text=True)
    assert html.count("共 3 条，显示最近 2 条。") == 2
    # The API's list of a lot's trades is still the whole of it.
    assert len(seller.get(f"/api/v1/lots/{serial}/trades").json) == 3


@pytest.fixture
def two_pending_and_an_old_cancellation(world):
    """Three trades: two waiting for payment, one cancelled forty days ago."""
    trade_at(world, ["290000.00", "300000.00", "310000.00"])
    first = db.session.scalars(db.select(Settlement).order_by(Settlement.id)).first()
    assert world.regulator.post(f"/api/v1/settlements/{first.id}/cancel",
                                json={"reason": "核查撤销"}).status_code == 200
    db.session.execute(update(Settlement).where(Settlement.id == first.id)
                       .values(closed_at=utcnow() - timedelta(days=40)))
    db.session.commit()


def test_the_monitor_lists_the_first_pending_rows_and_counts_them_all(
        world, two_pending_and_an_old_cancellation):
    monitor = surveillance.settlement_monitor(world.regulator_user, pending_limit=1)
    counts = {line["bucket"]: line["count"] for line in monitor["buckets"]}
    assert (counts["pending"], len(monitor["rows"]["pending"])) == (2, 1)
    assert counts["cancelled"] == 1
    recent = surveillance.settlement_monitor(world.regulator_user,
                                             closed_since=utcnow() - timedelta(days=30))
    assert {line["bucket"]: line["count"] for line in recent["buckets"]}["cancelled"] == 0
    assert recent["rows"]["cancelled"] == []


def test_the_monitor_page_counts_closed_settlements_of_the_last_30_days(
        world, regulator, two_pending_and_an_old_cancellation, monkeypatch):
    monkeypatch.setattr("market.web.surveillance.MONITOR_ROWS", 1)
    html = regulator.get("/desk/settlements").get_data(as_text=True)
    assert "以来关闭的" in html and 'id="closed-window"' in html
    assert "共 2 笔，列出前 1 笔。" in html
    assert "核查撤销" not in html
    # The API still answers for the whole history.
    api = world.regulator.get("/api/v1/surveillance/settlements").json
    assert {line["bucket"]: line["count"] for line in api["buckets"]}["cancelled"] == 1


def test_an_alert_on_the_page_names_its_first_trades_and_how_many_more(
        world, regulator, monkeypatch):
    trade_at(world, ["290000.00", "300000.00", "310000.00"])
    trades = db.session.scalars(db.select(Trade).order_by(Trade.id)).all()
    alert = Alert(kind="circular", dedup_key="circular:test", summary="循环买卖", details="{}",
                  trades=trades)
    db.session.add(alert)
    db.session.commit()
    assert surveillance.alert_trade_ids([alert.id], 2) == {
        alert.id: ([trades[0].id, trades[1].id], 3)}
    monkeypatch.setattr("market.web.surveillance.TRADES_SHOWN", 2)
    html = regulator.get("/desk/alerts").get_data(as_text=True)
    assert f"#{trades[1].id} 等，另有 1 笔" in html and f"#{trades[2].id}" not in html


def test_holdings_come_in_pages(app, world, db_session, monkeypatch):
    _seller, buyer = trade_at(world, ["300000.00"])
    owed = buyer.get("/api/v1/settlements").json
    assert buyer.post(f"/api/v1/settlements/{owed[0]['id']}/pay").status_code == 200
    for price in ("301000.00", "302000.00"):
        trade_at_again(world, buyer, price)
    monkeypatch.setattr("market.web.trader.holdings.PER_PAGE", 2)
    browser = Browser(app)
    assert browser.login("xinwu").status_code == 302
    first = browser.get("/trade/holdings").get_data(as_text=True)
    second = browser.get("/trade/holdings?page=2").get_data(as_text=True)
    assert first.count("retire-form") == 2 and "下一页" in first and "上一页" not in first
    assert second.count("retire-form") == 1 and "上一页" in second and "下一页" not in second
    assert 'action="/trade/holdings/' in second and "?page=2" in second
