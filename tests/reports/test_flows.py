"""The district-to-district flow matrix (经济反哺), checked by hand.

Seller district = the county the lot comes from (a town's lot counts for its county); buyer
district = the county of the buyer's account. Completed settlements are money that moved,
pending ones are shown apart, cancelled ones not at all. Fees: FO-QTY 30 bp, ECO-CARBON 20 bp.

  F1 象山县 → 鄞州区        FO-QTY 2 @ 300,000 paid      600,000  fee 1,800  net 598,200
  F2 宁海县 → 鄞州区        FO-QTY 1 @ 290,000 paid      290,000  fee   870  net 289,130
  F3 宁海县 → 桐乡市        FO-QTY 3 @ 300,000 pending   900,000
  F4 象山县 → 桐乡市        FO-QTY 1 @ 300,000 cancelled
  F5 象山县 → 桐乡市        ECO-CARBON 10 @ 60 (settles at once)  600  fee 1.20  net 598.80
  F6 璜土镇 (江阴市) → 澄江街道 (江阴市)  FO-QTY 1 @ 300,000 paid  fee 900  net 299,100
"""

from datetime import datetime, timedelta

from market.calendar import MARKET_TIME
from tests.surveillance.helpers import settlement_of, trade


def pay(caller, fill):
    response = caller.post(f"/api/v1/settlements/{settlement_of(fill['id']).id}/pay")
    assert response.status_code == 200, response.json


def test_the_flow_matrix(world):
    xiangshan = world.trader("xiangshan", "330225")
    ninghai = world.trader("ninghai", "330226")
    huangtu = world.trader("huangtu", "320281100")
    yinzhou = world.trader("yinzhou", "330212", cash="10000000")
    tongxiang = world.trader("tongxiang", "330483", cash="10000000")
    chengjiang = world.trader("chengjiang", "320281001", cash="10000000")
    lot_x = world.lot(xiangshan, quantity="20")
    lot_n = world.lot(ninghai, quantity="20")
    lot_h = world.lot(huangtu, quantity="20")
    eco = world.lot(xiangshan, instrument="ECO-CARBON", quantity="100")
    pay(yinzhou, trade(xiangshan, yinzhou, lot_x, "300000.00", "2"))
    pay(yinzhou, trade(ninghai, yinzhou, lot_n, "290000.00", "1"))
    trade(ninghai, tongxiang, lot_n, "300000.00", "3")
    f4 = trade(xiangshan, tongxiang, lot_x, "300000.00", "1")
    world.regulator.post(f"/api/v1/settlements/{settlement_of(f4['id']).id}/cancel",
                         json={"reason": "entered in error"})
    trade(xiangshan, tongxiang, eco, "60.00", "10", "ECO-CARBON")
    pay(chengjiang, trade(huangtu, chengjiang, lot_h, "300000.00", "1"))

    today = datetime.now(MARKET_TIME).date()
    response = world.regulator.get(f"/api/v1/reports/flows?from={today}&to={today}")
    assert response.status_code == 200, response.json
    rows = [(r["instrument"], r["seller_district_code"], r["buyer_district_code"], r["trades"],
             r["quantity"], r["amount"], r["fee"], r["net_to_seller"], r["pending_trades"],
             r["pending_amount"]) for r in response.json["rows"]]
    assert rows == [
        ("ECO-CARBON", "330225", "330483", 1, "10.0000", "600.00", "1.20", "598.80", 0, "0.00"),
        ("FO-QTY", "320281", "320281", 1, "1.0000", "300000.00", "900.00", "299100.00", 0,
         "0.00"),
        ("FO-QTY", "330225", "330212", 1, "2.0000", "600000.00", "1800.00", "598200.00", 0,
         "0.00"),
        ("FO-QTY", "330226", "330212", 1, "1.0000", "290000.00", "870.00", "289130.00", 0,
         "0.00"),
        ("FO-QTY", "330226", "330483", 0, "0.0000", "0.00", "0.00", "0.00", 1, "900000.00"),
    ]
    assert response.json["rows"][2]["seller_district_name"] == "象山县"
    districts = {d["code"]: (d["received"], d["paid"], d["net"], d["pending_in"],
                             d["pending_out"]) for d in response.json["districts"]}
    assert districts == {
        "320281": ("299100.00", "300000.00", "-900.00", "0.00", "0.00"),
        "330212": ("0.00", "890000.00", "-890000.00", "0.00", "0.00"),
        "330225": ("598798.80", "0.00", "598798.80", "0.00", "0.00"),
        "330226": ("289130.00", "0.00", "289130.00", "900000.00", "0.00"),
        "330483": ("0.00", "600.00", "-600.00", "0.00", "900000.00"),
    }
    assert (response.json["from"], response.json["to"]) == (str(today), str(today))

    only_eco = world.regulator.get(
        f"/api/v1/reports/flows?from={today}&to={today}&instrument=ECO-CARBON").json
    assert [r["instrument"] for r in only_eco["rows"]] == ["ECO-CARBON"]
    tomorrow = today + timedelta(days=1)
    assert world.regulator.get(f"/api/v1/reports/flows?from={tomorrow}&to={tomorrow}"
                               ).json["rows"] == []
    assert len(world.regulator.get("/api/v1/reports/flows").json["rows"]) == 5


def test_bad_flow_queries_are_422_naming_the_field(world):
    get = world.regulator.get
    backwards = get("/api/v1/reports/flows?from=2026-11-30&to=2026-11-01")
    assert backwards.status_code == 422
    assert backwards.json["error"]["code"] == "bad_range"
    assert "from" in backwards.json["error"]["fields"]
    not_a_date = get("/api/v1/reports/flows?from=2026-13-01")
    assert not_a_date.status_code == 422 and "from" in not_a_date.json["error"]["fields"]
    unknown = get("/api/v1/reports/flows?instrument=GOLD")
    assert unknown.status_code == 422 and "instrument" in unknown.json["error"]["fields"]
