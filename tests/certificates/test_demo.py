"""The demo shows a certificate of each kind the market issues by itself."""

from sqlalchemy import select

from models import Certificate


def test_the_demo_has_issuance_transfer_and_retirement_certificates(app, db_session):
    assert "demo data loaded" in app.test_cli_runner().invoke(args=["demo-data"]).output
    kinds = set(db_session.scalars(select(Certificate.kind)))
    assert {"issuance", "transfer", "retirement"} <= kinds
