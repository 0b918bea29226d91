"""The registry: indicator lots from registration to retirement, and their delivery."""

from market.services.registry.allocations import allocate_lot
from market.services.registry.delivery import transfer_to_child
from market.services.registry.evidence import (
    FORM_OVERHEAD,
    MAX_EVIDENCE_BYTES,
    MAX_FILES_PER_FORM,
    Upload,
    attach_evidence,
    evidence_file,
    evidence_of_lots,
    list_evidence,
    register_lot_with_evidence,
    sniff_type,
)
from market.services.registry.lots import (
    get_lot,
    holdings_of,
    lot_visible_to,
    register_lot,
    reject_lot,
    require_sellable,
    require_status,
    retire_from_lot,
    retire_quantity,
    search_lots,
    transition,
    verify_lot,
)

__all__ = [
    "FORM_OVERHEAD", "MAX_EVIDENCE_BYTES", "MAX_FILES_PER_FORM", "Upload", "allocate_lot",
    "attach_evidence", "evidence_file", "evidence_of_lots", "get_lot", "holdings_of",
    "list_evidence", "lot_visible_to", "register_lot", "register_lot_with_evidence", "reject_lot",
    "require_sellable", "require_status", "retire_from_lot", "retire_quantity", "search_lots",
    "sniff_type", "transfer_to_child", "transition", "verify_lot",
]
