"""Each detector fires on a crafted scenario and stays quiet on a clean one.

FO-QTY: guide 300,000, band ±30 %, tick 100. ECO-CARBON: guide 60, band ±50 %, settles at the
match. Default thresholds (migration 0004): guide 10 %, VWAP 15 %, 10 band rejections an hour,
circular 30 days, concentration 50 %, cancel/fill 10 with at least 20 cancels.
"""

import json
from datetime import UTC, datetime

import pytest

from market import scheduler
from market.calendar import MARKET_TIME
from market.extensions import db
from market.jobs import JOBS
from market.services import surveillance, trading
from market.services.surveillance import alerts as alert_store
from models import Alert
from models.base import utcnow
from tests.surveillance.helpers import alerts, order, trade


@pytest.fixture
def cast(world):
    """Sellers in 宜兴市 and 江阴市璜土镇, buyers in 新吴区, 梁溪区 and 惠山区."""
    people = {
        "yixing": world.trader("yixing", "320282"),
        "huangtu": world.trader("huangtu", "320281100"),
        "xinwu": world.trader("xinwu", "320214", cash="20000000"),
        "liangxi": world.trader("liangxi", "320213", cash="20000000"),
        "huishan": world.trader("huishan", "320206", cash="20000000"),
    }
    lots = {
        "yixing": world.lot(people["yixing"], quantity="100"),
        "huangtu": world.lot(people["huangtu"], quantity="100"),
        "yixing_eco": world.lot(people["yixing"], instrument="ECO-CARBON", quantity="1000"),
        "huangtu_eco": world.lot(people["huangtu"], instrument="ECO-CARBON", quantity="1000"),
    }
    return world, people, lots


def kinds() -> list[str]:
    return [alert.kind for alert in alerts()]


def test_out_of_the_box_a_trade_more_than_10_percent_from_guide_raises_an_alert(app, cast):
    world, p, lots = cast
    fill = trade(p["yixing"], p["xinwu"], lots["yixing"], "340000.00", "1")
    [job] = [job for job in JOBS if job.name == "surveillance-detection"]
    assert (job.seconds, job.lock_id) == (60, 7_270_105)
    assert scheduler.run_job(app, job) == 1
    [alert] = alerts()
    assert (alert.kind, alert.status, alert.dedup_key) == (
        "guide_deviation", "open", f"guide_deviation:trade:{fill['id']}")
    assert json.loads(alert.details) == {
        "trade_id": fill["id"], "price": "340000.00", "guide_price": "300000.00",
        "deviation": "0.1333", "threshold": "0.1000"}
    assert [t.id for t in alert.trades] == [fill["id"]]
    assert {a.id for a in alert.accounts} == {p["yixing"].user.account_id,
                                             p["xinwu"].user.account_id}


def test_trades_within_10_percent_of_guide_raise_nothing(cast):
    _world, p, lots = cast
    trade(p["yixing"], p["xinwu"], lots["yixing"], "330000.00", "1")   # exactly +10 %
    trade(p["yixing"], p["liangxi"], lots["yixing"], "300000.00", "1")
    assert surveillance.detect() == 0


def test_detection_twice_creates_no_duplicates(cast):
    _world, p, lots = cast
    trade(p["yixing"], p["xinwu"], lots["yixing"], "250000.00", "1")
    trade(p["yixing"], p["liangxi"], lots["yixing"], "350000.00", "1")
    first = surveillance.detect()
    assert first >= 2
    assert surveillance.detect() == 0
    keys = [alert.dedup_key for alert in alerts()]
    assert len(keys) == len(set(keys)) == first


def test_a_trade_far_from_the_30_day_vwap(cast):
    _world, p, lots = cast
    trade(p["yixing"], p["xinwu"], lots["yixing"], "260000.00", "2")    # -13.3 % from guide
    fill = trade(p["yixing"], p["liangxi"], lots["yixing"], "310000.00", "1")
    surveillance.detect()
    [alert] = alerts("vwap_deviation")
    details = json.loads(alert.details)
    # VWAP of the earlier trade alone: 260,000; 310,000 is +19.2 % from it.
    assert (details["vwap"], details["deviation"], details["window_trades"]) == (
        "260000.00", "0.1923", 1)
    assert [t.id for t in alert.trades] == [fill["id"]]
    assert sorted(kinds()) == ["guide_deviation", "vwap_deviation"]


