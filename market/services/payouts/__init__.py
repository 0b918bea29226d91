"""Money back (经济反哺): a lot's beneficiaries, what its sales owe them, paying them out.

`owe_proceeds` is a part of completing a settlement (settlement/lifecycle.py calls it); the
owed money is a ledger book per payout (`payout:<id>:owed`), leaving it only by a recorded
disbursement. The report follows the money down to each county, town and beneficiary.
"""

from market.services.payouts.beneficiaries import beneficiaries_of, name_beneficiaries
from market.services.payouts.disbursements import (
    list_payouts,
    payout_visible_to,
    record_disbursement,
)
from market.services.payouts.owing import owe_proceeds
from market.services.payouts.report import overdue_days, payout_report, payout_report_file
from market.services.payouts.split import split_by_shares

__all__ = [
    "beneficiaries_of", "list_payouts", "name_beneficiaries", "overdue_days", "owe_proceeds",
    "payout_report", "payout_report_file", "payout_visible_to", "record_disbursement",
    "split_by_shares",
]
