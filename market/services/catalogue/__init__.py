"""The catalogue: instruments and their terms, the district tree, and the instrument lock."""

from market.services.catalogue.districts import (
    DistrictTree,
    all_districts,
    district_for_input,
)
from market.services.catalogue.instruments import (
    create_instrument,
    instrument_by_code,
    instrument_for_input,
    list_instruments,
    lock_instrument_by_code,
    set_instrument_status,
    update_terms,
)
from market.services.catalogue.locks import lock_instrument, lock_lot, lock_lots
from market.services.catalogue.terms import (
    TermsBook,
    history_view,
    record_terms,
    terms_at,
    terms_history,
    terms_view,
)

__all__ = [
    "TermsBook", "create_instrument", "history_view", "record_terms", "terms_at",
    "terms_history", "terms_view",
    "DistrictTree", "all_districts", "district_for_input", "instrument_by_code",
    "instrument_for_input", "list_instruments", "lock_instrument", "lock_instrument_by_code",
    "lock_lot", "lock_lots", "set_instrument_status", "update_terms",
]
