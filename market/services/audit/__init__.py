"""The audit trail: every act of a person or the scheduler, hash-chained.

`record` is a part (it writes inside the caller's transaction); the rest are reads.
"""

from market.services.audit.chain import (
    ChainReport,
    count_events,
    list_events,
    record,
    utc_iso,
    verify_chain,
)

__all__ = [
    "ChainReport", "count_events", "list_events", "record", "utc_iso", "verify_chain",
]
