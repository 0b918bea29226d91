"""What an alert says, in the reader's language, rendered when it is read.

Detectors store an alert's kind and the numbers it rests on (its `details`, JSON); the text a
person reads is made here from those, through the catalogue, so the desk shows Chinese and an
API client that asks for English gets English. Names come from the alert's own trades and
accounts (an alert links every account it is about), so rendering needs no lookups of its own:
accounts show by name, districts as name with code, amounts in 元, quantities in the
instrument's unit.

The `summary` column keeps the English text of detection time, for the record; a detail this
module does not know yet shows under its key, so nothing is ever hidden.
"""

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from decimal import Decimal, InvalidOperation

from flask_babel import gettext, lazy_gettext, lazy_pgettext

from market.calendar import MARKET_TIME
from market.vocabulary import OBLIGATION_STATUS, SIDE, UNIT, word

# Thresholds that are fractions (shown as percentages); the others are counts or ratios.
FRACTION_THRESHOLDS = {"guide_deviation", "vwap_deviation", "concentration",
                       "negotiated_deviation"}
REJECTION_REASON = {
    "outside_band": lazy_pgettext("rejection", "outside the price band"),
    "below_floor": lazy_pgettext("rejection", "below the floor price"),
}
# Each detail key: its label and how its value reads ("money", "quantity", …; see _value).
DETAILS = {
    "trade_id": (lazy_gettext("Trade"), "ref"),
    "transfer_id": (lazy_gettext("Negotiated transfer"), "ref"),
    "obligation_id": (lazy_gettext("Obligation number"), "ref"),
    "shortfall": (lazy_gettext("Shortfall"), "quantity"),
    "surrendered": (lazy_gettext("Surrendered"), "quantity"),
    "target": (lazy_gettext("What is to be surrendered"), "text"),
    "period_end": (lazy_gettext("Period ends"), "text"),
    "settlement_id": (lazy_gettext("Settlement"), "ref"),
    "lot": (lazy_gettext("Lot"), "text"),
    "owed": (lazy_gettext("Still owed"), "money"),
    "owed_since": (lazy_gettext("Owed since"), "time"),
    "days_owed": (lazy_gettext("Days owed"), "count"),
    "beneficiaries": (lazy_gettext("Beneficiaries owed"), "owed_to"),
    "status": (lazy_gettext("Result"), "obligation_status"),
    "cross_province": (lazy_gettext("Across provinces"), "yes_no"),
    "price": (lazy_gettext("Trade price"), "money"),
    "guide_price": (lazy_gettext("Guide price"), "money"),
    "vwap": (lazy_gettext("Average price of the window"), "money"),
    "deviation": (lazy_gettext("Deviation"), "signed_percent"),
    "threshold": (lazy_gettext("Alert threshold"), "threshold"),
    "window_days": (lazy_gettext("Window (days)"), "count"),
    "window_trades": (lazy_gettext("Trades in the window"), "count"),
    "window_volume": (lazy_gettext("Volume in the window"), "quantity"),
    "rejections": (lazy_gettext("Orders refused"), "count"),
    "codes": (lazy_gettext("Reasons refused"), "reasons"),
    "window_start": (lazy_gettext("First refusal"), "time"),
    "window_end": (lazy_gettext("Last refusal"), "time"),
    "rejection_ids": (lazy_gettext("Refusal records"), "refs"),
    "quantity": (lazy_gettext("Quantity"), "quantity"),
    "amount": (lazy_gettext("Amount"), "money"),
    "seller_district": (lazy_gettext("District of the seller"), "district"),
    "buyer_district": (lazy_gettext("District of the buyer"), "district"),
    "county": (lazy_gettext("County"), "district"),
    "district": (lazy_gettext("District"), "district"),
    "month": (lazy_gettext("Month"), "text"),
    "day": (lazy_gettext("Day"), "text"),
    "days": (lazy_gettext("Window (days)"), "count"),
    "bought": (lazy_gettext("Bought"), "quantity"),
    "sold": (lazy_gettext("Sold"), "quantity"),
    "buy_trade_ids": (lazy_gettext("Buying trades"), "refs"),
    "sell_trade_ids": (lazy_gettext("Selling trades"), "refs"),
    "account_id": (lazy_gettext("Account"), "account"),
    "volume": (lazy_gettext("Volume of the month"), "quantity"),
    "trades": (lazy_gettext("Number of trades"), "count"),
    "buy_share": (lazy_gettext("Share of buying"), "percent"),
    "sell_share": (lazy_gettext("Share of selling"), "percent"),
    "sides": (lazy_gettext("Sides over the threshold"), "sides"),
    "cancels": (lazy_gettext("Orders cancelled"), "count"),
    "fills": (lazy_gettext("Number of fills"), "count"),
    "ratio": (lazy_gettext("Cancels per fill"), "number"),
    "min_cancels": (lazy_gettext("Fewest cancels counted"), "count"),
    "cancelled_order_ids": (lazy_gettext("Cancelled orders"), "refs"),
}


