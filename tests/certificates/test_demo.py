"""The demo shows a certificate of each kind the market issues by itself."""

from sqlalchemy import select

from models import Certificate


def test_the_demo_has_issuance_transfer_and_retirement_certificates(demo_session):
    kinds = set(demo_session.scalars(select(Certificate.kind)))
    assert {"issuance", "transfer", "retirement"} <= kinds
