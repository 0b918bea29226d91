"""SQLAlchemy models, one module per aggregate. Imports nothing of ours but itself.

Each vocabulary (statuses, kinds, sides) is a tuple beside its model; the CHECK constraints and
the schemas' validators are built from it.
"""

from models.account import ACCOUNT_KINDS, USER_ROLES, Account, User
from models.auction import (
    AUCTION_KINDS,
    AUCTION_STATES,
    AUCTION_STATUSES,
    DEPOSIT_STATES,
    QUALIFICATIONS,
    REGISTRATION_STATUSES,
    Auction,
    AuctionBid,
    AuctionRegistration,
)
from models.audit import AuditCheckpoint, AuditEvent
from models.auth import ApiToken, LoginFailure
from models.base import Base
from models.book_command import BOOK_COMMAND_KINDS, BookCommand
from models.certificate import CERTIFICATE_KINDS, Certificate
from models.district import DISTRICT_LEVELS, District
from models.evidence import EVIDENCE_TYPES, LotEvidence
from models.instrument import (
    FORFEIT_TARGETS,
    HISTORY_TERMS,
    INSTRUMENT_KINDS,
    INSTRUMENT_STATUSES,
    INSTRUMENT_UNITS,
    TRADING_MODES,
    Instrument,
    InstrumentTerms,
)
from models.ledger import JournalEntry, JournalTransaction
from models.lot import LOT_SOURCES, LOT_STATUSES, Lot, Retirement
from models.negotiated import (
    APPROVAL_SIDES,
    NEGOTIATED_OPEN,
    NEGOTIATED_STATUSES,
    NegotiatedTransfer,
)
from models.obligation import OBLIGATION_STATUSES, Obligation
from models.operations import JOB_RUN_STATUSES, SchedulerHeartbeat
from models.order import (
    AGGRESSOR_SIDES,
    ORDER_SIDES,
    ORDER_STATUSES,
    TIMES_IN_FORCE,
    TRADE_MECHANISMS,
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
    "BOOK_COMMAND_KINDS",
    "BookCommand",
    "ALERT_KINDS",
    "APPROVAL_SIDES",
    "AUCTION_KINDS",
    "AUCTION_STATES",
    "AUCTION_STATUSES",
    "DEPOSIT_STATES",
    "ALERT_STATUSES",
    "CERTIFICATE_KINDS",
    "BENEFICIARY_KINDS",
    "DISTRICT_LEVELS",
    "EVIDENCE_TYPES",
    "FORFEIT_TARGETS",
    "HISTORY_TERMS",
    "INSTRUMENT_KINDS",
    "INSTRUMENT_STATUSES",
    "INSTRUMENT_UNITS",
    "JOB_RUN_STATUSES",
    "LOT_SOURCES",
    "LOT_STATUSES",
    "NEGOTIATED_OPEN",
    "NEGOTIATED_STATUSES",
    "OBLIGATION_STATUSES",
    "ORDER_SIDES",
    "ORDER_STATUSES",
    "PAYMENT_METHODS",
    "QUALIFICATIONS",
    "REGISTRATION_STATUSES",
    "PLEDGE_STATUSES",
    "REVIEW_STATUSES",
    "SETTLEMENT_STATUSES",
    "TIMES_IN_FORCE",
    "TRADE_MECHANISMS",
    "TRADING_MODES",
    "USER_ROLES",
    "Account",
    "Alert",
    "ApiToken",
    "Auction",
    "AuctionBid",
    "AuctionRegistration",
    "AuctionRun",
    "AuditCheckpoint",
    "AuditEvent",
    "Base",
    "Certificate",
    "Beneficiary",
    "DailyRegionStat",
    "DailyStat",
    "Disbursement",
    "District",
    "Instrument",
    "InstrumentTerms",
    "JournalEntry",
    "JournalTransaction",
    "LoginFailure",
    "Lot",
    "LotEvidence",
    "NegotiatedTransfer",
    "Obligation",
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
