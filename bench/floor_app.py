"""The floor for bench/orders_http.py: the cheapest useful request on the same stack.

Flask, SQLAlchemy (Core, no ORM), psycopg2 and gunicorn, as the market uses, but one
endpoint doing one short transaction with about the work every order request cannot avoid:

* authenticate the bearer token by its SHA-256 digest in `api_tokens` (joined to `users`),
* read the instrument's row,
* INSERT one row into the scratch table `bench_floor` (created by the benchmark),
* commit, and answer with JSON.

`POST /floor-locked` does the same but reads the instrument `FOR UPDATE`, as placing an order
does, to show what the per-instrument lock alone costs under concurrency.

Served with ``gunicorn bench.floor_app:app`` and ``DATABASE_URL`` set. It reads no market code.
"""

import hashlib
import os

import sqlalchemy as sa
from flask import Flask, jsonify, request

app = Flask(__name__)
engine = sa.create_engine(os.environ["DATABASE_URL"], pool_pre_ping=False)

TOKEN = sa.text(
    "SELECT t.user_id, u.account_id, u.role FROM api_tokens t JOIN users u ON u.id = t.user_id "
    "WHERE t.digest = :digest AND t.revoked_at IS NULL AND t.expires_at > now() AND u.active")
INSTRUMENT = sa.text("SELECT id, tick_size, lot_size, guide_price FROM instruments "
                     "WHERE code = :code")
INSTRUMENT_LOCKED = sa.text("SELECT id, tick_size, lot_size, guide_price FROM instruments "
                            "WHERE code = :code FOR UPDATE")
INSERT = sa.text(
    "INSERT INTO bench_floor (account_id, instrument_id, client_order_id, side, price, quantity)"
    " VALUES (:account_id, :instrument_id, :client_order_id, :side, :price, :quantity)"
    " RETURNING id, created_at")


def _place(lock: bool):
    body = request.get_json()
    scheme, _, raw = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not raw:
        return jsonify(error={"code": "unauthorized"}), 401
    digest = hashlib.sha256(raw.strip().encode()).hexdigest()
    with engine.begin() as connection:
        caller = connection.execute(TOKEN, {"digest": digest}).first()
        if caller is None:
            return jsonify(error={"code": "unauthorized"}), 401
        instrument = connection.execute(INSTRUMENT_LOCKED if lock else INSTRUMENT,
                                        {"code": body["instrument"]}).first()
        row = connection.execute(INSERT, {
            "account_id": caller.account_id, "instrument_id": instrument.id,
            "client_order_id": body["client_order_id"], "side": body["side"],
            "price": body["price"], "quantity": body["quantity"]}).first()
    return jsonify(id=row.id, client_order_id=body["client_order_id"],
                   instrument=body["instrument"], side=body["side"], price=body["price"],
                   quantity=body["quantity"], created_at=row.created_at.isoformat()), 201


@app.post("/floor")
def floor():
    """Token lookup + instrument read + one INSERT, one transaction."""
    return _place(lock=False)


@app.post("/floor-locked")
def floor_locked():
    """The same with the instrument row locked, as order placement locks it."""
    return _place(lock=True)

