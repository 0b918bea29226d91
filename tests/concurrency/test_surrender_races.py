"""Parallel surrenders against one obligation never surrender more than it asks.

PostgreSQL only: SQLite serializes writers, so parallel clients would prove nothing.
"""

import os
import threading
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from market.extensions import db
from models import Retirement
from tests.quotas.helpers import set_obligation

pytestmark = pytest.mark.skipif(
    not os.environ.get("TEST_DATABASE_URL"),
    reason="concurrency tests need PostgreSQL (set TEST_DATABASE_URL)")


def test_six_parallel_surrenders_fill_an_obligation_exactly(app, world):
    made = set_obligation(world, quantity="10")
    traders = [world.trader(f"yixing{i}", "320282") for i in range(6)]
    serials = [world.lot(t, instrument="ECO-CARBON", quantity="100") for t in traders]
    db.session.commit()
    barrier = threading.Barrier(len(traders))
    statuses: list[int] = [0] * len(traders)

    def send(index: int) -> None:
        client = app.test_client()
        barrier.wait()
        with app.app_context():
            response = client.post(
                f"/api/v1/obligations/{made['id']}/surrenders",
                json={"lot_serial": serials[index], "quantity": "4"},
                headers={"Authorization": f"Bearer {traders[index].token}"})
        statuses[index] = response.status_code

    threads = [threading.Thread(target=send, args=(i,)) for i in range(len(traders))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(statuses) == [201, 201, 409, 409, 409, 409]
    db.session.expire_all()
    assert db.session.scalar(select(func.sum(Retirement.quantity))) == Decimal("8.0000")