@dataclass(frozen=True)
class Wording:
    """An alert as a person reads it: one sentence, then labelled details."""

    summary: str
    details: list[tuple[str, str]]


class _Names:
    """The names an alert's details refer to, from the alert's own trades and accounts."""

    def __init__(self, alert):
        self.accounts = {account.id: account for account in alert.accounts}
        self.districts = {}
        for account in alert.accounts:
            node = account.district
            while node is not None:
                self.districts[node.code] = node.name
                node = node.parent
        instrument = alert.instrument
        self.instrument = instrument.code if instrument else ""
        self.unit = str(word(UNIT, instrument.unit)) if instrument else ""

    def account(self, account_id) -> str:
        account = self.accounts.get(account_id)
        return account.name if account else gettext("account %(id)s", id=account_id)

    def district(self, code) -> str:
        name = self.districts.get(code)
        return f"{name}（{code}）" if name else str(code)


def _decimal(value) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def money(value) -> str:
    """An amount in 元 with thousands separators: 300,000.00 元."""
    number = _decimal(value)
    return "—" if number is None else gettext("%(amount)s yuan", amount=f"{number:,.2f}")


def quantity(value, unit: str) -> str:
    """A quantity without needless zeros, with its unit: 12.5 亩."""
    number = _decimal(value)
    if number is None:
        return "—"
    text = f"{number:,.2f}" if number == number.quantize(Decimal("0.01")) \
        else f"{number.normalize():,f}"
    return f"{text} {unit}".strip()


def percent(value, signed: bool = False) -> str:
    """A fraction as a percentage: 0.2 → 20.0%, signed +20.0%."""
    number = _decimal(value)
    if number is None:
        return "—"
    return f"{number * 100:+.1f}%" if signed else f"{number * 100:.1f}%"


def _time(value) -> str:
    try:
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return str(value)
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return moment.astimezone(MARKET_TIME).strftime("%Y-%m-%d %H:%M")


def _plain(value) -> str:
    """A count or ratio without needless zeros: 10.0000 → 10."""
    number = _decimal(value)
    return str(value) if number is None else f"{number.normalize():f}"


def _refs(values) -> str:
    return "、".join(f"#{value}" for value in values) if values else "—"


def _value(kind: str, how: str, value, names: _Names) -> str:
    if value is None:
        return "—"
    formats = {
        "money": lambda: money(value),
        "quantity": lambda: quantity(value, names.unit),
        "percent": lambda: percent(value),
        "signed_percent": lambda: percent(value, signed=True),
        "threshold": lambda: percent(value) if kind in FRACTION_THRESHOLDS else _plain(value),
        "number": lambda: _plain(value),
        "count": lambda: str(value),
        "ref": lambda: f"#{value}",
        "refs": lambda: _refs(value),
        "time": lambda: _time(value),
        "district": lambda: names.district(value),
        "account": lambda: names.account(value),
        "sides": lambda: "、".join(str(word(SIDE, side)) for side in value),
        "reasons": lambda: "；".join(f"{word(REJECTION_REASON, code)} {count}"
                                    for code, count in sorted(value.items())),
        "text": lambda: str(value),
        "yes_no": lambda: gettext("yes") if value else gettext("no"),
        "obligation_status": lambda: str(word(OBLIGATION_STATUS, value)),
        "owed_to": lambda: "；".join(f"{one.get('name')} {money(one.get('owed'))}"
                                    for one in value),
    }
    return formats[how]()


