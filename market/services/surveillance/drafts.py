"""What a detector proposes: an alert draft, and the small formatters its summaries use."""

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
