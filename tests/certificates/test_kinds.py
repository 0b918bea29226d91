"""Every kind issues, signs and voids the same way; surrenders and pledges call it alike."""

from dataclasses import dataclass

import pytest

from market.extensions import db
from market.services import certificates, registry
from models import Lot
from tests.certificates.helpers import lot_id


@dataclass
class Row:
    """Stands in for a surrender or pledge row: a table name, an id and a lot."""

    __tablename__ = "pledges"
    id: int
    lot: Lot


@pytest.mark.parametrize("kind", ["surrender", "pledge", "issuance", "retirement", "transfer"])
def test_each_kind_verifies_and_can_be_voided(world, kind):
    owner = world.trader("yixing", "320282")
    serial = world.lot(owner, quantity="50", grade=4)
    lot = db.session.get(Lot, lot_id(serial))
    row = Row(7, lot)
    issued = certificates.issue_certificate(
        kind, row, certificates.lot_facts(lot, pledgee_name="江阴农商银行", pledged_quantity="20"),
        world.regulator_user)
    db.session.commit()

    view = certificates.public_view(issued.code)
    assert view.kind == kind and view.standing.valid
    assert view.facts["pledgee_name"] == "江阴农商银行"
    assert certificates.compare_copy(issued.code, {"pledged_quantity": "20"}).matches
    assert not certificates.compare_copy(issued.code, {"pledged_quantity": "25"}).matches
    assert certificates.certificates_of(row) == [issued]

    assert certificates.void_certificates(row, "质押已解除", world.regulator_user) == 1
    db.session.commit()
    standing = certificates.public_view(issued.code).standing
    assert standing.status == "void" and "质押已解除" in standing.reasons[0]
    assert certificates.void_certificates(row, "again", world.regulator_user) == 0


def test_an_unknown_kind_is_a_programming_error(world):
    owner = world.trader("yixing", "320282")
    serial = world.lot(owner, quantity="5", grade=4)
    with pytest.raises(ValueError):
        certificates.issue_certificate("gift", registry.get_lot(serial), {}, None)
