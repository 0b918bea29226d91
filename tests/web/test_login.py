"""Page login and logout: sessions, CSRF, failed logins audited and limited."""

import pytest
from sqlalchemy import select

from models import AuditEvent


def test_the_desk_sends_an_anonymous_visitor_to_login_and_back(browser):
    response = browser.get("/desk/instruments?x=1")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=/desk/instruments?x%3D1"
    page = browser.get(response.headers["Location"]).get_data(as_text=True)
    assert "登录监管工作台" in page
    logged_in = browser.login("regulator", next_path="/desk/instruments")
    assert logged_in.headers["Location"] == "/desk/instruments"
    assert browser.get("/desk/instruments").status_code == 200


@pytest.mark.parametrize("target", ["//evil.example/desk", "https://evil.example/",
                                    "/\\evil.example", "desk"])
def test_next_never_leaves_the_site(browser, target):
    response = browser.login("regulator", next_path=target)
    assert response.status_code == 302
    assert response.headers["Location"] == "/desk"


def test_a_wrong_password_is_refused_audited_and_then_limited(browser, db_session):
    response = browser.login("regulator", "not-the-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)
    assert browser.get("/desk").status_code == 302  # still logged out
    [event] = db_session.scalars(
        select(AuditEvent).where(AuditEvent.action == "auth.login_failed")).all()
    assert (event.actor, event.target_id) == ("regulator", "regulator")
    assert '"via": "page"' in event.details
    statuses = [browser.login("regulator", f"wrong-{n}").status_code for n in range(4)]
    assert statuses == [401] * 4
    limited = browser.login("regulator")  # the right password, but too many failures
    assert limited.status_code == 429
    assert "登录失败次数过多" in limited.get_data(as_text=True)


def test_an_unknown_user_gets_the_same_answer(browser):
    response = browser.login("nobody", "whatever-password")
    assert response.status_code == 401
    assert "用户名或密码错误" in response.get_data(as_text=True)


def test_an_empty_form_is_shown_again_with_chinese_errors(browser):
    response = browser.submit("/login", "/login", {"username": "", "password": ""})
    assert response.status_code == 422
    assert "请输入用户名" in response.get_data(as_text=True)


def test_login_and_logout_need_the_csrf_token(regulator, browser):
    refused = browser.post("/logout")
    assert refused.status_code == 400
    assert "CSRF" in refused.get_data(as_text=True)
    assert regulator.get("/desk").status_code == 200  # still logged in
    logged_out = regulator.submit("/desk", "/logout", {})
    assert logged_out.headers["Location"] == "/login"
    assert regulator.get("/desk").status_code == 302
    fresh = browser.post("/login", data={"username": "regulator",
                                                "password": "correct-horse-battery"})
    assert fresh.status_code == 400


def test_a_deactivated_user_loses_the_session_at_once(regulator, world, db_session):
    assert regulator.get("/desk").status_code == 200
    world.regulator_user.active = False
    db_session.commit()
    response = regulator.get("/desk")
    assert response.status_code == 302 and response.headers["Location"].startswith("/login")
