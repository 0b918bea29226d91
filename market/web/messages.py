"""Words for the pages: statuses, units, audit actions and the services' refusals.

Every word goes through the catalogue (English msgids, Chinese in the .po sources), each
table under its own context, so one English word may read differently in two tables. The
tables the files and the API share live in `market.vocabulary`; the pages use the same ones.
"""

from flask_babel import gettext
from flask_babel import lazy_pgettext as _lp

from market.errors import DomainError
from market.vocabulary import ALERT_KIND as ALERT_KINDS
from market.vocabulary import (
    ALERT_STATUS,
    INSTRUMENT_STATUS,
    LOT_STATUS,
    ROLE,
    SETTLEMENT_STATUS,
    SEVERITY,
    UNIT,
)
from market.vocabulary import SIDE as ORDER_SIDE

TRADING_MODE = {
    "continuous": _lp("trading mode", "continuous trading"),
    "call_auction": _lp("trading mode", "call auction"),
}
ACCOUNT_KIND = {
    "bureau": _lp("account kind", "natural resources bureau"),
    "town": _lp("account kind", "town (subdistrict)"),
    "company": _lp("account kind", "company"),
    "development_zone": _lp("account kind", "development zone"),
    "government": _lp("account kind", "local government"),
}
# Journal transaction kinds as an account's cash statement names them.
JOURNAL_KIND = {
    "deposit": _lp("journal", "bank deposit"),
    "withdrawal": _lp("journal", "bank withdrawal"),
    "hold": _lp("journal", "cash held for an order"),
    "release": _lp("journal", "held cash released"),
    "payment": _lp("journal", "settlement payment"),
    "refund": _lp("journal", "settlement refund"),
    "forfeit": _lp("journal", "deposit forfeited"),
    "proceeds": _lp("journal", "trade proceeds"),
    "fee": _lp("journal", "trading fee"),
    "owe": _lp("journal", "proceeds set aside for beneficiaries"),
    "disbursement": _lp("journal", "paid to beneficiaries"),
}
TIME_IN_FORCE = {
    "GTC": _lp("time in force", "good till cancelled"),
    "GTD": _lp("time in force", "good till a date"),
    "IOC": _lp("time in force", "immediate or cancel"),
    "FOK": _lp("time in force", "fill or kill"),
}
# On the pages an open order is one resting on the book (挂单中).
ORDER_STATUS = {
    "open": _lp("order on the page", "resting"),
    "filled": _lp("order on the page", "filled"),
    "cancelled": _lp("order on the page", "cancelled"),
    "expired": _lp("order on the page", "expired"),
}

AUDIT_ACTIONS = {
    "account.create": _lp("audit action", "open an account"),
    "account.freeze": _lp("audit action", "freeze an account"),
    "account.unfreeze": _lp("audit action", "unfreeze an account"),
    "auction.uncross": _lp("audit action", "uncross a call auction"),
    "auth.login_failed": _lp("audit action", "failed login"),
    "auth.logout": _lp("audit action", "log out"),
    "auth.token_revoked": _lp("audit action", "revoke a token"),
    "auth.tokens_revoked": _lp("audit action", "revoke all tokens"),
    "cash.deposit": _lp("audit action", "deposit cash"),
    "cash.withdraw": _lp("audit action", "withdraw cash"),
    "instrument.halt": _lp("audit action", "halt trading"),
    "instrument.resume": _lp("audit action", "resume trading"),
    "instrument.update": _lp("audit action", "change trading terms"),
    "lot.register": _lp("audit action", "register a lot"),
    "lot.verify": _lp("audit action", "verify a lot"),
    "lot.reject": _lp("audit action", "reject a lot"),
    "lot.freeze": _lp("audit action", "freeze a lot"),
    "lot.unfreeze": _lp("audit action", "unfreeze a lot"),
    "lot.revoke": _lp("audit action", "revoke a lot"),
    "lot.retire": _lp("audit action", "retire against use"),
    "lot.evidence": _lp("audit action", "upload acceptance documents"),
    "settlement.pay_cash": _lp("audit action", "settlement paid (from cash)"),
    "settlement.pay_bank": _lp("audit action", "settlement paid (bank transfer)"),
    "settlement.complete": _lp("audit action", "settlement completed"),
    "settlement.default": _lp("audit action", "settlement defaulted"),
    "settlement.cancel": _lp("audit action", "cancel a settlement"),
    "user.create": _lp("audit action", "create a user"),
    "user.deactivate": _lp("audit action", "deactivate a user"),
    "user.password_change": _lp("audit action", "reset a password"),
    "alert.review": _lp("audit action", "alert reviewed"),
    "alert.dismiss": _lp("audit action", "alert dismissed"),
    "surveillance.settings": _lp("audit action", "change surveillance thresholds"),
    "surveillance.detect": _lp("audit action", "run surveillance by hand"),
    "settlement.delivery_held": _lp(
        "audit action", "settlement paid; delivery held while the lot is frozen"),
    "certificate.void": _lp("audit action", "void a certificate"),
    "lot.beneficiaries": _lp("audit action", "name beneficiaries"),
    "payout.disburse": _lp("audit action", "pay a beneficiary"),
    "pledge.request": _lp("audit action", "request a pledge"),
    "pledge.register": _lp("audit action", "register a pledge"),
    "pledge.reject": _lp("audit action", "reject a pledge"),
    "pledge.release": _lp("audit action", "release a pledge"),
    "pledge.enforce": _lp("audit action", "enforce a pledge (to the lender)"),
    "negotiated.propose": _lp("audit action", "propose a negotiated transfer"),
    "negotiated.accept": _lp("audit action", "accept a negotiated transfer"),
    "negotiated.decline": _lp("audit action", "decline a negotiated transfer"),
    "negotiated.withdraw": _lp("audit action", "withdraw a negotiated transfer"),
    "negotiated.approve": _lp("audit action", "approve a negotiated transfer"),
    "negotiated.reject": _lp("audit action", "reject a negotiated transfer"),
    "instrument.create": _lp("audit action", "create an instrument"),
    "lot.allocate": _lp("audit action", "issue an allocation"),
    "obligation.create": _lp("audit action", "set an obligation"),
    "obligation.close": _lp("audit action", "judge an ended obligation"),
}

