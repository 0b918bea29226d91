"""An account's statement (对账单) for a span of Shanghai days."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from market.calendar import utc_bounds
from market.services.statements import cash
from market.services.statements.sections import EXTENSION_KEYS, SECTIONS
from models import Account


@dataclass
class Statement:
    """What an account did and held over [first, last]: cash balances at both ends, every
    cash movement between them, and the tables of `SECTIONS` (deals, lots, retirements…)."""

    account: Account
    first: date
    last: date
    start: datetime
    end: datetime
    opening: cash.Balances
    closing: cash.Balances
    cash_movements: list[dict]
    tables: dict[str, list[dict]] = field(default_factory=dict)

    @property
    def net_movement(self) -> Decimal:
        """The sum of the cash movements: closing total − opening total."""
        return sum((line["amount"] for line in self.cash_movements), cash.ZERO)

    @property
    def totals(self) -> dict[str, Decimal]:
        """The period's sums: cash in and out, completed sales and purchases, fees."""
        sales = [s for s in self.tables.get("sales", []) if s["status"] == "completed"]
        purchases = [p for p in self.tables.get("purchases", []) if p["status"] == "completed"]
        return {
            "cash_in": sum((m["amount_in"] or 0 for m in self.cash_movements), cash.ZERO),
            "cash_out": sum((m["amount_out"] or 0 for m in self.cash_movements), cash.ZERO),
            "sales_amount": sum((s["amount"] for s in sales), cash.ZERO),
            "sales_fees": sum((s["fee"] for s in sales), cash.ZERO),
            "net_proceeds": sum((s["net_proceeds"] for s in sales), cash.ZERO),
            "purchases_amount": sum((p["amount"] for p in purchases), cash.ZERO),
        }

    def as_dict(self) -> dict:
        """The statement for the JSON schema: every table under its key."""
        return {"account": self.account, "from": self.first, "to": self.last,
                "opening": self.opening, "closing": self.closing,
                "net_movement": self.net_movement, "totals": self.totals,
                "cash_movements": self.cash_movements,
                **{key: [] for key in EXTENSION_KEYS}, **self.tables}


def account_statement(account: Account, first: date, last: date) -> Statement:
    """The account's statement for the days first..last (inclusive, Asia/Shanghai).

    The caller has checked who may read it (a trader its own account); nothing is written.
    """
    start, end = utc_bounds(first, last)
    return Statement(
        account=account, first=first, last=last, start=start, end=end,
        opening=cash.balances_before(account.id, start),
        closing=cash.balances_before(account.id, end),
        cash_movements=cash.movements(account.id, start, end),
        tables={section.key: section.rows(account, start, end) for section in SECTIONS})
