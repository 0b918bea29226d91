"""Certificates verify publicly, show when they no longer hold, and leak nothing private."""

import math

from sqlalchemy import select

from market.extensions import db
from market.services import certificates
from market.services.certificates.signing import new_code
from models import Certificate
from tests.certificates.helpers import certificate, completed_sale, lot_id


def test_a_verified_lot_has_an_issuance_certificate_anyone_can_check(world):
    seller = world.trader("yixing", "320282", cash="123456.78")
    serial = world.lot(seller, quantity="50", grade=4)
    issued = certificate("issuance", lot_id=lot_id(serial))

    answer = world.anonymous.get(f"/api/v1/certificates/{issued.code}")
    assert answer.status_code == 200, answer.json
    body = answer.json
    assert body["valid"] is True and body["status"] == "valid"
    assert body["kind"] == "issuance"
    assert body["facts"]["lot_serial"] == serial
    assert body["facts"]["lot_quantity"] == "50.0000"
    assert body["facts"]["owner"] == "yixing account"
    assert body["verify_url"].endswith(f"/verify/{issued.code}")
    # Printed with dashes, typed in lower case: the same certificate.
    typed = certificates.printed_code(issued.code).lower()
    assert world.anonymous.get(f"/api/v1/certificates/{typed}").json["code"] == issued.code


def test_the_public_page_needs_no_login_and_states_only_the_facts(world, client):
    seller = world.trader("yixing", "320282", cash="123456.78")
    serial = world.lot(seller, quantity="50", grade=4)
    issued = certificate("issuance", lot_id=lot_id(serial))

    page = client.get(f"/verify/{issued.code}")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "指标核验证书" in html and "有效" in html and serial in html
    assert issued.signature in html
    # Nothing the certificate does not state: no balances, user names or account ids.
    for private in ("123456.78", "123,456.78", "yixing-", "password", "cash"):
        assert private not in html
    assert set(world.anonymous.get(f"/api/v1/certificates/{issued.code}").json) == {
        "code", "printed_code", "kind", "issued_at", "facts", "signature", "status", "valid",
        "reasons", "verify_url"}


def test_unknown_and_malformed_codes_are_not_found(world, client):
    assert world.anonymous.get("/api/v1/certificates/ABCDEFGHJKMN").status_code == 404
    assert world.anonymous.get("/api/v1/certificates/not-a-code").status_code == 404
    assert client.get("/verify/ABCDEFGHJKMN").status_code == 404
    assert "证书" in client.get("/verify/0000").get_data(as_text=True)


def test_a_revoked_lot_s_certificate_is_no_longer_valid(world, client):
    seller = world.trader("yixing", "320282")
    serial = world.lot(seller, quantity="50", grade=4)
    code = certificate("issuance", lot_id=lot_id(serial)).code

    frozen = world.regulator.post(f"/api/v1/lots/{serial}/freeze", json={"reason": "核查"})
    assert frozen.status_code == 200, frozen.json
    assert world.anonymous.get(f"/api/v1/certificates/{code}").json["status"] == "suspended"

    revoked = world.regulator.post(f"/api/v1/lots/{serial}/revoke",
                                   json={"reason": "验收材料虚假"})
    assert revoked.status_code == 200, revoked.json
    body = world.anonymous.get(f"/api/v1/certificates/{code}").json
    assert body["valid"] is False and body["status"] == "void"
    assert any("验收材料虚假" in reason for reason in body["reasons"])
    html = client.get(f"/verify/{code}").get_data(as_text=True)
    assert "已失效" in html and "验收材料虚假" in html


def test_a_completed_sale_has_a_transfer_certificate(world):
    seller, buyer, serial, settlement = completed_sale(world)
    transfer = certificate("transfer", settlement_id=settlement.id)
    facts = world.anonymous.get(f"/api/v1/certificates/{transfer.code}").json["facts"]
    assert facts["seller"] == "yixing account" and facts["buyer"] == "xinwu account"
    assert facts["quantity"] == "10.0000" and facts["amount"] == "3000000.00"
    assert facts["source_lot"] == serial
    assert facts["delivered_lot"] == settlement.child_lot.serial
    # The buyer's child lot is active at once: no issuance certificate of its own.
    assert db.session.scalar(select(Certificate.id).where(
        Certificate.kind == "issuance", Certificate.lot_id == settlement.child_lot_id)) is None


def test_a_retirement_has_a_certificate(world):
    owner = world.trader("yixing", "320282")
    serial = world.lot(owner, quantity="50", grade=4)
    retired = owner.post(f"/api/v1/lots/{serial}/retirements", json={
        "quantity": "5", "project_name": "工业园区用地", "project_code": "YD-2026-01"})
    assert retired.status_code == 201, retired.json
    use = certificate("retirement", lot_id=lot_id(serial))
    facts = world.anonymous.get(f"/api/v1/certificates/{use.code}").json["facts"]
    assert facts["retired_quantity"] == "5.0000" and facts["use_project_code"] == "YD-2026-01"


def test_codes_are_unguessable():
    codes = [new_code() for _ in range(2000)]
    assert len(set(codes)) == len(codes)
    assert all(len(code) == certificates.CODE_LENGTH for code in codes)
    assert all(set(code) <= set(certificates.ALPHABET) for code in codes)
    # At least 58 bits of randomness, and no ambiguous symbols to misread from paper.
    assert certificates.CODE_LENGTH * math.log2(len(certificates.ALPHABET)) >= 58
    assert not set("01ILO") & set(certificates.ALPHABET)
    # Every symbol turns up in every position: no fixed prefix, counter or checksum.
    for position in range(certificates.CODE_LENGTH):
        assert {code[position] for code in codes} == set(certificates.ALPHABET)


def test_certificates_issued_one_after_another_share_nothing(world):
    owner = world.trader("yixing", "320282")
    serials = [world.lot(owner, quantity="5", grade=4) for _ in range(4)]
    codes = [certificate("issuance", lot_id=lot_id(serial)).code for serial in serials]
    for first, second in zip(codes, codes[1:], strict=False):
        assert sum(a == b for a, b in zip(first, second, strict=True)) <= 4
