"""Demo negotiated transfers (协议转让): one awaiting its buyer, one across provinces awaiting
both provinces' regulators, and one approved with its (delivered) settlement.

Called once from `demo.load()` after the first trading session; everything goes through the
ordinary use cases, so deposits, encumbrances, the trade and the audit rows are real.
"""

from decimal import Decimal

from sqlalchemy import select

from market.extensions import db
from market.services import negotiated, registry
from models import User


def _lot(owner: User, instrument: str) -> str:
    """The serial of the owner's first active lot of an instrument."""
    lots = registry.search_lots(owner, {"instrument": instrument, "status": "active",
                                        "limit": 1, "offset": 0})
    return lots[0].serial


def _propose(seller: User, buyer: User, instrument: str, quantity: str, price: str):
    return negotiated.propose(seller, seller.account, {
        "lot_serial": _lot(seller, instrument), "buyer_account_id": buyer.account_id,
        "quantity": Decimal(quantity), "price": Decimal(price)})


def load_negotiated(traders: dict[str, User]) -> None:
    """Three negotiated transfers in three states."""
    ningbo = db.session.scalar(select(User).where(User.username == "ningbo"))
    # Within 江苏: 宜兴 offers 梁溪 paddy-scale indicators; 梁溪 has not answered yet.
    _propose(traders["yixing"], traders["liangxi"], "FO-PADDY", "5", "198000.00")
    # 跨省域调剂: 象山县 (浙江) → 新吴区 (江苏), accepted; 宁波 and 江苏 regulators to approve.
    across = _propose(traders["xiangshan"], traders["xinwu"], "FO-QTY", "5", "305000.00")
    negotiated.accept(traders["xinwu"], traders["xinwu"].account, across.id)
    # Within 浙江: 象山县 → 鄞州区 carbon sink, approved by 宁波; a 100 % deposit delivers at once.
    done = _propose(traders["xiangshan"], traders["yinzhou"], "ECO-CARBON", "2000", "61.00")
    negotiated.accept(traders["yinzhou"], traders["yinzhou"].account, done.id)
    negotiated.approve(ningbo, done.id)
