"""SQLAlchemy models, one module per aggregate. Imports nothing of ours but itself.

Each vocabulary (statuses, kinds, sides) is a tuple beside its model; the CHECK constraints and
the schemas' validators are built from it.
"""

from models.account import ACCOUNT_KINDS, USER_ROLES, Account, User
from models.audit import AuditCheckpoint, AuditEvent
from models.auth import ApiToken, LoginFailure
from models.base import Base
from models.district import DISTRICT_LEVELS, District
from models.evidence import EVIDENCE_TYPES, LotEvidence
from models.instrument import (
    FORFEIT_TARGETS,
    INSTRUMENT_KINDS,
    INSTRUMENT_STATUSES,
    TRADING_MODES,
    Instrument,
)
from models.ledger import JournalEntry, JournalTransaction
from models.lot import LOT_STATUSES, Lot, Retirement
from models.operations import JOB_RUN_STATUSES, SchedulerHeartbeat
from models.order import (
    AGGRESSOR_SIDES,
    ORDER_SIDES,
    ORDER_STATUSES,
    TIMES_IN_FORCE,
    Order,
    Trade,
)
from models.payout import BENEFICIARY_KINDS, Beneficiary, Disbursement, Payout
from models.pledge import PLEDGE_STATUSES, Pledge
from models.settlement import (
    PAYMENT_METHODS,
    SETTLEMENT_STATUSES,
    AuctionRun,
    Settlement,
    SettlementPayment,
)
from models.statistics import DailyRegionStat, DailyStat
from models.surveillance import (
    ALERT_KINDS,
    ALERT_STATUSES,
    REVIEW_STATUSES,
    Alert,
    OrderRejection,
    SurveillanceSetting,
)

__all__ = [
    "ACCOUNT_KINDS",
    "AGGRESSOR_SIDES",
    "ALERT_KINDS",
    "ALERT_STATUSES",
    "BENEFICIARY_KINDS",
    "DISTRICT_LEVELS",
    "EVIDENCE_TYPES",
    "FORFEIT_TARGETS",
    "INSTRUMENT_KINDS",
    "INSTRUMENT_STATUSES",
    "JOB_RUN_STATUSES",
    "LOT_STATUSES",
    "ORDER_SIDES",
    "ORDER_STATUSES",
    "PAYMENT_METHODS",
    "PLEDGE_STATUSES",
    "REVIEW_STATUSES",
    "SETTLEMENT_STATUSES",
    "TIMES_IN_FORCE",
    "TRADING_MODES",
    "USER_ROLES",
    "Account",
    "Alert",
    "ApiToken",
    "AuctionRun",
    "AuditCheckpoint",
    "AuditEvent",
    "Base",
    "Beneficiary",
    "DailyRegionStat",
    "DailyStat",
    "Disbursement",
    "District",
    "Instrument",
    "JournalEntry",
    "JournalTransaction",
    "LoginFailure",
    "Lot",
    "LotEvidence",
    "Order",
    "OrderRejection",
    "Payout",
    "Pledge",
    "Retirement",
    "SchedulerHeartbeat",
    "Settlement",
    "SettlementPayment",
    "SurveillanceSetting",
    "Trade",
    "User",
]
