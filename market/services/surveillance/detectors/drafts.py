"""What a detector proposes (a `Draft`) and the small formatting its details share."""

from dataclasses import dataclass, field
from decimal import Decimal

from market.services.surveillance.context import Context
from models import Trade


@dataclass
class Draft:
    """An alert a detector proposes; inserted only if no alert has its key yet."""

    kind: str
    key: str
    instrument_id: int | None
    summary: str
    details: dict
    trade_ids: list[int] = field(default_factory=list)
    account_ids: list[int] = field(default_factory=list)


def ratio(value: Decimal) -> Decimal:
    """A fraction to 4 places, for details."""
    return value.quantize(Decimal("0.0001"))


def percent(value: Decimal) -> str:
    """A fraction as a percentage for summaries, e.g. 0.2 → '+20.0 %'."""
    return f"{value * 100:+.1f} %"


def trade_draft(ctx: Context, kind: str, trade: Trade, summary: str, details: dict) -> Draft:
    """An alert about one trade, linking it and both its parties."""
    return Draft(kind, f"{kind}:trade:{trade.id}", trade.instrument_id,
                 f"{ctx.code(trade.instrument_id)} trade {trade.id} {summary}",
                 {"trade_id": trade.id, "price": trade.price, **details},
                 [trade.id], [trade.buyer_account_id, trade.seller_account_id])


def account_draft(ctx: Context, kind: str, instrument_id: int, account_id: int, period: str,
                  summary: str, details: dict, trade_ids: list[int]) -> Draft:
    """An alert about one account's activity in one instrument over a period (day or month)."""
    return Draft(kind, f"{kind}:{ctx.code(instrument_id)}:{account_id}:{period}", instrument_id,
                 summary, {"account_id": account_id, **details}, trade_ids, [account_id])
