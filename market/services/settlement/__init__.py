"""Settlement: each trade's payment and delivery, default at the deadline, cancellation."""

from market.services.settlement.deals import Deal, record_deal
from market.services.settlement.lifecycle import (
    cancel_settlement,
    complete_settlement,
    confirm_bank_payment,
    default_overdue,
    deliver_held,
    list_settlements,
    open_settlement,
    pay_from_cash,
    proceeds_received,
    settlement_visible_to,
)

__all__ = [
    "Deal", "cancel_settlement", "complete_settlement", "confirm_bank_payment",
    "default_overdue", "deliver_held", "list_settlements", "open_settlement", "pay_from_cash",
    "proceeds_received", "record_deal", "settlement_visible_to",
]