def test_trades_close_to_the_vwap_raise_nothing(cast):
    _world, p, lots = cast
    trade(p["yixing"], p["xinwu"], lots["yixing"], "290000.00", "2")
    trade(p["yixing"], p["liangxi"], lots["yixing"], "320000.00", "1")   # +10.3 % from VWAP
    assert surveillance.detect() == 0


def band_rejections(caller, count):
    for number in range(count):
        response = caller.post("/api/v1/orders", json=order(
            "FO-QTY", "buy", "500000.00", "1", f"far-{number}"))
        assert response.json["error"]["code"] == "outside_band"


def test_a_storm_of_price_band_rejections(cast):
    _world, p, _lots = cast
    band_rejections(p["xinwu"], 6)
    band_rejections(p["liangxi"], 4)
    assert surveillance.detect() == 1
    [alert] = alerts("band_rejection_storm")
    details = json.loads(alert.details)
    assert (details["rejections"], details["threshold"], details["codes"]) == (
        10, "10.0000", {"outside_band": 10})
    assert [a.id for a in alert.accounts] == sorted([p["xinwu"].user.account_id,
                                                     p["liangxi"].user.account_id])


def test_nine_rejections_are_no_storm(cast):
    _world, p, _lots = cast
    band_rejections(p["xinwu"], 9)
    assert surveillance.detect() == 0


def test_trades_within_one_district_are_wash_and_within_one_county_cross(world, cast):
    _world, p, lots = cast
    yixing_buyer = world.trader("yixing-buyer", "320282", cash="5000000")
    jiangyin = world.trader("jiangyin", "320281", cash="5000000")
    wash = trade(p["yixing"], yixing_buyer, lots["yixing"], "300000.00", "1")
    cross = trade(p["huangtu"], jiangyin, lots["huangtu"], "300000.00", "1")
    trade(p["huangtu"], p["liangxi"], lots["huangtu"], "300000.00", "1")  # same city only
    assert surveillance.detect() == 2
    [washed] = alerts("wash_trade")
    [crossed] = alerts("cross_trade")
    assert [t.id for t in washed.trades] == [wash["id"]]
    assert [t.id for t in crossed.trades] == [cross["id"]]
    assert json.loads(crossed.details)["county"] == "320281"
    assert json.loads(washed.details)["buyer_district"] == "320282"


def test_linkage_surplus_in_its_local_first_window_is_not_a_cross_trade(world):
    # LS may trade only inside its county for 30 days after verification: that is the rule.
    seller = world.trader("huangtu", "320281100")
    buyer = world.trader("chengjiang", "320281001", cash="50000000")
    serial = world.lot(seller, instrument="LS", quantity="10")
    seller.post("/api/v1/orders", json=order("LS", "sell", "450000.00", "2", "s",
                                             lot_serial=serial))
    buyer.post("/api/v1/orders", json=order("LS", "buy", "450000.00", "2", "b"))
    result = trading.uncross("LS", slot_at=datetime(2026, 11, 22, 2, 0, tzinfo=UTC))
    assert result.trades == 1
    assert surveillance.detect() == 0


def test_a_district_buying_and_selling_one_instrument_is_circular(cast):
    world, p, lots = cast
    own = world.lot(p["xinwu"], quantity="10")
    bought = trade(p["yixing"], p["xinwu"], lots["yixing"], "300000.00", "2")
    sold = trade(p["xinwu"], p["liangxi"], own, "300000.00", "1")
    surveillance.detect()
    [alert] = alerts("circular")
    details = json.loads(alert.details)
    assert (details["district"], details["bought"], details["sold"], details["days"]) == (
        "320214", "2.0000", "1.0000", 30)
    assert [t.id for t in alert.trades] == [bought["id"], sold["id"]]
    assert [a.id for a in alert.accounts] == [p["xinwu"].user.account_id]
    assert kinds() == ["circular"]


def test_districts_that_only_buy_or_only_sell_are_not_circular(cast):
    _world, p, lots = cast
    trade(p["yixing"], p["xinwu"], lots["yixing"], "300000.00", "2")
    trade(p["huangtu"], p["xinwu"], lots["huangtu"], "300000.00", "1")
    trade(p["yixing"], p["liangxi"], lots["yixing"], "300000.00", "1")
    assert surveillance.detect() == 0


