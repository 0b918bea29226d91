"""Obligations (限额) and their surrender, the period-end judgement and the compliance report."""

from market.services.obligations.closing import close_ended
from market.services.obligations.compliance import compliance_file, compliance_report
from market.services.obligations.quotas import (
    ObligationView,
    create_obligation,
    get_obligation,
    list_obligations,
    surrender,
    surrenders_of,
)

__all__ = [
    "ObligationView", "close_ended", "compliance_file", "compliance_report",
    "create_obligation", "get_obligation", "list_obligations", "surrender", "surrenders_of",
]
