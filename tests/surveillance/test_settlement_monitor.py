"""The settlement monitor: every bucket's counts and amounts, checked by hand.

FO-QTY (deposit 20 %), seller 宜兴市, buyer 新吴区. The settlement window is changed between
trades so that, seen 2.5 days from now, the pending settlements fall in all three buckets:

  T1 1 @ 300,000  defaulted at once (deadline run 10 days ahead)   deposit  60,000 forfeited
  T2 2 @ 300,000  paid from cash → completed                       600,000
  T3 1 @ 290,000  cancelled by the regulator                       290,000 (deposit 58,000)
  T4 3 @ 300,000  10-day window, 100,000 paid by bank → pending    900,000, paid 280,000
  T5 1 @ 310,000   2-day window → overdue at +2.5 days             310,000, paid  62,000
  T6 2 @ 300,000   5-day window → due within 3 days at +2.5 days   600,000, paid 120,000
"""

from datetime import timedelta

from market.services import settlement, surveillance
from models.base import utcnow
from tests.surveillance.helpers import settlement_of, trade


def window(world, days):
    response = world.regulator.patch("/api/v1/instruments/FO-QTY",
                                     json={"settlement_days": days})
    assert response.status_code == 200, response.json


def test_buckets_counts_amounts_and_rows(world):
    start = utcnow()
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="20000000")
    serial = world.lot(seller, quantity="50")
    t1 = trade(seller, buyer, serial, "300000.00", "1")
    assert settlement.default_overdue(utcnow() + timedelta(days=10, minutes=1)) == 1
    t2 = trade(seller, buyer, serial, "300000.00", "2")
    assert buyer.post(f"/api/v1/settlements/{settlement_of(t2['id']).id}/pay").status_code == 200
    t3 = trade(seller, buyer, serial, "290000.00", "1")
    cancelled = world.regulator.post(f"/api/v1/settlements/{settlement_of(t3['id']).id}/cancel",
                                     json={"reason": "wrong lot"})
    assert cancelled.status_code == 200
    t4 = trade(seller, buyer, serial, "300000.00", "3")
    paid = world.regulator.post(f"/api/v1/settlements/{settlement_of(t4['id']).id}/payments",
                                json={"amount": "100000.00", "reference": "ICBC-1"})
    assert paid.status_code == 200
    window(world, 2)
    t5 = trade(seller, buyer, serial, "310000.00", "1")
    window(world, 5)
    t6 = trade(seller, buyer, serial, "300000.00", "2")

    later = start + timedelta(days=2, hours=12)
    monitor = surveillance.settlement_monitor(world.regulator_user, later)
    buckets = {b["bucket"]: (b["count"], str(b["amount"]), str(b["deposit"]), str(b["paid"]),
                             str(b["outstanding"])) for b in monitor["buckets"]}
    assert buckets == {
        "pending": (1, "900000.00", "180000.00", "280000.00", "620000.00"),
        "due_within_3_days": (1, "600000.00", "120000.00", "120000.00", "480000.00"),
        "overdue": (1, "310000.00", "62000.00", "62000.00", "248000.00"),
        "defaulted": (1, "300000.00", "60000.00", "60000.00", "0.00"),
        "cancelled": (1, "290000.00", "58000.00", "0.00", "0.00"),
        "completed": (1, "600000.00", "120000.00", "600000.00", "0.00"),
    }
    rows = {bucket: [row["trade_id"] for row in found] for bucket, found in
            monitor["rows"].items()}
    assert rows == {"pending": [t4["id"]], "due_within_3_days": [t6["id"]],
                    "overdue": [t5["id"]], "defaulted": [t1["id"]], "cancelled": [t3["id"]]}
    [overdue] = monitor["rows"]["overdue"]
    assert (overdue["amount_due"], overdue["buyer_district_code"],
            overdue["origin_district_code"]) == (248000, "320214", "320282")
    assert 11 <= overdue["hours_overdue"] <= 12

    # The deadline job then defaults the overdue one; the monitor follows.
    assert settlement.default_overdue(later) == 1
    monitor = surveillance.settlement_monitor(world.regulator_user, later)
    counts = {b["bucket"]: b["count"] for b in monitor["buckets"]}
    assert counts == {"pending": 1, "due_within_3_days": 1, "overdue": 0, "defaulted": 2,
                      "cancelled": 1, "completed": 1}


def test_the_monitor_over_the_api(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="20000000")
    serial = world.lot(seller, quantity="50")
    trade(seller, buyer, serial, "300000.00", "1")
    eco = world.lot(seller, instrument="ECO-CARBON", quantity="100")
    trade(seller, buyer, eco, "60.00", "10", "ECO-CARBON")
    monitor = world.regulator.get("/api/v1/surveillance/settlements")
    assert monitor.status_code == 200
    buckets = {b["bucket"]: b for b in monitor.json["buckets"]}
    assert (buckets["pending"]["count"], buckets["pending"]["outstanding"]) == (1, "240000.00")
    assert (buckets["completed"]["count"], buckets["completed"]["amount"]) == (1, "600.00")
    [row] = monitor.json["rows"]["pending"]
    assert (row["amount"], row["paid"], row["amount_due"], row["instrument"]) == (
        "300000.00", "60000.00", "240000.00", "FO-QTY")
    assert "completed" not in monitor.json["rows"]
    eco_only = world.regulator.get("/api/v1/surveillance/settlements?instrument=ECO-CARBON")
    assert {b["bucket"]: b["count"] for b in eco_only.json["buckets"]}["pending"] == 0
    bad = world.regulator.get("/api/v1/surveillance/settlements?instrument=GOLD")
    assert bad.status_code == 422 and "instrument" in bad.json["error"]["fields"]
