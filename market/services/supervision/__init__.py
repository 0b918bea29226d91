"""Supervision: a regulator freezes and revokes lots and freezes accounts."""

from market.services.supervision.interventions import (
    freeze_lot,
    revoke_lot,
    set_account_frozen,
    unfreeze_lot,
)

__all__ = [
    "freeze_lot", "revoke_lot", "set_account_frozen", "unfreeze_lot",
]
