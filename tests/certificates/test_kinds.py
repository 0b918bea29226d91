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


def test_a_transfer_whose_settlement_did_not_complete_does_not_hold(world):
    from tests.surveillance.helpers import settlement_of, trade

    seller = world.trader("yixing", "320282")
    buyer = world.trader("xinwu", "320214", cash="100000000")
    serial = world.lot(seller, quantity="50", grade=4)
    pending = settlement_of(trade(seller, buyer, serial, "300000.00", "2")["id"])
    # A deal certified before delivery (an off-book deal may be), then annulled.
    issued = certificates.issue_certificate("transfer", pending,
                                            {"settlement_id": pending.id}, None)
    db.session.commit()
    cancelled = world.regulator.post(f"/api/v1/settlements/{pending.id}/cancel",
                                     json={"reason": "双方解除协议"})
    assert cancelled.status_code == 200, cancelled.json
    body = world.anonymous.get(f"/api/v1/certificates/{issued.code}",
                               headers={"Accept-Language": "en"}).json
    assert body["status"] == "void"
    assert body["reasons"] == ["the transfer did not complete"]
