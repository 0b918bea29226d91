"""A full trading day, as new users would live it, checked against a hand calculation.

FO-QTY terms: deposit 20 %, fee 30 bp charged to the seller, 10-day settlement window, a
defaulting buyer's deposit goes to the seller.

  sellers   宜兴市 (lot A, 50 mu, grade 4)  江阴市璜土镇 (lot B, 30 mu, grade 6)
  buyers    新吴区 5,000,000   梁溪区 3,000,000   惠山区 1,000,000

  1. 宜兴 sells 10 @ 300,000 (A)        2. 璜土 sells 8 @ 290,000 (B)
  3. 新吴 buys 6 @ 300,000  → T1 6 @ 290,000 from B = 1,740,000 (deposit 348,000, fee 5,220)
     hold 360,000, of which 12,000 comes back
  4. 梁溪 buys 5 @ 300,000  → T2 2 @ 290,000 from B = 580,000 (deposit 116,000, fee 1,740)
                            → T3 3 @ 300,000 from A = 900,000 (deposit 180,000, fee 2,700)
     hold 300,000, of which 4,000 comes back
  5. 惠山 buys 4 @ 295,000 (rests, hold 236,000), then moves it to 300,000
                            → T4 4 @ 300,000 from A = 1,200,000 (deposit 240,000, fee 3,600)
  6. 宜兴 cancels its last 3.
  Settlement: 新吴 pays T1 from cash (1,392,000); 梁溪's bank transfers are confirmed by the
  regulator (T2 464,000; T3 in two parts, 300,000 + 420,000); 惠山 never pays T4 and defaults.
"""

from datetime import timedelta
from decimal import Decimal

from market.services import settlement
from models.base import utcnow


def order(side, price, quantity, cid, **extra):
    return {"instrument": "FO-QTY", "side": side, "price": price, "quantity": quantity,
            "client_order_id": cid, **extra}


def balances(caller):
    me = caller.get("/api/v1/accounts/me").json
    return Decimal(me["cash_available"]), Decimal(me["cash_held"])


def test_a_full_day(world):
    yixing = world.trader("yixing", "320282")
    huangtu = world.trader("huangtu", "320281100")
    xinwu = world.trader("xinwu", "320214", cash="5000000")
    liangxi = world.trader("liangxi", "320213", cash="3000000")
    huishan = world.trader("huishan", "320206", cash="1000000")
    lot_a = world.lot(yixing, quantity="50", grade=4)
    lot_b = world.lot(huangtu, quantity="30", grade=6)

    ask_a = yixing.post("/api/v1/orders", json=order("sell", "300000.00", "10", "a",
                                                    lot_serial=lot_a)).json["order"]
    huangtu.post("/api/v1/orders", json=order("sell", "290000.00", "8", "b", lot_serial=lot_b))

    t1 = xinwu.post("/api/v1/orders", json=order("buy", "300000.00", "6", "x1")).json
    assert [(f["price"], f["quantity"]) for f in t1["fills"]] == [("290000.00", "6.0000")]
    t23 = liangxi.post("/api/v1/orders", json=order("buy", "300000.00", "5", "l1")).json
    assert [(f["price"], f["quantity"], f["lot_serial"]) for f in t23["fills"]] == [
        ("290000.00", "2.0000", lot_b), ("300000.00", "3.0000", lot_a)]
    bid = huishan.post("/api/v1/orders", json=order("buy", "295000.00", "4", "h1")).json
    assert bid["fills"] == [] and bid["order"]["held"] == "236000.00"
    t4 = huishan.patch(f"/api/v1/orders/{bid['order']['id']}", json={"price": "300000.00"}).json
    assert [(f["price"], f["quantity"]) for f in t4["fills"]] == [("300000.00", "4.0000")]
    yixing.delete(f"/api/v1/orders/{ask_a['id']}")

    def settlement_of(caller, trade_price, quantity):
        rows = caller.get("/api/v1/settlements").json
        [row] = [r for r in rows if r["buyer_account_id"] == caller.user.account_id
                 and r["price"] == trade_price and r["quantity"] == quantity]
        return row

    s1 = settlement_of(xinwu, "290000.00", "6.0000")
    assert (s1["amount"], s1["deposit"], s1["fee"], s1["amount_due"]) == (
        "1740000.00", "348000.00", "5220.00", "1392000.00")
    assert s1["origin_district_code"] == "320281100"
    paid = xinwu.post(f"/api/v1/settlements/{s1['id']}/pay").json
    assert (paid["status"], paid["amount_due"], paid["paid"]) == ("completed", "0.00", "1740000.00")

    s2 = settlement_of(liangxi, "290000.00", "2.0000")
    s3 = settlement_of(liangxi, "300000.00", "3.0000")
    for settlement_id, amount, reference in ((s2["id"], "464000.00", "ICBC-001"),
                                             (s3["id"], "300000.00", "ICBC-002"),
                                             (s3["id"], "420000.00", "ICBC-003")):
        response = world.regulator.post(f"/api/v1/settlements/{settlement_id}/payments",
                                        json={"amount": amount, "reference": reference})
        assert response.status_code == 200, response.json
    assert liangxi.get(f"/api/v1/settlements/{s3['id']}").json["status"] == "completed"

    s4 = settlement_of(huishan, "300000.00", "4.0000")
    assert s4["status"] == "pending_payment"
    assert settlement.default_overdue(utcnow() + timedelta(days=10, minutes=1)) == 1

    assert balances(xinwu) == (Decimal("3260000.00"), Decimal("0"))
    assert balances(liangxi) == (Decimal("2704000.00"), Decimal("0"))
    assert balances(huishan) == (Decimal("760000.00"), Decimal("0"))
    assert balances(huangtu) == (Decimal("2313040.00"), Decimal("0"))   # 1,734,780 + 578,260
    assert balances(yixing) == (Decimal("1137300.00"), Decimal("0"))    # 897,300 + 240,000

    a = world.regulator.get(f"/api/v1/lots/{lot_a}").json
    b = world.regulator.get(f"/api/v1/lots/{lot_b}").json
    assert (a["available"], a["encumbered"]) == ("47.0000", "0.0000")
    assert (b["available"], b["encumbered"]) == ("22.0000", "0.0000")
    children = {(c["owner_account_id"], c["quantity"])
                for lot in (a, b) for c in lot["children"]}
    assert children == {(xinwu.user.account_id, "6.0000"), (liangxi.user.account_id, "2.0000"),
                        (liangxi.user.account_id, "3.0000")}
    statuses = {row["id"]: row["status"] for row in world.regulator.get(
        "/api/v1/settlements").json}
    assert statuses == {s1["id"]: "completed", s2["id"]: "completed", s3["id"]: "completed",
                        s4["id"]: "defaulted"}
    xinwu_lots = xinwu.get("/api/v1/lots").json
    assert [(lot["parent"]["serial"], lot["available"]) for lot in xinwu_lots] == [
        (lot_b, "6.0000")]
