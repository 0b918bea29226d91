"""Candles per day, ISO week and month, checked against the hand calculation in conftest.py."""

from datetime import date

import pytest

from market.services import history as price_history
from tests.history.conftest import executed_at, trade, utc

RANGE = "from=2024-04-28&to=2024-05-07"
FIELDS = ("period", "start", "end", "open", "high", "low", "close", "volume", "turnover",
          "trades", "vwap")


def rows(response):
    assert response.status_code == 200, response.json
    return [tuple(candle[key] for key in FIELDS) for candle in response.json["candles"]]


@pytest.fixture
def history(carbon):
    price_history.backfill_daily_stats(date(2024, 4, 28), date(2024, 5, 7))
    return carbon


def test_daily_candles_split_on_midnight_shanghai_and_open_close_by_trade_id(history):
    buyer = history.buyers[0]
    response = buyer.get(f"/api/v1/instruments/ECO-CARBON/candles?interval=day&{RANGE}")
    assert (response.json["instrument"], response.json["interval"], response.json["from"],
            response.json["to"]) == ("ECO-CARBON", "day", "2024-04-28", "2024-05-07")
    # VWAP 910 / 15 = 60.666… → 60.67; 848 / 14 = 60.571… → 60.57.  No trades on 05-02..05.
    assert rows(response) == [
        ("2024-04-29", "2024-04-29", "2024-04-29", "60.00", "62.00", "60.00", "62.00",
         "15.0000", "910.00", 2, "60.67"),
        ("2024-04-30", "2024-04-30", "2024-04-30", "58.00", "58.00", "58.00", "58.00",
         "20.0000", "1160.00", 1, "58.00"),
        ("2024-05-01", "2024-05-01", "2024-05-01", "61.00", "61.00", "59.50", "59.50",
         "14.0000", "848.00", 2, "60.57"),
        ("2024-05-06", "2024-05-06", "2024-05-06", "64.00", "64.00", "64.00", "64.00",
         "5.0000", "320.00", 1, "64.00"),
    ]


def test_weekly_candles_are_iso_weeks_from_monday_cut_by_the_range(history):
    response = history.buyers[1].get(
        f"/api/v1/instruments/ECO-CARBON/candles?interval=week&{RANGE}")
    # W18 = 04-29..05-05: 2918 / 49 = 59.551… → 59.55.  W19 is cut at `to` (05-07).
    assert rows(response) == [
        ("2024-W18", "2024-04-29", "2024-05-05", "60.00", "62.00", "58.00", "59.50",
         "49.0000", "2918.00", 5, "59.55"),
        ("2024-W19", "2024-05-06", "2024-05-07", "64.00", "64.00", "64.00", "64.00",
         "5.0000", "320.00", 1, "64.00"),
    ]
    cut = history.buyers[0].get(
        "/api/v1/instruments/ECO-CARBON/candles?interval=week&from=2024-04-30&to=2024-05-01")
    # Only 04-30 and 05-01 count: 1160 + 848 = 2008 over 34 → 59.058… → 59.06.
    assert rows(cut) == [("2024-W18", "2024-04-30", "2024-05-01", "58.00", "61.00", "58.00",
                          "59.50", "34.0000", "2008.00", 3, "59.06")]


def test_monthly_candles_are_calendar_months(history):
    response = history.buyers[0].get(
        f"/api/v1/instruments/ECO-CARBON/candles?interval=month&{RANGE}")
    # April: 2070 / 35 = 59.142… → 59.14.  May: 1168 / 19 = 61.473… → 61.47.
    assert rows(response) == [
        ("2024-04", "2024-04-28", "2024-04-30", "60.00", "62.00", "58.00", "58.00",
         "35.0000", "2070.00", 3, "59.14"),
        ("2024-05", "2024-05-01", "2024-05-07", "61.00", "64.00", "59.50", "64.00",
         "19.0000", "1168.00", 3, "61.47"),
    ]


def test_past_days_come_from_the_kept_statistics(carbon):
    # Before the job has run there is nothing to show for past days …
    empty = carbon.buyers[0].get(f"/api/v1/instruments/ECO-CARBON/candles?{RANGE}")
    assert empty.json["candles"] == []
    # … and other instruments have their own (empty) history.
    price_history.backfill_daily_stats(date(2024, 4, 28), date(2024, 5, 7))
    other = carbon.buyers[0].get(f"/api/v1/instruments/FO-QTY/candles?{RANGE}")
    assert other.status_code == 200 and other.json["candles"] == []


def test_today_is_computed_from_the_trades_so_it_is_current(history):
    now = utc(2024, 5, 6, 8)  # 16:00 in Shanghai on Monday 2024-05-06
    seller, buyer = history.sellers[1], history.buyers[1]
    late = trade(seller, buyer, history.lots[1], "66.00", "5")
    executed_at(late, utc(2024, 5, 6, 7, 30))
    # The job has not run since; today's candle includes the new trade anyway.
    result = price_history.candles("ECO-CARBON", "day", date(2024, 5, 1), date(2024, 5, 6),
                                   now=now)
    today = result["candles"][-1]
    assert (today["period"], today["open"], today["close"], today["high"], today["volume"],
            today["turnover"], today["trades"], str(today["vwap"])) == (
        "2024-05-06", 64, 66, 66, 10, 650, 2, "65.00")


def test_the_default_range_is_the_year_up_to_today(history):
    result = price_history.candles("ECO-CARBON", "month", now=utc(2024, 12, 31, 12))
    assert (result["from"], result["to"]) == (date(2024, 1, 1), date(2024, 12, 31))
    assert [c["period"] for c in result["candles"]] == ["2024-04", "2024-05"]
