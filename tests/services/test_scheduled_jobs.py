"""Scheduled work: GTD expiry, call-auction uncrossing, deadlines; all safe to run twice."""

from datetime import UTC, datetime, timedelta

from market import scheduler
from market.services import registry, settlement, trading
from models.base import utcnow


def order(instrument, side, price, quantity, cid, **extra):
    return {"instrument": instrument, "side": side, "price": price, "quantity": quantity,
            "client_order_id": cid, **extra}


def test_gtd_orders_expire_and_release_their_hold(world):
    buyer = world.trader("xinwu", "320214", cash="1000000")
    expires = (utcnow() + timedelta(hours=1)).isoformat()
    placed = buyer.post("/api/v1/orders", json=order("FO-QTY", "buy", "300000.00", "1", "g",
                                                    tif="GTD", expires_at=expires)).json
    assert placed["order"]["held"] == "60000.00"
    assert trading.expire_due(utcnow()) == 0
    later = utcnow() + timedelta(hours=2)
    assert trading.expire_due(later) == 1
    assert trading.expire_due(later) == 0
    expired = buyer.get(f"/api/v1/orders/{placed['order']['id']}").json
    assert (expired["status"], expired["held"]) == ("expired", "0.00")
    assert buyer.get("/api/v1/accounts/me").json["cash_held"] == "0.00"


def _linkage_book(world):
    """Buys and sells in the 江阴 county call auction for linkage surplus (LS)."""
    seller = world.trader("huangtu", "320281100")
    other_seller = world.trader("xuxiake", "320281104")
    buyer = world.trader("jiangyin", "320281", cash="50000000")
    buyer2 = world.trader("chengjiang", "320281001", cash="50000000")
    lot1 = world.lot(seller, instrument="LS", quantity="20")
    lot2 = world.lot(other_seller, instrument="LS", quantity="20")
    for caller, body in [
        (seller, order("LS", "sell", "440000.00", "5", "s1", lot_serial=lot1)),
        (other_seller, order("LS", "sell", "460000.00", "5", "s2", lot_serial=lot2)),
        (buyer, order("LS", "buy", "470000.00", "4", "b1")),
        (buyer2, order("LS", "buy", "450000.00", "3", "b2")),
    ]:
        response = caller.post("/api/v1/orders", json=body)
        assert response.status_code == 201, response.json
        assert response.json["fills"] == []
    return buyer, buyer2


def test_a_call_auction_collects_shows_its_indicative_price_and_uncrosses_once(world):
    buyer, _buyer2 = _linkage_book(world)
    # At 450,000: demand 7, supply 5 → 5.  At 460,000: demand 4, supply 10 → 4.  At 440,000:
    # demand 7, supply 5 → 5 with surplus 2.  Max volume 5 at 440,000 and 450,000; the smaller
    # surplus (|7-5| = 2 at both) ties; demand presses (surplus > 0) so the higher price wins.
    book = buyer.get("/api/v1/instruments/LS/book").json
    assert book["indicative"] == {"price": "450000.00", "volume": "5.0000", "surplus": "2.0000"}
    slot = datetime(2026, 11, 22, 2, 0, tzinfo=UTC)   # 10:00 in Shanghai
    result = trading.uncross("LS", slot_at=slot)
    assert (result.price, result.volume, result.trades) == (450000, 5, 2)
    assert trading.uncross("LS", slot_at=slot) is None
    trades = world.regulator.get("/api/v1/trades").json
    assert {t["price"] for t in trades} == {"450000.00"}
    assert sum(float(t["quantity"]) for t in trades) == 5


def test_run_due_uncrosses_the_latest_passed_slot_only_once(world, app):
    _linkage_book(world)
    shanghai_1530 = datetime(2026, 11, 22, 7, 30, tzinfo=UTC)
    first = trading.run_due_auctions(shanghai_1530)
    assert [(r.instrument, r.volume) for r in first] == [("LS", 5)]
    assert trading.run_due_auctions(shanghai_1530) == []


def test_overdue_settlements_default_once(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000000")
    serial = world.lot(seller, quantity="5")
    seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "1", "s",
                                            lot_serial=serial))
    buyer.post("/api/v1/orders", json=order("FO-QTY", "buy", "300000.00", "1", "b"))
    assert settlement.default_overdue(utcnow()) == 0
    later = utcnow() + timedelta(days=11)
    assert settlement.default_overdue(later) == 1
    assert settlement.default_overdue(later) == 0
    assert seller.get("/api/v1/accounts/me").json["cash_available"] == "60000.00"


def test_the_scheduler_runs_every_job_once(app, db_session):
    results = scheduler.run_once(app)
    assert {"expire-gtd-orders", "uncross-call-auctions", "settlement-deadlines",
            "rematch-opened-scope-windows"} <= set(results)


def crossed_across_a_scope_window(world):
    """A county's linkage-surplus offer below a city buyer's bid: crossed, but the offer is
    open only to its county for its first 30 days. The buyer."""
    world.regulator.patch("/api/v1/instruments/LS", json={"trading_mode": "continuous"})
    seller = world.trader("huangtu", "320281100")
    city_buyer = world.trader("xinwu", "320214", cash="10000000")
    serial = world.lot(seller, instrument="LS", quantity="5")
    seller.post("/api/v1/orders", json=order("LS", "sell", "440000.00", "2", "s",
                                            lot_serial=serial))
    bid = city_buyer.post("/api/v1/orders", json=order("LS", "buy", "450000.00", "2", "b")).json
    assert bid["fills"] == []
    return city_buyer


def test_crossed_orders_trade_once_the_local_first_window_opens(world):
    city_buyer = crossed_across_a_scope_window(world)
    assert trading.rematch_crossed(utcnow()) == 0
    assert trading.rematch_crossed(utcnow() + timedelta(days=31)) == 1
    [trade] = city_buyer.get("/api/v1/trades").json
    assert (trade["price"], trade["quantity"]) == ("440000.00", "2.0000")
    assert trading.rematch_crossed(utcnow() + timedelta(days=31)) == 0


def test_sell_orders_of_an_expired_lot_are_withdrawn(world):
    from datetime import date

    from market.extensions import db

    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="5")
    ask = seller.post("/api/v1/orders", json=order("FO-QTY", "sell", "300000.00", "1", "s",
                                                  lot_serial=serial)).json["order"]
    registry.get_lot(serial).expires_on = date(2030, 1, 1)
    db.session.commit()
    assert trading.expire_due(utcnow()) == 0
    assert trading.expire_due(datetime(2030, 1, 2, 12, tzinfo=UTC)) == 1
    withdrawn = seller.get(f"/api/v1/orders/{ask['id']}").json
    assert (withdrawn["status"], withdrawn["close_reason"]) == ("cancelled", "lot_expired")
    assert seller.get(f"/api/v1/lots/{serial}").json["encumbered"] == "0.0000"
