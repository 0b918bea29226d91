"""The journeys share the browser test's chromium and live server, and log in through the form."""

import pytest

from tests.factories import PASSWORD
from tests.web.test_browser import chromium, live_server  # noqa: F401  (fixtures)

VIEWPORT = {"width": 1280, "height": 900}


class Visit:
    """One person's own browser context (cookies of their own), logged in through the form."""

    def __init__(self, browser, base: str, username: str):
        self.base = base
        self.context = browser.new_context(viewport=VIEWPORT, locale="zh-CN",
                                           accept_downloads=True)
        self.page = self.context.new_page()
        self.script_errors: list[str] = []
        self.page.on("pageerror", lambda error: self.script_errors.append(str(error)))
        self.goto("/login")
        self.page.fill("#username", username)
        self.page.fill("#password", PASSWORD)
        self.page.click("button[type=submit].primary")
        self.page.wait_for_load_state()
        assert "/login" not in self.page.url, f"{username} could not log in"

    def goto(self, path: str):
        """Open a page of the app; the response (its status is what a person is refused by)."""
        return self.page.goto(self.base + path)

    def submit(self, form: str):
        """Press the form's primary (or only) submit button and wait for the answer page."""
        with self.page.expect_navigation():
            self.page.locator(f"{form} button[type=submit]").first.click()

    def flash(self) -> str:
        """The success or error notices the page shows."""
        return " ".join(self.page.locator(".notice, .flash, [role=alert]").all_inner_texts())

    def text(self) -> str:
        return self.page.locator("main").inner_text() if self.page.locator("main").count() \
            else self.page.inner_text("body")

    def close(self):
        assert self.script_errors == [], self.script_errors
        self.context.close()


@pytest.fixture
def visit(chromium, live_server):  # noqa: F811  (the imported fixtures)
    """Opens a logged-in browser context per person; closes them all after the test."""
    opened = []

    def open_as(username: str) -> Visit:
        opened.append(Visit(chromium, live_server, username))
        return opened[-1]

    yield open_as
    for visit in opened:
        visit.close()