def test_one_account_holding_most_of_a_months_volume_is_concentration(cast):
    _world, p, lots = cast
    for buyer, quantity in (("xinwu", "10"), ("xinwu", "10"), ("liangxi", "5"),
                            ("xinwu", "10"), ("huishan", "5")):
        trade(p["yixing"], p[buyer], lots["yixing_eco"], "60.00", quantity, "ECO-CARBON")
    surveillance.detect()
    found = {alert.dedup_key: json.loads(alert.details) for alert in alerts("concentration")}
    month = datetime.now(MARKET_TIME).strftime("%Y-%m")
    xinwu = found.pop(f"concentration:ECO-CARBON:{p['xinwu'].user.account_id}:{month}")
    assert (xinwu["buy_share"], xinwu["sides"], xinwu["volume"], xinwu["trades"]) == (
        "0.7500", ["buy"], "40.0000", 5)
    # The only seller holds all the sell side.
    seller = found.pop(f"concentration:ECO-CARBON:{p['yixing'].user.account_id}:{month}")
    assert (seller["sell_share"], seller["sides"]) == ("1.0000", ["sell"])
    assert found == {}


def test_shares_of_half_or_less_and_thin_months_are_not_concentration(cast):
    _world, p, lots = cast
    # Six trades: every buyer 20/60, each seller exactly 30/60 (not above 50 %).
    for seller, buyer in (("yixing", "xinwu"), ("huangtu", "liangxi"), ("yixing", "huishan"),
                          ("huangtu", "xinwu"), ("yixing", "liangxi"), ("huangtu", "huishan")):
        trade(p[seller], p[buyer], lots[f"{seller}_eco"], "60.00", "10", "ECO-CARBON")
    # Four FO-QTY trades, all one buyer's: too few to mean anything.
    for _ in range(4):
        trade(p["yixing"], p["xinwu"], lots["yixing"], "300000.00", "1")
    assert surveillance.detect() == 0


def cancels(caller, count, prefix="c"):
    for number in range(count):
        placed = caller.post("/api/v1/orders", json=order(
            "ECO-CARBON", "buy", "50.00", "1", f"{prefix}{number}"))
        assert placed.status_code == 201, placed.json
        assert caller.delete(f"/api/v1/orders/{placed.json['order']['id']}").status_code == 200


def test_many_cancels_and_no_fills_is_a_high_cancel_to_fill_ratio(cast):
    _world, p, _lots = cast
    cancels(p["xinwu"], 20)
    assert surveillance.detect() == 1
    [alert] = alerts("cancel_fill_ratio")
    details = json.loads(alert.details)
    assert (details["cancels"], details["fills"], details["ratio"]) == (20, 0, None)
    assert [a.id for a in alert.accounts] == [p["xinwu"].user.account_id]


def test_few_cancels_or_a_ratio_of_ten_is_not_flagged(cast):
    _world, p, lots = cast
    cancels(p["xinwu"], 19)
    cancels(p["liangxi"], 20)
    trade(p["yixing"], p["liangxi"], lots["yixing_eco"], "60.00", "1", "ECO-CARBON")
    trade(p["yixing"], p["liangxi"], lots["yixing_eco"], "60.00", "1", "ECO-CARBON")
    assert surveillance.detect() == 0                    # 20 cancels / 2 fills = 10
    cancels(p["liangxi"], 1, prefix="more")
    assert surveillance.detect() == 1                    # 21 / 2 = 10.5
    assert json.loads(alerts("cancel_fill_ratio")[0].details)["ratio"] == "10.5000"


def test_a_parallel_run_that_inserts_the_same_alert_first_is_not_an_error(cast, monkeypatch):
    _world, p, lots = cast
    fill = trade(p["yixing"], p["xinwu"], lots["yixing"], "340000.00", "1")
    real = alert_store._by_id
    raced = []

    def racing(model, ids):
        # Another detection run commits the same alert between our check and our insert.
        if not raced:
            raced.append(True)
            with db.engine.begin() as connection:
                connection.execute(Alert.__table__.insert().values(
                    kind="guide_deviation", dedup_key=f"guide_deviation:trade:{fill['id']}",
                    summary="from the other run", details="{}", status="open",
                    created_at=utcnow()))
        return real(model, ids)

    monkeypatch.setattr(alert_store, "_by_id", racing)
    assert surveillance.detect() == 0
    [alert] = alerts()
    assert alert.summary == "from the other run"
