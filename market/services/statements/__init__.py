"""Statements (对账单): what an account registered, sold, bought, used and was paid in a
period, with cash balances that reconcile with the ledger. Reads only.

Subsystems built later (beneficiary payouts, pledges) add their table with
`register_section(Section(...))`; see sections.py.
"""

from market.services.statements.building import Statement, account_statement
from market.services.statements.cash import Balances, balances_before
from market.services.statements.files import statement_file
from market.services.statements.sections import (
    EXTENSION_KEYS,
    SECTIONS,
    Column,
    Section,
    register_section,
)

__all__ = [
    "EXTENSION_KEYS", "SECTIONS", "Balances", "Column", "Section", "Statement",
    "account_statement", "balances_before", "register_section", "statement_file",
]
