"""Trading: orders, call auctions, expiry, rematching and market data, through one engine seam.

Every change to a book goes through `engine.py`; the other modules are use cases that lock
the instrument and hand the engine a command.
"""

from market.services.trading.auctions import (
    AuctionResult,
    next_auction,
    run_due_auctions,
    slots_on,
    uncross,
)

# The scope and grade rules as the book applies them, for the off-book mechanisms too.
from market.services.trading.book_replay import replay_mismatches
from market.services.trading.book_rows import buyer_eligibility, lot_eligibility, spec_for
from market.services.trading.crossing import Blocked, Crossing, explain_crossing
from market.services.trading.expiry import expire_due
from market.services.trading.market_data import (
    depth,
    indicative,
    recent_trades,
    trades_of_account,
)
from market.services.trading.order_gateway import Answered, BearerCaller
from market.services.trading.order_gateway import enabled as order_writer_enabled
from market.services.trading.order_writer import OrderWriter
from market.services.trading.orders import (
    PlaceResult,
    cancel_open_orders,
    cancel_order,
    fills_on_arrival,
    list_orders,
    modify_order,
    order_visible_to,
    place_order,
    request_digest,
)
from market.services.trading.rematch import rematch_crossed
from market.services.trading.writer_answers import OrderBodies, register_bodies
from market.services.trading.writer_metrics import serve as serve_writer_metrics

__all__ = [
    "Answered", "AuctionResult", "BearerCaller", "Blocked", "Crossing", "OrderBodies",
    "OrderWriter", "PlaceResult", "buyer_eligibility", "cancel_open_orders", "cancel_order",
    "depth", "expire_due", "explain_crossing", "fills_on_arrival", "indicative", "list_orders",
    "lot_eligibility", "modify_order", "next_auction", "order_visible_to",
    "order_writer_enabled", "place_order", "recent_trades", "register_bodies",
    "rematch_crossed", "replay_mismatches", "request_digest", "run_due_auctions",
    "serve_writer_metrics", "slots_on", "spec_for", "trades_of_account", "uncross",
]
