"""Who may place, change and cancel orders: a live token of an active trader with an account.

The same answers whoever checks: the request itself when it matches inline, the order writer
in the batch that carries the command out (tests/writer/test_order_callers_through_the_writer.py
runs these again that way). Each refused request leaves no order behind.
"""

from datetime import timedelta

import pytest
from sqlalchemy import func, select, update

from market.extensions import db
from models import ApiToken, Order, User
from models.base import utcnow
from tests.api.test_orders import order


@pytest.fixture
def buyer(world):
    return world.trader("xinwu", "320214", cash="10000000")


def _orders() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(Order))


def _refused(response, status: int, code: str) -> None:
    assert response.status_code == status, response.json
    assert response.json["error"]["code"] == code


def test_a_live_token_places_changes_and_cancels(buyer):
    placed = buyer.post("/api/v1/orders", json=order("buy", "290000.00", "2", "live"))
    assert placed.status_code == 201, placed.json
    order_id = placed.json["order"]["id"]
    assert buyer.patch(f"/api/v1/orders/{order_id}", json={"quantity": "1"}).status_code == 200
    assert buyer.delete(f"/api/v1/orders/{order_id}").status_code == 200


def test_no_token_and_a_garbage_token_are_401(world, buyer):
    _refused(world.anonymous.post("/api/v1/orders", json=order("buy", "290000.00", "1", "a")),
             401, "unauthorized")
    garbage = {"Authorization": "Bearer not-a-token"}
    _refused(world.client.post("/api/v1/orders", json=order("buy", "290000.00", "1", "g"),
                               headers=garbage), 401, "unauthorized")
    _refused(world.client.delete("/api/v1/orders/1", headers=garbage), 401, "unauthorized")
    _refused(world.client.patch("/api/v1/orders/1", json={"quantity": "1"}, headers=garbage),
             401, "unauthorized")
    assert _orders() == 0


def test_a_token_revoked_after_an_order_places_nothing_more(buyer):
    first = buyer.post("/api/v1/orders", json=order("buy", "290000.00", "1", "before"))
    assert first.status_code == 201, first.json
    assert buyer.delete("/api/v1/auth/token").status_code == 204
    _refused(buyer.post("/api/v1/orders", json=order("buy", "290000.00", "1", "after")),
             401, "unauthorized")
    _refused(buyer.delete(f"/api/v1/orders/{first.json['order']['id']}"), 401, "unauthorized")
    assert _orders() == 1
    assert db.session.get(Order, first.json["order"]["id"]).status == "open"


def test_an_expired_token_is_401(buyer):
    db.session.execute(update(ApiToken).where(ApiToken.user_id == buyer.user.id)
                       .values(expires_at=utcnow() - timedelta(seconds=1)))
    db.session.commit()
    _refused(buyer.post("/api/v1/orders", json=order("buy", "290000.00", "1", "late")),
             401, "unauthorized")
    assert _orders() == 0


def test_an_inactive_users_token_is_401(buyer):
    # Deactivating revokes the tokens too; here only the user's flag says no.
    db.session.execute(update(User).where(User.id == buyer.user.id).values(active=False))
    db.session.commit()
    _refused(buyer.post("/api/v1/orders", json=order("buy", "290000.00", "1", "gone")),
             401, "unauthorized")
    assert _orders() == 0


def test_a_regulator_is_403_with_the_words_of_every_trader_only_endpoint(world, buyer):
    placed = world.regulator.post("/api/v1/orders", json=order("buy", "290000.00", "1", "r"),
                                  headers={"Accept-Language": "en"})
    _refused(placed, 403, "forbidden")
    listed = world.regulator.get("/api/v1/orders", headers={"Accept-Language": "en"})
    assert placed.json["error"]["message"] == listed.json["error"]["message"]
    _refused(world.regulator.delete("/api/v1/orders/1"), 403, "forbidden")
    assert _orders() == 0
