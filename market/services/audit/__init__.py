"""The audit trail: every act of a person or the scheduler, in a keyed hash chain.

`record` is a part (it writes inside the caller's transaction); `write_checkpoint` is a use
case; the rest are reads.
"""

from market.services.audit.chain import (
    ChainReport,
    count_events,
    list_events,
    record,
    utc_iso,
)
from market.services.audit.checkpoints import (
    ChainBroken,
    Checkpoint,
    latest_checkpoint,
    verify_chain,
    write_checkpoint,
)

__all__ = [
    "ChainBroken", "ChainReport", "Checkpoint", "count_events", "latest_checkpoint",
    "list_events", "record", "utc_iso", "verify_chain", "write_checkpoint",
]
