"""An admin deactivates a user or sets a new password; both end what the user had open."""

from sqlalchemy import select

from models import ApiToken, AuditEvent
from tests.factories import PASSWORD


def audited(session, action):
    return session.scalars(select(AuditEvent).where(AuditEvent.action == action)).all()


def test_only_an_admin_deactivates_or_sets_passwords(world):
    buyer = world.trader("xinwu", "320214")
    target = buyer.user.id
    assert world.regulator.post(f"/api/v1/users/{target}/deactivate",
                                json={"reason": "x"}).status_code == 403
    assert world.regulator.put(f"/api/v1/users/{target}/password",
                               json={"password": "long-enough-pw"}).status_code == 403
    assert world.admin.post("/api/v1/users/9999/deactivate",
                            json={"reason": "x"}).status_code == 404
    assert world.admin.put(f"/api/v1/users/{target}/password",
                           json={"password": "short"}).status_code == 422
    assert world.admin.post(f"/api/v1/users/{target}/deactivate", json={}).status_code == 422


def test_an_admin_cannot_deactivate_themselves(world):
    answer = world.admin.post(f"/api/v1/users/{world.admin_user.id}/deactivate",
                              json={"reason": "oops"})
    assert answer.status_code == 409
    assert answer.json["error"]["code"] == "cannot_deactivate_self"


def test_deactivation_refuses_logins_revokes_tokens_and_is_audited(world, db_session):
    buyer = world.trader("xinwu", "320214")
    answer = world.admin.post(f"/api/v1/users/{buyer.user.id}/deactivate",
                              json={"reason": "left the bureau"})
    assert answer.json["active"] is False
    login = world.client.post("/api/v1/auth/token",
                              json={"username": "xinwu", "password": PASSWORD})
    assert login.status_code == 401
    db_session.expire_all()
    tokens = db_session.scalars(select(ApiToken).where(ApiToken.user_id == buyer.user.id))
    assert all(token.revoked_at is not None for token in tokens)
    [event] = audited(db_session, "user.deactivate")
    assert (event.actor, event.target_id) == ("admin", str(buyer.user.id))
    assert '"reason": "left the bureau"' in event.details


def test_a_new_password_is_audited_without_any_secret(world, db_session):
    buyer = world.trader("xinwu", "320214")
    answer = world.admin.put(f"/api/v1/users/{buyer.user.id}/password",
                             json={"password": "a-brand-new-password"})
    assert answer.status_code == 200 and "password" not in answer.json
    assert buyer.get("/api/v1/accounts/me").status_code == 401
    [event] = audited(db_session, "user.password_change")
    assert "a-brand-new-password" not in event.details and "$" not in event.details
    assert world.client.post("/api/v1/auth/token", json={
        "username": "xinwu", "password": "a-brand-new-password"}).status_code == 201
