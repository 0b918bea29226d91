"""Server-rendered pages (session login, CSRF-protected forms)."""

from flask import Flask

from market.web import pages


def register(app: Flask) -> None:
    """Mount the page blueprint."""
    app.register_blueprint(pages.bp)
