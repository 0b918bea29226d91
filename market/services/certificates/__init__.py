"""Certificates: a signed, publicly verifiable record of every issuance, transfer and use.

`issue_certificate` and `void_certificates` are parts (they write inside the caller's
transaction): the registry issues on verification and retirement, the settlement on
completion; surrenders and pledges call it with their own row and facts. The rest are reads.
Signing and codes: signing.py; whether one still holds: standing.py.
"""

from market.services.certificates.documents import (
    FACT_LABELS,
    KIND_TITLES,
    STANDING_WORDS,
    certificate_pdf,
    fact_rows,
)
from market.services.certificates.issuing import (
    certificates_of,
    issuance_facts,
    issue_certificate,
    lot_facts,
    retirement_facts,
    transfer_facts,
    void_certificates,
)
from market.services.certificates.signing import ALPHABET, CODE_LENGTH, normalise_code, printed_code
from market.services.certificates.standing import (
    STANDINGS,
    Comparison,
    PublicCertificate,
    Standing,
    certificate_for_party,
    certificates_for_lot,
    certificates_for_settlement,
    compare_copy,
    find,
    public_view,
    standing_of,
)

__all__ = [
    "ALPHABET", "CODE_LENGTH", "FACT_LABELS", "KIND_TITLES", "STANDINGS", "STANDING_WORDS",
    "Comparison", "PublicCertificate", "Standing", "certificate_for_party", "certificate_pdf",
    "certificates_for_lot", "certificates_for_settlement", "certificates_of", "compare_copy",
    "fact_rows", "find", "issuance_facts", "issue_certificate", "lot_facts", "normalise_code",
    "printed_code", "public_view", "retirement_facts", "standing_of", "transfer_facts",
    "void_certificates",
]
