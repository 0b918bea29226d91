"""A certificate whose facts changed, in the database or on a copy, does not verify."""

import json

from sqlalchemy import text

from market.extensions import db
from tests.certificates.helpers import certificate, completed_sale


def _check(world, code, facts, **extra):
    return world.anonymous.post("/api/v1/certificates/verify",
                                json={"code": code, "facts": facts, **extra})


def test_the_facts_printed_on_a_genuine_copy_verify(world):
    _seller, _buyer, _serial, settlement = completed_sale(world)
    transfer = certificate("transfer", settlement_id=settlement.id)
    answer = _check(world, transfer.code, {"quantity": "10.0000", "amount": "3000000.00",
                                           "buyer": "xinwu account"},
                    signature=transfer.signature)
    assert answer.status_code == 200, answer.json
    assert answer.json["matches"] is True and answer.json["mismatched"] == []
    assert answer.json["valid"] is True
    # The same number written without the trailing zeros is the same fact.
    assert _check(world, transfer.code, {"quantity": "10", "amount": "3000000"}).json[
        "matches"] is True


def test_a_copy_with_changed_numbers_does_not_verify(world):
    _seller, _buyer, _serial, settlement = completed_sale(world)
    transfer = certificate("transfer", settlement_id=settlement.id)
    answer = _check(world, transfer.code, {"quantity": "10.0000", "amount": "3500000.00"})
    assert answer.status_code == 200
    assert answer.json["matches"] is False and answer.json["mismatched"] == ["amount"]
    assert _check(world, transfer.code, {"buyer": "someone else"}).json["matches"] is False
    assert _check(world, transfer.code, {"bonus": "1"}).json["unknown"] == ["bonus"]
    wrong_signature = _check(world, transfer.code, {"quantity": "10"}, signature="0" * 64)
    assert wrong_signature.json["matches"] is False


def test_facts_changed_in_the_database_show_as_tampered(world, client):
    _seller, _buyer, _serial, settlement = completed_sale(world)
    transfer = certificate("transfer", settlement_id=settlement.id)
    facts = json.loads(transfer.facts)
    facts["amount"] = "300.00"
    db.session.execute(text("UPDATE certificates SET facts = :facts WHERE id = :id"),
                       {"facts": json.dumps(facts, sort_keys=True, ensure_ascii=False,
                                            separators=(",", ":")), "id": transfer.id})
    db.session.commit()
    body = world.anonymous.get(f"/api/v1/certificates/{transfer.code}").json
    assert body["status"] == "tampered" and body["valid"] is False
    assert _check(world, transfer.code, {"amount": "300.00"}).json["matches"] is False
    assert "签名" in client.get(f"/verify/{transfer.code}").get_data(as_text=True)


def test_bad_checks_are_refused(world):
    _seller, _buyer, _serial, settlement = completed_sale(world)
    code = certificate("transfer", settlement_id=settlement.id).code
    for body in ({"code": code}, {"code": code, "facts": {}}, {"facts": {"amount": "1"}},
                 {"code": code, "facts": ["amount"]}, {"code": code, "facts": {"a": 1}},
                 {"code": "", "facts": {"amount": "1"}}):
        answer = world.anonymous.post("/api/v1/certificates/verify", json=body)
        assert answer.status_code == 422, (body, answer.json)
        assert answer.json["error"]["code"] == "validation_error"
    assert _check(world, "ABCDEFGHJKMN", {"amount": "1"}).status_code == 404
