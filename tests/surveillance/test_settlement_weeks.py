"""Settlements by state over time: the weekly series the settlement monitor draws.

FO-QTY (10-day window), seen on Wed 2026-11-25 12:00 Beijing time over four weeks (from Mon
11-02). Trades are made at their moments with the clock set back (models.base.clock_at):

  10-30 10:00  before the first week: left out
  11-02 10:00  week 11-02  paid                         → completed
  11-08 23:30  week 11-02  (Sunday night Beijing, 15:30 UTC) cancelled by the regulator
  11-09 00:30  week 11-09  (Monday just after midnight, still 11-08 in UTC) due 11-19 → overdue
  11-16 10:00  week 11-16  due 11-26 10:00, within three days → due_within_3_days
  11-24 10:00  week 11-23  due 12-04 → pending
  11-24 11:00  week 11-23  象山县 → 鄞州区 (宁波市): pending, outside 无锡市's jurisdiction
"""

from datetime import date, datetime
from decimal import Decimal

from market.calendar import MARKET_TIME
from market.services import identity, settlement, surveillance
from models.base import clock_at
from tests.surveillance.helpers import settlement_of, trade


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=MARKET_TIME)


def test_weekly_counts_and_amounts_by_state_within_the_jurisdiction(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="20000000")
    ningbo_seller = world.trader("xiangshan", "330225")
    ningbo_buyer = world.trader("yinzhou", "330212", cash="20000000")
    serial = world.lot(seller, quantity="50")
    ningbo_serial = world.lot(ningbo_seller, quantity="50")

    def at(moment, *args, who=(seller, buyer, serial)):
        with clock_at(moment):
            return settlement_of(trade(*who, *args)["id"])

    at(beijing(2026, 10, 30, 10), "300000.00", "1")
    paid = at(beijing(2026, 11, 2, 10), "300000.00", "2")
    with clock_at(beijing(2026, 11, 2, 14)):
        assert buyer.post(f"/api/v1/settlements/{paid.id}/pay").status_code == 200
    cancelled = at(beijing(2026, 11, 8, 23, 30), "290000.00", "1")
    with clock_at(beijing(2026, 11, 9, 9)):
        settlement.cancel_settlement(world.regulator_user, cancelled.id, "买方撤回")
    at(beijing(2026, 11, 9, 0, 30), "310000.00", "1")
    at(beijing(2026, 11, 16, 10), "300000.00", "3")
    at(beijing(2026, 11, 24, 10), "305000.00", "1")
    at(beijing(2026, 11, 24, 11), "300000.00", "2", who=(ningbo_seller, ningbo_buyer,
                                                          ningbo_serial))

    now = beijing(2026, 11, 25, 12)
    national = surveillance.settlement_weeks(world.regulator_user, now=now, weeks=4)
    assert [week["start"] for week in national["weeks"]] == [
        date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16), date(2026, 11, 23)]
    assert national["weeks"][-1]["end"] == date(2026, 11, 29)

    def nonzero(weeks):
        return [{bucket: (count, str(week["amounts"][bucket]))
                 for bucket, count in week["counts"].items() if count}
                for week in weeks["weeks"]]

    assert nonzero(national) == [
        {"completed": (1, "600000.00"), "cancelled": (1, "290000.00")},
        {"overdue": (1, "310000.00")},
        {"due_within_3_days": (1, "900000.00")},
        {"pending": (2, "905000.00")},
    ]
    assert [week["total"] for week in national["weeks"]] == [2, 1, 1, 2]

    wuxi = identity.create_user(world.admin_user, {
        "username": "wuxi", "password": "pw-wuxi-123456", "role": "regulator",
        "district_code": "320200"})
    assert nonzero(surveillance.settlement_weeks(wuxi, now=now, weeks=4))[-1] == {
        "pending": (1, "305000.00")}
    # The instrument filter: nothing of FO-QTY is left out, nothing of another is counted.
    assert nonzero(surveillance.settlement_weeks(world.regulator_user, now=now, weeks=4,
                                                 instrument="FO-QTY")) == nonzero(national)
    carbon = surveillance.settlement_weeks(world.regulator_user, now=now, weeks=4,
                                           instrument="ECO-CARBON")
    assert all(week["total"] == 0 and sum(week["amounts"].values()) == Decimal("0")
               for week in carbon["weeks"])
