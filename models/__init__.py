"""SQLAlchemy models, one module per aggregate. Imports nothing of ours but itself."""

from models.account import Account, User
from models.audit import AuditCheckpoint, AuditEvent
from models.auth import ApiToken
from models.base import Base
from models.district import District
from models.instrument import Instrument
from models.ledger import JournalEntry, JournalTransaction
from models.lot import Lot, Retirement
from models.order import Order, Trade
from models.settlement import AuctionRun, Settlement, SettlementPayment
from models.statistics import DailyRegionStat, DailyStat
from models.surveillance import Alert, OrderRejection, SurveillanceSetting

__all__ = [
    "Account",
    "Alert",
    "ApiToken",
    "AuctionRun",
    "AuditCheckpoint",
    "AuditEvent",
    "Base",
    "DailyRegionStat",
    "DailyStat",
    "District",
    "Instrument",
    "JournalEntry",
    "JournalTransaction",
    "Lot",
    "Order",
    "OrderRejection",
    "Retirement",
    "Settlement",
    "SettlementPayment",
    "SurveillanceSetting",
    "Trade",
    "User",
]
