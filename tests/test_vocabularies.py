"""Each vocabulary is defined once, beside its model; constraints, schemas and pages follow it."""

import re

import pytest
import sqlalchemy as sa
from marshmallow import validate

import models
from market.schemas.accounts import AccountCreateSchema, UserCreateSchema
from market.schemas.instruments import InstrumentPatchSchema
from market.schemas.listings import AuctionQuerySchema, ListingCreateSchema
from market.schemas.lots import LotQuerySchema
from market.schemas.surveillance import AlertQuerySchema, AlertReviewSchema
from market.schemas.trading import OrderCreateSchema, OrderQuerySchema, SettlementQuerySchema
from market.services import listings
from market.services.surveillance import SEVERITY
from market.web import messages

# (table, column, vocabulary) for every column a CHECK constraint confines to a vocabulary.
CONSTRAINED = [
    ("districts", "level", models.DISTRICT_LEVELS),
    ("users", "role", models.USER_ROLES),
    ("instruments", "kind", models.INSTRUMENT_KINDS),
    ("instruments", "trading_mode", models.TRADING_MODES),
    ("instruments", "status", models.INSTRUMENT_STATUSES),
    ("lots", "status", models.LOT_STATUSES),
    ("orders", "side", models.ORDER_SIDES),
    ("orders", "tif", models.TIMES_IN_FORCE),
    ("orders", "status", models.ORDER_STATUSES),
    ("settlements", "status", models.SETTLEMENT_STATUSES),
    ("settlement_payments", "method", models.PAYMENT_METHODS),
    ("alerts", "status", models.ALERT_STATUSES),
    ("auctions", "kind", models.AUCTION_KINDS),
    ("auctions", "state", models.AUCTION_STATES),
    ("auctions", "qualification", models.QUALIFICATIONS),
    ("auction_registrations", "status", models.REGISTRATION_STATUSES),
    ("auction_registrations", "deposit_state", models.DEPOSIT_STATES),
]

# (schema, field, vocabulary) for every input field that takes one of a vocabulary's words.
VALIDATED = [
    (AccountCreateSchema, "kind", models.ACCOUNT_KINDS),
    (UserCreateSchema, "role", models.USER_ROLES),
    (InstrumentPatchSchema, "trading_mode", models.TRADING_MODES),
    (LotQuerySchema, "status", models.LOT_STATUSES),
    (OrderCreateSchema, "side", models.ORDER_SIDES),
    (OrderCreateSchema, "tif", models.TIMES_IN_FORCE),
    (OrderQuerySchema, "status", models.ORDER_STATUSES),
    (SettlementQuerySchema, "status", models.SETTLEMENT_STATUSES),
    (AlertQuerySchema, "status", models.ALERT_STATUSES),
    (AlertQuerySchema, "kind", models.ALERT_KINDS),
    (AlertReviewSchema, "status", models.REVIEW_STATUSES),
    (ListingCreateSchema, "qualification", models.QUALIFICATIONS),
    (AuctionQuerySchema, "status", models.AUCTION_STATUSES),
]


def _constraint(table: str, column: str) -> sa.CheckConstraint:
    [found] = [c for c in models.Base.metadata.tables[table].constraints
               if isinstance(c, sa.CheckConstraint) and c.name == f"ck_{table}_{column}"]
    return found


@pytest.mark.parametrize(("table", "column", "vocabulary"), CONSTRAINED)
def test_the_check_constraint_is_built_from_the_vocabulary(table, column, vocabulary):
    words = ", ".join(f"'{word}'" for word in vocabulary)
    assert str(_constraint(table, column).sqltext) == f"{column} IN ({words})"


@pytest.mark.parametrize(("table", "column", "vocabulary"), CONSTRAINED)
def test_the_migrated_database_holds_the_same_words(db_session, table, column, vocabulary):
    reflected = {c["name"]: c["sqltext"]
                 for c in sa.inspect(db_session.get_bind()).get_check_constraints(table)}
    # PostgreSQL rewrites IN (...) as = ANY (ARRAY[...]); the quoted words survive either way.
    assert re.findall(r"'([^']*)'", reflected[f"ck_{table}_{column}"]) == list(vocabulary)


@pytest.mark.parametrize(("schema", "field", "vocabulary"), VALIDATED)
def test_the_schema_validates_against_the_vocabulary(schema, field, vocabulary):
    [one_of] = [v for v in schema().fields[field].validators if isinstance(v, validate.OneOf)]
    assert tuple(one_of.choices) == vocabulary


@pytest.mark.parametrize(("labels", "vocabulary"), [
    (messages.INSTRUMENT_STATUS, models.INSTRUMENT_STATUSES),
    (messages.TRADING_MODE, models.TRADING_MODES),
    (messages.ALERT_KINDS, models.ALERT_KINDS),
    (messages.ALERT_STATUS, models.ALERT_STATUSES),
    (messages.SETTLEMENT_STATUS, models.SETTLEMENT_STATUSES),
    (SEVERITY, models.ALERT_KINDS),
    (listings.AUCTION_STATUS, models.AUCTION_STATUSES),
    (listings.REGISTRATION_STATUS, models.REGISTRATION_STATUSES),
    (listings.DEPOSIT_STATE, models.DEPOSIT_STATES),
    (listings.QUALIFICATION, models.QUALIFICATIONS),
])
def test_every_word_has_its_label(labels, vocabulary):
    assert set(labels) == set(vocabulary)
