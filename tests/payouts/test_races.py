"""Races: parallel disbursements never pay more than owed; parallel registrations never
pledge more than a lot has. PostgreSQL only (SQLite serializes writers anyway)."""

import os
import threading
import traceback
from decimal import Decimal

import pytest

from market.extensions import db
from tests.payouts.helpers import VILLAGE, carbon_seller, sell_carbon
from tests.payouts.test_pledges_api import PLEDGE

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="concurrency tests need PostgreSQL (set TEST_DATABASE_URL)")


def _together(app, requests: list[tuple[str, str, dict | None]]) -> list[tuple[int, dict]]:
    """Send (token, path, body) POSTs at the same moment; their (status, JSON) in order."""
    db.session.commit()
    barrier = threading.Barrier(len(requests))
    results: list = [None] * len(requests)

    def send(index: int) -> None:
        token, path, body = requests[index]
        client = app.test_client()
        barrier.wait()
        try:
            response = client.post(path, json=body,
                                   headers={"Authorization": f"Bearer {token}"})
            results[index] = (response.status_code, response.get_json(silent=True))
        except Exception:
            results[index] = (500, {"trace": traceback.format_exc()})

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(requests))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


def test_parallel_disbursements_never_pay_more_than_owed(app, world):
    seller, serial = carbon_seller(world)
    seller.put(f"/api/v1/lots/{serial}/beneficiaries", json=VILLAGE)
    sell_carbon(world, seller, serial)
    villagers = seller.get("/api/v1/payouts").json[0]  # 19,850.22 owed
    path = f"/api/v1/payouts/{villagers['id']}/disbursements"
    results = _together(app, [(seller.token, path, {"amount": "6000.00",
                                                    "reference": f"R-{i}"})
                              for i in range(4)])
    statuses = sorted(status for status, _body in results)
    assert statuses == [201, 201, 201, 422], results
    db.session.expire_all()
    assert seller.get(f"/api/v1/payouts/{villagers['id']}").json["owed"] == "1850.22"


def test_parallel_registrations_never_pledge_more_than_the_lot_has(app, world):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="10")
    ids = [seller.post(f"/api/v1/lots/{serial}/pledges", json=PLEDGE).json["id"]
           for _ in range(3)]
    results = _together(app, [(world.regulator.token, f"/api/v1/pledges/{i}/register", None)
                              for i in ids])
    assert sorted(status for status, _body in results) == [200, 409, 409], results
    db.session.expire_all()
    lot = seller.get(f"/api/v1/lots/{serial}").json
    assert (Decimal(lot["available"]), Decimal(lot["pledged"])) == (4, 6)
