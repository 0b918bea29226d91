"""Page sessions end on the server: a cookie kept from before logout, deactivation or a new
password opens nothing."""

from sqlalchemy import select

from models import AuditEvent
from tests.web.conftest import Browser


def session_cookie(browser: Browser) -> str:
    """The page session cookie the browser holds now."""
    return browser.client.get_cookie("session").value


def replay(app, cookie: str) -> Browser:
    """Another browser that sends a copied session cookie (as a thief would)."""
    other = Browser(app)
    other.client.set_cookie("session", cookie)
    return other


def refused(response) -> bool:
    return response.status_code == 302 and response.headers["Location"].startswith("/login")


def test_a_cookie_kept_from_before_logout_no_longer_opens_the_desk(app, regulator, db_session):
    kept = session_cookie(regulator)
    assert replay(app, kept).get("/desk").status_code == 200
    assert regulator.submit("/desk", "/logout", {}).headers["Location"] == "/login"
    assert refused(replay(app, kept).get("/desk"))
    [event] = db_session.scalars(select(AuditEvent).where(AuditEvent.action == "auth.logout"))
    assert (event.actor, event.target_id) == ("regulator", str(event.actor_user_id))


def test_logout_ends_the_users_other_sessions_too(app, browser, db_session):
    assert browser.login("regulator").status_code == 302
    laptop = Browser(app)
    assert laptop.login("regulator").status_code == 302
    assert browser.submit("/desk", "/logout", {}).status_code == 302
    assert refused(laptop.get("/desk"))
    assert laptop.login("regulator").status_code == 302  # a fresh login works as before
    assert laptop.get("/desk").status_code == 200


def test_deactivating_a_user_ends_their_live_session_for_good(app, regulator, world, db_session):
    kept = session_cookie(regulator)
    answer = world.admin.post(f"/api/v1/users/{world.regulator_user.id}/deactivate",
                              json={"reason": "left the bureau"})
    assert answer.status_code == 200, answer.json
    assert answer.json["active"] is False
    assert refused(regulator.get("/desk"))
    assert world.regulator.get("/api/v1/districts").status_code == 401
    # even switched back on by hand, the old cookie stays dead
    db_session.expire_all()
    world.regulator_user.active = True
    db_session.commit()
    assert refused(replay(app, kept).get("/desk"))


def test_a_password_change_ends_every_session_and_token(app, regulator, world, db_session):
    kept = session_cookie(regulator)
    answer = world.admin.put(f"/api/v1/users/{world.regulator_user.id}/password",
                             json={"password": "a-brand-new-password"})
    assert answer.status_code == 200, answer.json
    assert refused(replay(app, kept).get("/desk"))
    assert world.regulator.get("/api/v1/districts").status_code == 401
    assert regulator.login("regulator").status_code == 401  # the old password is gone
    assert regulator.login("regulator", "a-brand-new-password").status_code == 302
    assert regulator.get("/desk").status_code == 200
