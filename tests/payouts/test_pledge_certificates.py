"""A registered pledge gets a certificate that anyone can check; releasing it voids it."""

from sqlalchemy import select

from market.extensions import db
from models import Certificate


def _pledged(world):
    owner = world.trader("yixing", "320282")
    serial = world.lot(owner, quantity="10")
    pledge = owner.post(f"/api/v1/lots/{serial}/pledges", json={
        "quantity": "4", "pledgee_name": "江苏银行宜兴支行", "amount": "1000000.00",
        "reference": "JSB-2026-001"}).json
    registered = world.regulator.post(f"/api/v1/pledges/{pledge['id']}/register")
    assert registered.status_code == 200, registered.json
    return pledge["id"]


def test_a_registered_pledge_has_a_public_certificate_stating_the_pledge(world):
    pledge_id = _pledged(world)
    certificate = db.session.scalar(select(Certificate).where(Certificate.kind == "pledge"))
    assert certificate is not None and certificate.subject_id == str(pledge_id)
    public = world.anonymous.get(f"/api/v1/certificates/{certificate.code}")
    assert public.status_code == 200, public.json
    assert public.json["facts"]["pledgee"] == "江苏银行宜兴支行"
    assert public.json["facts"]["pledged_quantity"] in ("4", "4.0000")
    assert public.json["status"] == "valid"


def test_releasing_the_pledge_voids_its_certificate(world):
    pledge_id = _pledged(world)
    released = world.regulator.post(f"/api/v1/pledges/{pledge_id}/release",
                                    json={"reason": "贷款已还清"})
    assert released.status_code == 200, released.json
    code = db.session.scalar(select(Certificate.code).where(Certificate.kind == "pledge"))
    assert world.anonymous.get(f"/api/v1/certificates/{code}").json["status"] == "void"
