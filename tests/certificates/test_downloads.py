"""The PDF goes to the parties and regulators; the public endpoints are rate-limited."""

from market.services import certificates
from tests.certificates.helpers import certificate, completed_sale


def test_the_parties_and_the_regulator_download_the_pdf(world):
    seller, buyer, _serial, settlement = completed_sale(world)
    code = certificate("transfer", settlement_id=settlement.id).code
    for caller in (seller, buyer, world.regulator):
        answer = caller.get(f"/api/v1/certificates/{code}/pdf")
        assert answer.status_code == 200
        assert answer.content_type == "application/pdf" and answer.data.startswith(b"%PDF")
        assert f"certificate-{code}.pdf" in answer.headers["Content-Disposition"]
    outsider = world.trader("huishan", "320206")
    assert outsider.get(f"/api/v1/certificates/{code}/pdf").status_code == 404
    assert world.anonymous.get(f"/api/v1/certificates/{code}/pdf").status_code == 401


def test_a_regulator_outside_the_parties_jurisdiction_gets_no_pdf(world):
    from market.services import identity

    _seller, _buyer, _serial, settlement = completed_sale(world)
    code = certificate("transfer", settlement_id=settlement.id).code
    zhejiang = identity.create_user(world.admin_user, {
        "username": "zj-regulator", "password": "correct-horse-battery", "role": "regulator",
        "district_code": "330000"})
    assert world.caller(zhejiang).get(f"/api/v1/certificates/{code}/pdf").status_code == 404


def test_the_pdf_states_the_code_and_links_the_public_page(app, world):
    _seller, _buyer, _serial, settlement = completed_sale(world)
    code = certificate("transfer", settlement_id=settlement.id).code
    view = certificates.public_view(code)
    with app.test_request_context():
        document = certificates.certificate_pdf(view, f"http://localhost/verify/{code}")
    assert document.mimetype == "application/pdf" and document.body.startswith(b"%PDF")
    assert len(document.body) > 2000


def test_public_endpoints_are_rate_limited(app, world, client):
    previous = app.config["CERTIFICATE_RATE_LIMIT"]
    app.config["CERTIFICATE_RATE_LIMIT"] = "3 per minute"
    try:
        answers = [world.anonymous.get("/api/v1/certificates/ABCDEFGHJKMN").status_code
                   for _ in range(4)]
        pages = [client.get("/verify/ABCDEFGHJKMN").status_code for _ in range(4)]
    finally:
        app.config["CERTIFICATE_RATE_LIMIT"] = previous
    assert answers == [404, 404, 404, 429]
    assert pages == [404, 404, 404, 429]