# The thresholds' descriptions are stored in English (migrations 0004, 0005).
THRESHOLDS = {
    "guide_deviation": _lp(
        "threshold", "an alert when a trade is further than this fraction from the guide price"),
    "vwap_deviation": _lp(
        "threshold", "an alert when a trade is further "
        "than this fraction from the 30-day average price"),
    "band_rejection_storm": _lp(
        "threshold", "an alert when this many orders are refused at the price band within an hour"),
    "circular_days": _lp(
        "threshold", "an alert when a district buys and "
        "sells one instrument within this many days"),
    "concentration_share": _lp(
        "threshold", "an alert when one account makes more than this share of a month's volume"),
    "cancel_fill_ratio": _lp(
        "threshold", "an alert when cancels per fill exceed "
        "this (with at least the fewest cancels counted)"),
    "concentration_min_trades": _lp(
        "threshold", "concentration is judged once a month has this many trades"),
    "cancel_fill_min_cancels": _lp(
        "threshold", "the cancel ratio is judged once a day has this many cancels"),
    "payout_overdue_days": _lp(
        "threshold", "an alert when proceeds owed to beneficiaries "
        "stay unpaid this many days"),
}
SETTLEMENT_BUCKETS = {
    "pending": _lp("settlement bucket", "awaiting payment"),
    "due_within_3_days": _lp("settlement bucket", "due within 3 days"),
    "overdue": _lp("settlement bucket", "overdue, not yet handled"),
    "defaulted": _lp("settlement bucket", "defaulted"),
    "cancelled": _lp("settlement bucket", "cancelled"),
    "completed": _lp("settlement bucket", "completed"),
}
FLOW_DIRECTIONS = {
    "inflow": _lp("flow direction", "inflow (the city's lots sold outside)"),
    "outflow": _lp("flow direction", "outflow (the city buys lots from outside)"),
    "internal": _lp("flow direction", "within the city"),
}

FIELD_LABELS = {
    "guide_price": _lp("field", "guide price"),
    "floor_price": _lp("field", "floor price"),
    "price_band": _lp("field", "price band"),
    "tick_size": _lp("field", "tick size"),
    "lot_size": _lp("field", "trading unit"),
    "settlement_days": _lp("field", "settlement period"),
    "deposit_ratio": _lp("field", "deposit ratio"),
    "reason": _lp("field", "reason"),
    "city": _lp("field", "city"),
    "period": _lp("field", "period"),
    "from": _lp("field", "first day"),
    "instrument": _lp("field", "instrument"),
    "fee_bps": _lp("field", "fee"),
    "trading_mode": _lp("field", "trading mode"),
    "amount": _lp("field", "amount"),
    "reference": _lp("field", "bank reference"),
    "account_id": _lp("field", "account"),
    "district_code": _lp("field", "district code"),
    "username": _lp("field", "user name"),
    "password": _lp("field", "password"),
    "name": _lp("field", "name"),
}

