"""Log-in, tokens, roles and ownership."""

from datetime import timedelta

from sqlalchemy import select

from market.extensions import db
from models import ApiToken, AuditEvent
from models.base import utcnow
from tests.factories import PASSWORD


def login(client, username, password=PASSWORD):
    return client.post("/api/v1/auth/token", json={"username": username, "password": password})


def test_a_token_from_login_authenticates_api_calls(world):
    world.trader("xinwu", "320214")
    token = login(world.client, "xinwu").json["token"]
    me = world.client.get("/api/v1/accounts/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["district"]["name"] == "新吴区"


def test_no_credentials_is_401_and_wrong_role_is_403(world):
    buyer = world.trader("xinwu", "320214")
    assert world.anonymous.get("/api/v1/lots").status_code == 401
    assert world.anonymous.get("/api/v1/districts").status_code == 401
    response = buyer.post("/api/v1/accounts/1/deposits", json={"amount": "1", "reference": "x"})
    assert response.status_code == 403
    assert response.json["error"]["code"] == "forbidden"
    assert world.regulator.post("/api/v1/accounts", json={
        "name": "x", "district_code": "320214"}).status_code == 403


def test_a_wrong_password_is_401_and_audited(world):
    world.trader("xinwu", "320214")
    response = login(world.client, "xinwu", "not-the-password")
    assert response.status_code == 401
    assert response.json["error"]["code"] == "unauthorized"
    failures = db.session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert [event.target_id for event in failures] == ["xinwu"]


def test_repeated_failed_logins_are_rate_limited_even_with_the_right_password_after(world):
    world.trader("xinwu", "320214")
    statuses = [login(world.client, "xinwu", f"wrong-{n}").status_code for n in range(5)]
    assert statuses == [401] * 5
    limited = login(world.client, "xinwu")
    assert limited.status_code == 429
    assert limited.json["error"]["code"] == "too_many_requests"
    # another user from the same address is not locked out by someone else's failures
    world.trader("liangxi", "320213")
    assert login(world.client, "liangxi").status_code == 201


def test_successful_logins_do_not_count_toward_the_limit(world):
    world.trader("xinwu", "320214")
    assert all(login(world.client, "xinwu").status_code == 201 for _ in range(8))


def test_an_expired_token_is_refused(world):
    buyer = world.trader("xinwu", "320214")
    token = db.session.scalars(select(ApiToken).where(ApiToken.user_id == buyer.user.id)).one()
    token.expires_at = utcnow() - timedelta(seconds=1)
    db.session.commit()
    assert buyer.get("/api/v1/accounts/me").status_code == 401


def test_a_revoked_token_is_refused(world):
    buyer = world.trader("xinwu", "320214")
    assert buyer.delete("/api/v1/auth/token").status_code == 204
    assert buyer.get("/api/v1/accounts/me").status_code == 401


def test_an_admin_revokes_all_tokens_of_a_user(world):
    buyer = world.trader("xinwu", "320214")
    response = world.admin.post(f"/api/v1/users/{buyer.user.id}/revoke-tokens")
    assert response.json == {"revoked": 1}
    assert buyer.get("/api/v1/accounts/me").status_code == 401


def test_a_garbage_bearer_token_is_401(world):
    response = world.client.get("/api/v1/districts", headers={"Authorization": "Bearer nope"})
    assert response.status_code == 401


def test_a_trader_never_sees_another_accounts_balance_or_lots(world):
    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="1000")
    serial = world.lot(seller)
    assert buyer.get(f"/api/v1/accounts/{seller.user.account_id}").status_code == 404
    assert buyer.get(f"/api/v1/lots/{serial}").status_code == 404
    assert buyer.get("/api/v1/lots").json == []
    assert buyer.get("/api/v1/lots", query_string={"owner_account_id": seller.user.account_id}
                     ).json == []
    retire = buyer.post(f"/api/v1/lots/{serial}/retirements", json={
        "quantity": "1", "project_name": "p", "project_code": "c"})
    assert retire.status_code == 404
    assert world.regulator.get(f"/api/v1/lots/{serial}").status_code == 200


def test_admin_provisions_an_account_and_a_trader_over_the_api(world):
    created = world.admin.post("/api/v1/accounts", json={
        "name": "宜兴市自然资源和规划局", "district_code": "320282", "kind": "bureau"})
    assert created.status_code == 201, created.json
    assert created.json["cash_available"] == "0.00"
    user = world.admin.post("/api/v1/users", json={
        "username": "yixing", "password": "long-enough-pw", "role": "trader",
        "account_id": created.json["id"]})
    assert user.status_code == 201, user.json
    assert "password" not in user.json
    assert login(world.client, "yixing", "long-enough-pw").status_code == 201


def test_a_trader_user_needs_an_account_and_names_are_unique(world):
    response = world.admin.post("/api/v1/users", json={
        "username": "lonely", "password": "long-enough-pw", "role": "trader"})
    assert response.status_code == 422
    assert "account_id" in response.json["error"]["fields"]
    assert world.admin.post("/api/v1/users", json={
        "username": "regulator", "password": "long-enough-pw", "role": "regulator"}
    ).status_code == 409


def test_error_messages_are_chinese_by_default_and_english_on_request(world):
    chinese = world.regulator.get("/api/v1/lots/NO-SUCH-LOT")
    english = world.regulator.get("/api/v1/lots/NO-SUCH-LOT", headers={"Accept-Language": "en"})
    assert chinese.json["error"]["code"] == english.json["error"]["code"] == "not_found"
    assert chinese.json["error"]["message"].startswith("未找到")
    assert english.json["error"]["message"] == "lot NO-SUCH-LOT not found"
    anonymous = world.anonymous.get("/api/v1/accounts/me")
    assert anonymous.json["error"]["message"] == "请先登录，或提供有效的访问令牌（Bearer token）"