def _summary(alert, details: dict, names: _Names) -> str:
    kind, unit = alert.kind, names.unit
    trade = alert.trades[0] if alert.trades else None
    base = {"instrument": names.instrument, "trade": details.get("trade_id", "")}
    if kind == "guide_deviation":
        return gettext("%(instrument)s trade #%(trade)s at %(price)s is %(deviation)s from the "
                       "guide price %(guide)s", price=money(details.get("price")),
                       deviation=percent(details.get("deviation"), signed=True),
                       guide=money(details.get("guide_price")), **base)
    if kind == "negotiated_deviation":
        return gettext("%(instrument)s negotiated transfer #%(transfer)s at %(price)s is "
                       "%(deviation)s from the guide price %(guide)s",
                       transfer=details.get("transfer_id"), price=money(details.get("price")),
                       deviation=percent(details.get("deviation"), signed=True),
                       guide=money(details.get("guide_price")), **base)
    if kind == "vwap_deviation":
        return gettext("%(instrument)s trade #%(trade)s at %(price)s is %(deviation)s from the "
                       "%(days)s-day average price %(vwap)s", price=money(details.get("price")),
                       deviation=percent(details.get("deviation"), signed=True),
                       days=details.get("window_days", 30), vwap=money(details.get("vwap")),
                       **base)
    if kind == "band_rejection_storm":
        return gettext("%(count)s %(instrument)s orders refused at the price band within an "
                       "hour", count=details.get("rejections"), instrument=names.instrument)
    if kind in ("wash_trade", "cross_trade"):
        seller = names.account(trade.seller_account_id) if trade else "—"
        buyer = names.account(trade.buyer_account_id) if trade else "—"
        if kind == "wash_trade":
            return gettext("%(instrument)s trade #%(trade)s between seller %(seller)s and "
                           "buyer %(buyer)s, both in %(district)s", seller=seller, buyer=buyer,
                           district=names.district(details.get("buyer_district")), **base)
        return gettext("%(instrument)s trade #%(trade)s between seller %(seller)s and buyer "
                       "%(buyer)s, both under %(county)s", seller=seller, buyer=buyer,
                       county=names.district(details.get("county")), **base)
    if kind == "circular":
        return gettext("%(district)s bought %(bought)s and sold %(sold)s of %(instrument)s "
                       "within %(days)s days", district=names.district(details.get("district")),
                       bought=quantity(details.get("bought"), unit),
                       sold=quantity(details.get("sold"), unit), days=details.get("days"),
                       instrument=names.instrument)
    if kind == "concentration":
        shares = [_decimal(details.get(f"{side}_share")) or Decimal(0)
                  for side in details.get("sides", [])]
        return gettext("%(account)s made %(share)s of the %(instrument)s %(sides)s volume in "
                       "%(month)s", account=names.account(details.get("account_id")),
                       share=percent(max(shares, default=Decimal(0))),
                       instrument=names.instrument, month=details.get("month"),
                       sides="、".join(str(word(SIDE, s)) for s in details.get("sides", [])))
    if kind == "cancel_fill_ratio":
        return gettext("%(account)s cancelled %(cancels)s %(instrument)s orders against "
                       "%(fills)s fills on %(day)s",
                       account=names.account(details.get("account_id")),
                       cancels=details.get("cancels"), fills=details.get("fills"),
                       instrument=names.instrument, day=details.get("day"))
    if kind == "obligation_shortfall":
        return gettext("%(district)s is short %(shortfall)s of its obligation of %(quantity)s "
                       "(%(target)s, period ending %(end)s)",
                       district=names.district(details.get("district")),
                       shortfall=quantity(details.get("shortfall"), unit),
                       quantity=quantity(details.get("quantity"), unit),
                       target=details.get("target"), end=details.get("period_end"))
    if kind == "payout_overdue":
        return gettext("%(owed)s of settlement #%(settlement)s (lot %(lot)s) still owed to its "
                       "beneficiaries after %(days)s days",
                       owed=money(details.get("owed")), settlement=details.get("settlement_id"),
                       lot=details.get("lot"), days=details.get("days_owed"))
    return alert.summary


def describe(alert) -> Wording:
    """The alert's sentence and its labelled details, in the current language."""
    details = json.loads(alert.details or "{}")
    names = _Names(alert)
    lines = []
    for key, value in details.items():
        label, how = DETAILS.get(key, (key, "text"))
        lines.append((str(label), _value(alert.kind, how, value, names)))
    return Wording(_summary(alert, details, names), lines)


def summary(alert) -> str:
    """The alert's one sentence, in the current language."""
    return describe(alert).summary
