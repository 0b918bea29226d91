"""A negotiated price far from the guide raises an alert while the regulators decide."""

from market.services import surveillance
from models import Alert
from tests.negotiated.conftest import propose


def test_a_far_negotiated_price_is_alerted_once_near_ones_are_not(cast, db_session):
    serial = cast.world.lot(cast.xiangshan, quantity="10")
    far = propose(cast.xiangshan, serial, cast.xinwu, "1", "360000.00").json  # +20 %
    propose(cast.xiangshan, serial, cast.xinwu, "1", "320000.00")  # +6.7 %, under 15 %
    assert surveillance.detect() >= 1
    assert surveillance.detect() == 0
    alerts = db_session.query(Alert).filter_by(kind="negotiated_deviation").all()
    assert [a.dedup_key for a in alerts] == [f"negotiated_deviation:transfer:{far['id']}"]
    [alert] = alerts
    assert sorted(a.id for a in alert.accounts) == sorted(
        [cast.xiangshan.user.account_id, cast.xinwu.user.account_id])
    listed = cast.ningbo.get("/api/v1/surveillance/alerts?kind=negotiated_deviation").json
    assert [a["id"] for a in listed] == [alert.id]


def test_the_threshold_is_a_setting_regulators_change(cast):
    changed = cast.national.patch("/api/v1/surveillance/settings",
                                  json={"negotiated_deviation": "0.25"})
    assert changed.status_code == 200, changed.json
    assert {s["key"]: s["value"] for s in changed.json}["negotiated_deviation"] == "0.25"


def test_off_book_deals_are_not_fills_that_excuse_cancelling_orders(cast, db_session):
    for number in range(20):
        placed = cast.xinwu.post("/api/v1/orders", json={
            "instrument": "ECO-CARBON", "side": "buy", "price": "50.00", "quantity": "1",
            "client_order_id": f"c{number}"})
        assert cast.xinwu.delete(f"/api/v1/orders/{placed.json['order']['id']}").status_code \
            == 200
    serial = cast.world.lot(cast.xiangshan, instrument="ECO-CARBON", quantity="100")
    for _ in range(3):
        tid = propose(cast.xiangshan, serial, cast.xinwu, "1", "60.00").json["id"]
        cast.xinwu.post(f"/api/v1/negotiated-transfers/{tid}/accept")
        assert cast.national.post(f"/api/v1/negotiated-transfers/{tid}/approve").json[
            "status"] == "approved"
    surveillance.detect()
    [alert] = db_session.query(Alert).filter_by(kind="cancel_fill_ratio").all()
    assert '"fills": 0' in alert.details
