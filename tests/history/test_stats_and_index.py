"""Per-instrument statistics and the regional price index, checked by hand (conftest.py)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from market.calendar import market_day
from market.services import history as price_history
from models.base import utcnow
from tests.history.conftest import executed_at, trade, utc


@pytest.fixture
def history(carbon):
    price_history.backfill_daily_stats(date(2024, 4, 28), date(2024, 5, 7))
    return carbon


def test_stats_on_a_day_with_trades(history):
    # Monday 2024-05-06, 12:00 in Shanghai: today t6 (64.00 × 5); the day before with
    # trades is 2024-05-01, closing at 59.50 → +4.50, 4.50 / 59.50 = 7.563 % → 7.56.
    # The 30 days (04-07..05-06) hold every trade: 3238.00 / 54 = 59.962… → 59.96.
    stats = price_history.stats("ECO-CARBON", now=utc(2024, 5, 6, 4))
    assert stats == {
        "instrument": "ECO-CARBON", "as_of": date(2024, 5, 6),
        "last_price": Decimal("64.00"), "last_trade_at": utc(2024, 5, 6, 2),
        "last_trade_day": date(2024, 5, 6), "previous_close": Decimal("59.50"),
        "previous_close_day": date(2024, 5, 1), "change": Decimal("4.50"),
        "change_percent": Decimal("7.56"),
        "volume_30d": Decimal("54"), "turnover_30d": Decimal("3238.00"), "trades_30d": 6,
        "vwap_30d": Decimal("59.96"),
        "volume_today": Decimal("5"), "turnover_today": Decimal("320.00"), "trades_today": 1,
        "vwap_today": Decimal("64.00"),
    }


def test_stats_on_a_quiet_day_keep_the_last_move_and_drop_old_days(history):
    # 2024-05-31: nothing today; the 30 days (05-02..05-31) hold t6 only.
    stats = price_history.stats("ECO-CARBON", now=utc(2024, 5, 31, 4))
    assert (stats["last_price"], stats["previous_close"], stats["change"],
            stats["change_percent"]) == (64, Decimal("59.50"), Decimal("4.50"), Decimal("7.56"))
    assert (stats["volume_30d"], stats["turnover_30d"], stats["trades_30d"],
            stats["vwap_30d"]) == (5, 320, 1, Decimal("64.00"))
    assert (stats["volume_today"], stats["trades_today"], stats["vwap_today"]) == (0, 0, None)


def test_stats_of_an_instrument_that_never_traded(world):
    caller = world.trader("xinwu", "320214")
    body = caller.get("/api/v1/instruments/FO-PADDY/stats").json
    assert (body["last_price"], body["change"], body["vwap_30d"], body["volume_30d"],
            body["turnover_today"], body["trades_30d"]) == (None, None, None, "0.0000", "0.00", 0)


def test_stats_over_the_api_today(carbon):
    # Real time: two trades today (made now), one yesterday, one 40 days ago (outside the
    # 30-day window).  The job keeps yesterday; the backfill the older day.
    seller, buyer, lot = carbon.sellers[0], carbon.buyers[0], carbon.lots[0]
    now = utcnow()
    old = trade(seller, buyer, lot, "50.00", "2")
    executed_at(old, now - timedelta(days=40))
    yesterday = trade(seller, buyer, lot, "55.00", "2")
    executed_at(yesterday, now - timedelta(days=1))
    trade(seller, buyer, lot, "57.00", "1")
    trade(seller, buyer, lot, "56.00", "3")
    price_history.refresh_daily_stats()
    forty_days_ago = market_day(now) - timedelta(days=40)
    price_history.backfill_daily_stats(forty_days_ago, forty_days_ago)
    body = buyer.get("/api/v1/instruments/ECO-CARBON/stats").json
    # 56.00 − 55.00 = 1.00 = 1.82 % of 55.00.  30 days: 110 + 57 + 168 = 335.00 over 6.
    assert {key: body[key] for key in (
        "last_price", "previous_close", "change", "change_percent", "volume_30d",
        "turnover_30d", "trades_30d", "vwap_30d", "volume_today", "turnover_today",
        "trades_today", "vwap_today")} == {
        "last_price": "56.00", "previous_close": "55.00", "change": "1.00",
        "change_percent": "1.82", "volume_30d": "6.0000", "turnover_30d": "335.00",
        "trades_30d": 3, "vwap_30d": "55.83", "volume_today": "4.0000",
        "turnover_today": "225.00", "trades_today": 2, "vwap_today": "56.25"}
    assert body["as_of"] == market_day(now).isoformat()


def test_a_falling_price_has_a_negative_change(history):
    seller, buyer = history.sellers[1], history.buyers[1]
    executed_at(trade(seller, buyer, history.lots[1], "31.00", "1"), utc(2024, 5, 7, 2))
    stats = price_history.stats("ECO-CARBON", now=utc(2024, 5, 7, 3))
    # 31.00 − 64.00 (05-06's close) = −33.00 = −51.5625 % → −51.56.
    assert (stats["change"], stats["change_percent"]) == (Decimal("-33.00"), Decimal("-51.56"))


def points(region):
    return [(p["day"], p["index"], p["vwap"]) for p in region["points"]]


def test_city_index_has_each_city_on_its_own_first_day(history):
    body = history.buyers[0].get(
        "/api/v1/instruments/ECO-CARBON/index?level=city&from=2024-04-28&to=2024-05-07").json
    assert (body["instrument"], body["level"], body["from"], body["to"]) == (
        "ECO-CARBON", "city", "2024-04-28", "2024-05-07")
    regions = {r["code"]: r for r in body["regions"]}
    assert [(r["code"], r["name"], r["base_day"], r["base_vwap"]) for r in body["regions"]] == [
        ("320200", "无锡市", "2024-04-29", "60.00"), ("330200", "宁波市", "2024-04-29", "62.00"),
        ("330400", "嘉兴市", "2024-05-01", "61.00")]
    # 无锡: 58 / 60 = 96.666… → 96.67; 59.50 / 60 = 99.166… → 99.17.  宁波: 64 / 62 → 103.23.
    assert points(regions["320200"]) == [("2024-04-29", "100.00", "60.00"),
                                         ("2024-04-30", "96.67", "58.00"),
                                         ("2024-05-01", "99.17", "59.50")]
    assert points(regions["330200"]) == [("2024-04-29", "100.00", "62.00"),
                                         ("2024-05-06", "103.23", "64.00")]
    assert points(regions["330400"]) == [("2024-05-01", "100.00", "61.00")]
    assert regions["320200"]["points"][0] == {"day": "2024-04-29", "index": "100.00",
                                              "vwap": "60.00", "volume": "10.0000",
                                              "turnover": "600.00", "trades": 1}


def test_province_index_and_a_later_base_day(history):
    caller = history.buyers[1]
    body = caller.get("/api/v1/instruments/ECO-CARBON/index?level=province"
                      "&from=2024-04-28&to=2024-05-07").json
    regions = {r["code"]: r for r in body["regions"]}
    assert [(r["code"], r["name"]) for r in body["regions"]] == [("320000", "江苏省"),
                                                                 ("330000", "浙江省")]
    # 浙江 joins 宁波 and 嘉兴: 61 / 62 = 98.387… → 98.39.
    assert points(regions["330000"]) == [("2024-04-29", "100.00", "62.00"),
                                         ("2024-05-01", "98.39", "61.00"),
                                         ("2024-05-06", "103.23", "64.00")]
    later = caller.get("/api/v1/instruments/ECO-CARBON/index?level=city"
                       "&from=2024-04-30&to=2024-05-01").json
    wuxi = next(r for r in later["regions"] if r["code"] == "320200")
    # Base moves to 04-30 (58.00): 59.50 / 58 = 102.586… → 102.59.
    assert (wuxi["base_day"], points(wuxi)) == ("2024-04-30", [
        ("2024-04-30", "100.00", "58.00"), ("2024-05-01", "102.59", "59.50")])


def test_the_index_includes_today_live(history):
    seller, buyer = history.sellers[2], history.buyers[1]
    executed_at(trade(seller, buyer, history.lots[2], "67.10", "1"), utc(2024, 5, 7, 1))
    # The job has not run for 05-07: the point comes from the trades.
    index = price_history.price_index("ECO-CARBON", "city", date(2024, 5, 1), date(2024, 5, 7),
                                      now=utc(2024, 5, 7, 2))
    jiaxing = next(r for r in index["regions"] if r["code"] == "330400")
    # 67.10 / 61.00 = 1.1 → 110.00
    assert [(p["day"], p["index"]) for p in jiaxing["points"]] == [
        (date(2024, 5, 1), Decimal("100.00")), (date(2024, 5, 7), Decimal("110.00"))]
