"""Commands as a web worker would send them to the order writer, for tests that drive it."""

import time
from decimal import Decimal

from market.services.trading import command_bus
from market.services.trading.orders import request_digest


def command(caller, channel: str, kind: str, body: dict) -> command_bus.Command:
    return command_bus.new_command(kind, channel, time.time() + 30, "en", caller.user.id,
                                   caller.user.account_id, body)


def place(caller, channel, cid, side, price, quantity, serial=None,
          instrument="FO-QTY") -> command_bus.Command:
    """A GTC limit order (a sell names its lot)."""
    data = {"instrument": instrument, "side": side, "price": Decimal(price),
            "quantity": Decimal(quantity), "tif": "GTC", "client_order_id": cid}
    if serial:
        data["lot_serial"] = serial
    return command(caller, channel, "place", {**data, "digest": request_digest(data)})


def cancel(caller, order_id: int, channel: str) -> command_bus.Command:
    return command(caller, channel, "cancel", {"order_id": order_id})
