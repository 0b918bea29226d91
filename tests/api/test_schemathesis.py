"""The OpenAPI document is a contract: generated requests to every operation, as a trader and
as a regulator, never get a 5xx, and every answer is one the document declares (its status
code, its content type, its headers and a body that matches its schema).

Schemathesis generates the requests from the document the app serves and sends them to the
Flask app in-process (WSGI). Each operation gets a few fully generated cases and, where its
path names a resource, a few more aimed at one that exists, so the success answers are
checked too, not only the 404s. The run is bounded and derandomized: the same cases every
run, within a minute on SQLite.
"""

import re
from datetime import timedelta

import pytest
import schemathesis
from hypothesis import HealthCheck, Phase, given, settings
from sqlalchemy import select

from market.extensions import db
from market.services import registry
from models import Alert, Payout, Settlement
from models.base import utcnow
from tests.surveillance.helpers import trade

EXAMPLES_PER_STRATEGY = 3
CHECKS = [schemathesis.checks.not_a_server_error,
          schemathesis.checks.status_code_conformance,
          schemathesis.checks.content_type_conformance,
          schemathesis.checks.response_headers_conformance,
          schemathesis.checks.response_schema_conformance]
# Revoking the caller's own token would leave the rest of the run anonymous: that operation
# gets a fresh token for each case.
OWN_TOKEN = {("DELETE", "/api/v1/auth/token")}
CONTRACT_SETTINGS = settings(max_examples=EXAMPLES_PER_STRATEGY, derandomize=True,
                             database=None, deadline=None,
                             phases=[Phase.explicit, Phase.generate],
                             suppress_health_check=list(HealthCheck))


@pytest.fixture
def market(world, evidence_dir):
    """Something of each kind to find: lots, evidence, an open order, a trade, its settlement,
    an alert."""
    trader = world.trader("yixing", "320282", cash="10000000")
    neighbour = world.trader("yixing-2", "320282", cash="10000000")
    serial = world.lot(trader, quantity="50", grade=4)
    world.lot(trader, instrument="ECO-CARBON", quantity="100", verify=False)
    fill = trade(trader, neighbour, serial, "300000.00", "1")
    resting = trader.post("/api/v1/orders", json={
        "instrument": "FO-QTY", "side": "sell", "price": "310000.00", "quantity": "2",
        "lot_serial": serial, "client_order_id": "resting"}).json["order"]
    world.regulator.post("/api/v1/surveillance/detect")
    auctions = _auctions(trader, neighbour, serial)
    evidence = registry.attach_evidence(trader.user, serial, [registry.Upload(
        "acceptance.pdf", b"%PDF-1.4\n%%EOF\n")])[0].id
    alert = db.session.scalar(select(Alert.id).limit(1))
    # Money back and pledges: a sale owing a beneficiary, and a pending pledge.
    eco = world.lot(trader, instrument="ECO-CARBON", quantity="100")
    trader.put(f"/api/v1/lots/{eco}/beneficiaries",
               json=[{"name": "村民", "kind": "villager", "share": "1"}])
    trade(trader, neighbour, eco, "60.00", "10", instrument="ECO-CARBON")
    pledge = trader.post(f"/api/v1/lots/{serial}/pledges", json={
        "quantity": "1", "pledgee_name": "银行", "amount": "1000.00",
        "reference": "L-1"}).json["id"]
    obligation = world.regulator.post("/api/v1/obligations", json={
        "district_code": "320282", "instrument": "ECO-CARBON", "quantity": "10",
        "period_start": "2026-01-01", "period_end": "2099-12-31"}).json["id"]
    transfer = trader.post("/api/v1/negotiated-transfers", json={
        "lot_serial": serial, "quantity": "1", "price": "300000.00",
        "buyer_account_id": neighbour.user.account_id}).json["id"]
    known = {"obligation_id": obligation,
             "code": "FO-QTY", "serial": serial, "order_id": resting["id"],
             "trade_id": fill["id"], "account_id": trader.user.account_id,
             "transfer_id": transfer,
             "user_id": trader.user.id, "alert_id": alert or 1, "evidence_id": evidence,
             "settlement_id": db.session.scalar(select(Settlement.id).where(
                 Settlement.trade_id == fill["id"])),
             "payout_id": db.session.scalar(select(Payout.id)), "pledge_id": pledge} | auctions
    return {"trader": trader, "regulator": world.regulator, "known": known}


def _auctions(trader, neighbour, serial) -> dict:
    """A listing with a registrant, and a procurement: their ids for the paths."""
    times = {"announce_until": (utcnow() + timedelta(hours=1)).isoformat(),
             "bidding_opens_at": (utcnow() + timedelta(hours=1)).isoformat(),
             "bidding_closes_at": (utcnow() + timedelta(hours=2)).isoformat()}
    listing = trader.post("/api/v1/listings", json={
        "lot_serial": serial, "quantity": "2", "start_price": "300000.00",
        "increment": "1000.00", "bid_deposit": "10000.00", "qualification": "review",
        **times}).json
    registration = neighbour.post(f"/api/v1/listings/{listing['id']}/registrations").json
    procurement = neighbour.post("/api/v1/procurements", json={
        "instrument": "FO-QTY", "quantity": "1", "start_price": "300000.00",
        "floor_price": "250000.00", "decrement": "1000.00", "bid_deposit": "1000.00",
        **times}).json
    return {"listing_id": listing["id"], "registration_id": registration["id"],
            "procurement_id": procurement["id"]}


def _strategies(operation, known: dict) -> list:
    """Generated cases, and where the path names resources, cases about ones that exist."""
    strategies = [operation.as_strategy()]
    names = re.findall(r"{(\w+)}", operation.path)
    if names:
        strategies.append(operation.as_strategy(
            path_parameters={name: known[name] for name in names}))
    return strategies


def _run(app, world, caller, strategy, own_token: bool, statuses: list) -> None:
    """Send the strategy's cases as `caller`; raise what the checks find."""

    @CONTRACT_SETTINGS
    @given(case=strategy)
    def keeps_the_contract(case):
        token = world.caller(caller.user).token if own_token else caller.token
        # Each request in its own app context, as a server runs it: its session ends with
        # it, whatever the request did to it.
        with app.app_context():
            response = case.call(headers={"Authorization": f"Bearer {token}"})
        statuses.append(response.status_code)
        case.validate_response(response, checks=CHECKS)

    keeps_the_contract()


@pytest.mark.parametrize("role", ["trader", "regulator"])
def test_every_operation_keeps_the_contract(app, world, market, role):
    caller = market[role]
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    failures, statuses = [], []
    for result in schema.get_all_operations():
        operation = result.ok()
        own_token = (operation.method.upper(), operation.path) in OWN_TOKEN
        for strategy in _strategies(operation, market["known"]):
            try:
                _run(app, world, caller, strategy, own_token, statuses)
            except (Exception, schemathesis.errors.FailureGroup) as error:
                # Collected rather than raised, so one run names every operation that fails.
                failures.append(f"{operation.method.upper()} {operation.path}: {error}")
    assert failures == [], "\n\n".join(failures)
    assert len(statuses) >= 200, "the run should be a few hundred cases"
    assert sum(200 <= status < 300 for status in statuses) >= 50, "mostly refusals: check setup"