# Refusals the pages can meet, by the service's error code.
ERRORS = {
    "no_change": _lp("refusal", "nothing to change"),
    "already_in_state": _lp("refusal", "already in that state; nothing to do"),
    "instrument_closed": _lp("refusal", "the instrument is closed for good"),
    "open_orders_exist": _lp(
        "refusal", "orders are resting: the trading unit, tick or "
        "mode cannot change; halt trading and cancel them first"),
    "not_found": _lp("refusal", "not found"),
    "alert_closed": _lp("refusal", "the alert has been handled already"),
    "bad_period": _lp(
        "refusal", "a period is written 2026-11 (monthly report) or 2026-Q4 (quarterly report)"),
    "bad_range": _lp("refusal", "the first day cannot come after the last"),
    "unknown_district": _lp("refusal", "unknown district code"),
    "not_a_city": _lp("refusal", "the district chosen is not a city"),
    "unknown_instrument": _lp("refusal", "unknown instrument"),
    "evidence_too_large": _lp("refusal", "the file is over 10 MB"),
    "unsupported_evidence_type": _lp(
        "refusal", "files must be PDF, JPEG or PNG (judged by their content)"),
    "empty_evidence": _lp("refusal", "the file is empty"),
    "not_lot_owner": _lp("refusal", "only the lot's owner may upload acceptance documents"),
    "invalid_lot_status": _lp("refusal", "the lot's status does not allow this"),
    "insufficient_quantity": _lp("refusal", "not enough quantity available in the lot"),
    "lot_not_active": _lp("refusal", "only an active lot can trade"),
    "order_closed": _lp("refusal", "the order is over"),
    "invalid_characters": _lp(
        "refusal", "the input has characters that are not allowed (NUL or unpaired surrogates)"),
    "insufficient_funds": _lp("refusal", "not enough cash available"),
    "overpayment": _lp("refusal", "the payment is more than is owed"),
    "settlement_closed": _lp(
        "refusal", "the settlement is over: it can no longer be paid or cancelled"),
    "duplicate_name": _lp("refusal", "the name is taken"),
    "duplicate_username": _lp("refusal", "the user name is taken"),
    "cannot_deactivate_self": _lp("refusal", "you cannot deactivate your own login"),
    "forbidden": _lp("refusal", "not allowed"),
    "account_frozen": _lp("refusal", "the account is frozen: it cannot trade or retire"),
    "instrument_halted": _lp("refusal", "trading in the instrument is halted"),
    "lot_expired": _lp("refusal", "the lot has expired"),
    "duplicate_client_order_id": _lp(
        "refusal", "the order number is used by a "
        "different order; reload the page and quote again"),
    "bad_tick": _lp("refusal", "the price must be a whole number of ticks"),
    "outside_band": _lp("refusal", "the price is outside the band around the guide price"),
    "below_floor": _lp("refusal", "the price is below the floor"),
    "bad_lot": _lp("refusal", "the quantity must be a whole number of trading units"),
    "non_positive_quantity": _lp("refusal", "the quantity must be above 0"),
    "non_positive_price": _lp("refusal", "the price must be above 0"),
    "tif_not_allowed": _lp(
        "refusal", "a call-auction instrument takes no "
        "immediate-or-cancel (IOC) or fill-or-kill (FOK) orders"),
    "shares_not_one": _lp("refusal", "the beneficiaries' shares must add up to exactly 1"),
    "duplicate_beneficiary": _lp("refusal", "each beneficiary may be named once"),
    "too_many": _lp("refusal", "too many beneficiaries"),
    "over_disbursement": _lp("refusal", "more than is owed to the beneficiary"),
    "invalid_pledge_status": _lp("refusal", "the pledge's status does not allow this"),
    "lot_pledged": _lp("refusal", "the lot has a registered pledge: release or enforce it first"),
    "unknown_account": _lp("refusal", "no such account"),
    "lender_is_owner": _lp("refusal", "the lender's account cannot be the lot owner's"),
}
# InvalidInput refusals, by the field they name.
FIELD_ERRORS = {
    "floor_price": _lp("field refusal", "the floor price may not be above the guide price"),
    "tick_size": _lp("field refusal", "tick size × trading unit must be a whole number of fen"),
    "settlement_days": _lp(
        "field refusal", "with a settlement period of 0 days the deposit ratio must be 100%"),
    "account_id": _lp("field refusal", "a trader must name its account, and other roles none"),
    "district_code": _lp(
        "field refusal", "only a regulator may have a jurisdiction, and "
        "it must be a city or a province"),
    "listing_ceiling_minutes": _lp(
        "threshold", "an alert when a listing reaches its ceiling "
        "within this many minutes of bidding opening"),
    "negotiated_deviation": _lp(
        "threshold", "an alert when a negotiated price is further "
        "than this fraction from the guide price"),
}


def error_text(error: DomainError) -> str:
    """One Chinese sentence for a refusal, keeping the service's own detail after it."""
    text = ERRORS.get(error.code)
    if text is None and error.fields:
        field = next(iter(error.fields))
        text = FIELD_ERRORS.get(field) or gettext(
            "%(field)s does not follow the rules", field=FIELD_LABELS.get(field, field))
    return gettext("%(refusal)s (%(detail)s)", refusal=text or gettext("Refused"),
                   detail=error.message)


__all__ = [
    "ACCOUNT_KIND", "ALERT_KINDS", "ALERT_STATUS", "AUDIT_ACTIONS", "ERRORS", "FIELD_ERRORS",
    "FIELD_LABELS", "FLOW_DIRECTIONS", "INSTRUMENT_STATUS", "JOURNAL_KIND", "LOT_STATUS",
    "ORDER_SIDE", "ORDER_STATUS", "ROLE", "SETTLEMENT_BUCKETS", "SETTLEMENT_STATUS", "SEVERITY",
    "THRESHOLDS", "TIME_IN_FORCE", "TRADING_MODE", "UNIT", "error_text",
]
