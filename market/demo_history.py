"""About 90 trading days of demo history on every instrument, ending yesterday.

Replayed through the real use cases (orders and matching, call auctions, payments, the
deadline job, a regulator's cancel), each at its own moment in the past (`models.base.clock_at`),
so trades, settlements, ledger and audit agree on when things happened. Prices walk around
the guide price from a fixed seed (`SEED`), so two loads on the same day make the same
history; the days themselves are relative to the day of loading.

The settlements are left in every state the monitor knows: most completed (paid from cash, or
by a bank transfer a regulator confirms), a few still pending (one due within three days and
one past its deadline that the deadline job has not reached yet), some defaulted by the
replayed deadline job and some cancelled by a regulator.
"""

import heapq
import itertools
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal

from sqlalchemy import func, select

from market.calendar import MARKET_TIME, market_day
from market.extensions import db
from market.services import catalogue, history, registry, settlement, trading
from models import Settlement, Trade, User
from models.base import clock_at

# Any fixed number will do; this one makes a history with every fate below on most days.
SEED = 20240630
TRADING_DAYS = 90
# Lots are verified this long before the first traded day, so linkage surplus is past its
# 30-day county-only window when its history starts.
SETUP_LEAD = timedelta(days=35)


@dataclass(frozen=True)
class Market:
    """Who trades an instrument in the history, and in what sizes."""

    sellers: tuple[str, ...]
    buyers: tuple[str, ...]
    quantities: tuple[str, ...]
    # Where its walk around the guide price starts (radians), so the charts differ.
    phase: float
    # The share of days it trades on: the thinner markets skip some (and the load is faster).
    share: float = 1.0


# Sellers and buyers of one province (carbon and linkage surplus may not cross it), in
# different counties (the same county would raise wash- and cross-trade alerts every day).
MARKETS = {
    "FO-QTY": Market(("yixing", "huangtu"), ("xinwu", "liangxi"), ("1", "1.5", "2", "2.5"), 0.0),
    "FO-PADDY": Market(("yixing",), ("xinwu", "liangxi"), ("0.5", "1", "1.5"), 1.3, 0.5),
    "FO-GRAIN": Market(("yixing",), ("xinwu", "liangxi"), ("500", "800", "1200"), 2.1, 0.4),
    "LS": Market(("huangtu", "xuxiake"), ("xinwu", "liangxi"), ("0.5", "1", "1.5"), 3.0, 0.6),
    "ECO-CARBON": Market(("xiangshan",), ("yinzhou",), ("100", "200", "300", "500"), 4.2, 0.7),
    "ECO-WETLAND": Market(("xuxiake",), ("xinwu", "liangxi"), ("1", "2", "3"), 5.0, 0.4),
    # Planned construction-land scale stays within its city (seed 002 §4(四)): 宜兴 → 无锡.
    "CL-SCALE": Market(("yixing",), ("xinwu", "liangxi"), ("1", "2", "3"), 6.1, 0.4),
}
# FO-QTY also trades in Zhejiang on some days.
ZHEJIANG_FO_QTY = Market(("xiangshan",), ("yinzhou",), ("1", "2"), 0.0, 0.1)

# The lots the history sells from, registered and verified with the rest of the demo world:
# (seller, instrument, quantity, origin, project, grade).
HISTORY_LOTS = [
    ("yixing", "FO-QTY", "400", "320282", "宜兴市丁蜀镇土地综合整治项目", 5),
    ("huangtu", "FO-QTY", "200", "320281100", "璜土镇耕地提质改造项目", 6),
    ("xiangshan", "FO-QTY", "200", "330225", "象山县高标准农田建设二期项目", 6),
    ("yixing", "FO-PADDY", "300", "320282", "宜兴市丁蜀镇土地综合整治项目", 5),
    ("yixing", "FO-GRAIN", "300000", "320282", "宜兴市丁蜀镇土地综合整治项目", 5),
    ("huangtu", "LS", "120", "320281100", "璜土镇村庄建设用地复垦二期项目", None),
    ("xuxiake", "LS", "120", "320281104", "徐霞客镇农村建设用地复垦项目", None),
    ("xiangshan", "ECO-CARBON", "200000", "330225", "象山县海岸带林业碳汇项目", None),
    ("xuxiake", "ECO-WETLAND", "600", "320281104", "徐霞客镇璜塘河湿地修复项目", None),
    ("yixing", "CL-SCALE", "300", "320282", "宜兴市城乡建设用地规模调剂项目", None),
]

# Settlements the buyer leaves unpaid, by instrument, the ages in calendar days (first one
# that is a weekday wins) of the trading day they come from, and what becomes of them. The
# ages are chosen against the instrument's settlement window (FO and wetland 10 days, LS 15):
# still pending with days to go, due within three days, past the deadline but not yet
# defaulted (the replayed deadline job stops LAST_DEADLINE_RUN days ago), defaulted, cancelled.
# Each names its buyer, so every buyer of the walkthrough has something to pay.
FATES = [
    ("FO-QTY", (1, 2, 3, 4), "pending", "xinwu"),
    ("ECO-WETLAND", (2, 3, 4, 5), "pending", "liangxi"),
    ("FO-PADDY", (8, 9, 7), "due_soon", "xinwu"),
    ("FO-QTY", (11, 12, 13), "overdue", "liangxi"),
    ("FO-GRAIN", range(30, 37), "default", "xinwu"),
    ("LS", range(45, 52), "default", "liangxi"),
    ("FO-QTY", range(20, 27), "cancel", "xinwu"),
    ("ECO-WETLAND", range(55, 62), "cancel", "liangxi"),
]
# One trade well above the guide price a few days ago, for the surveillance desk to review.
EXCURSION = ("FO-PADDY", (2, 3, 4, 5), Decimal("1.15"))
LAST_DEADLINE_RUN = 4
CANCEL_REASON = "买方用地项目调整，经买卖双方书面申请撤销"
# Who confirms bank transfers and cancels: the buyer's city regulator.
CITY_REGULATOR = {"xinwu": "wuxi", "liangxi": "wuxi", "yinzhou": "ningbo"}


def trading_days(today: date, count: int = TRADING_DAYS) -> list[date]:
    """The `count` weekdays before `today`, oldest first."""
    days, day = [], today
    while len(days) < count:
        day -= timedelta(days=1)
        if day.weekday() < 5:
            days.append(day)
    return days[::-1]


def setup_time(today: date | None = None, days: int = TRADING_DAYS) -> datetime:
    """When the demo world is set up: 09:00 Shanghai, well before its first traded day."""
    today = today or market_day()
    first = trading_days(today, days)[0] if days > 0 else today
    return datetime.combine(first - SETUP_LEAD, time(9), MARKET_TIME)


def register_history_lots(traders: dict[str, User], regulator: User) -> dict[tuple, str]:
    """Register and verify the lots the history sells from; (seller, instrument) → serial."""
    serials = {}
    for index, (seller, code, quantity, origin, project, grade) in enumerate(HISTORY_LOTS, 1):
        user = traders[seller]
        lot = registry.register_lot(user, user.account, {
            "instrument": code, "quantity": Decimal(quantity), "origin_district_code": origin,
            "project_name": project, "project_code": f"DEMO-H-{origin}-{index:03d}",
            "accepted_on": date(2024, 12, 31), "vintage_year": 2024, "quality_grade": grade,
        })
        registry.verify_lot(regulator, lot.serial)
        serials[(seller, code)] = lot.serial
    return serials


class _Replay:
    """A queue of acts in time order; each runs with the clock at its moment."""

    def __init__(self) -> None:
        self._queue: list[tuple[datetime, int, Callable[[], None]]] = []
        self._order = itertools.count()

    def at(self, moment: datetime, act: Callable[[], None]) -> None:
        heapq.heappush(self._queue, (moment, next(self._order), act))

    def run(self) -> None:
        while self._queue:
            moment, _order, act = heapq.heappop(self._queue)
            with clock_at(moment):
                act()


class _History:
    """One replay: the plan of every trading day, then its acts in time order."""

    def __init__(self, traders: dict[str, User], lots: dict[tuple, str], today: date,
                 days: int) -> None:
        self.traders, self.lots, self.today = traders, lots, today
        self.calendar = trading_days(today, days)
        self.rng = random.Random(SEED)
        self.queue = _Replay()
        self.numbers = itertools.count(1)
        self.instruments = {code: catalogue.instrument_by_code(code) for code in MARKETS}
        self.fates = {(code, self._day(ages)): (fate, buyer)
                      for code, ages, fate, buyer in FATES}
        self.excursion = (EXCURSION[0], self._day(EXCURSION[1]))
        self.trades = 0

    def _day(self, ages) -> date | None:
        """The first of the ages that is a traded day (None in a history too short for it)."""
        weekdays = set(self.calendar)
        return next((day for day in (self.today - timedelta(days=age) for age in ages)
                     if day in weekdays), None)

    def plan(self) -> None:
        for index, day in enumerate(self.calendar):
            for hour, (code, market) in enumerate(MARKETS.items(), 9):
                # Call-auction orders wait for the 10:00 uncross.
                moment = (_at(day, 9, 40) if code == "LS"
                          else _at(day, hour, 30 + self.rng.randrange(25)))
                chosen = (code, day) in self.fates or (code, day) == self.excursion
                if chosen or self.rng.random() < market.share:
                    self.trade(code, market, day, index, moment, self.fates.get((code, day)))
            if self.rng.random() < ZHEJIANG_FO_QTY.share:
                self.trade("FO-QTY", ZHEJIANG_FO_QTY, day, index,
                           _at(day, 15, self.rng.randrange(50)))
        # The scheduler's deadline job, every evening (weekends too) up to a few days ago.
        day = self.calendar[0]
        while (self.today - day).days >= LAST_DEADLINE_RUN:
            evening = _at(day, 18)
            self.queue.at(evening, lambda at=evening: settlement.default_overdue(at))
            day += timedelta(days=1)

    def trade(self, code: str, market: Market, day: date, index: int, moment: datetime,
              destiny: tuple[str, str] | None = None) -> None:
        """A sell and a crossing buy of the same size (matched at once, or at the auction)."""
        instrument, rng = self.instruments[code], self.rng
        seller = self.traders[rng.choice(market.sellers)]
        buyer = self.traders[rng.choice(market.buyers)]
        fate = "paid"
        if destiny is not None:
            fate, buyer = destiny[0], self.traders[destiny[1]]
        walk = 0.06 * math.sin(2 * math.pi * index / 40 + market.phase) + rng.uniform(-.02, .02)
        factor = EXCURSION[2] if (code, day) == self.excursion else Decimal(f"{1 + walk:.4f}")
        price = _round(instrument.guide_price * factor, instrument.tick_size)
        quantity = Decimal(rng.choice(market.quantities))
        number = next(self.numbers)
        terms = {"instrument": code, "price": price, "quantity": quantity, "tif": "GTC"}

        def place() -> None:
            trading.place_order(seller, seller.account, {
                **terms, "side": "sell", "client_order_id": f"hist-{number}-s",
                "lot_serial": self.lots[(seller.username, code)]})
            result = trading.place_order(buyer, buyer.account, {
                **terms, "side": "buy", "client_order_id": f"hist-{number}-b"})
            if instrument.trading_mode != "call_auction":
                self.settle([made.id for made in result.trades], buyer, fate, moment)

        self.queue.at(moment, place)
        if instrument.trading_mode == "call_auction":
            slot = _at(day, 10)

            def uncross() -> None:
                before = _last_trade_id()
                trading.uncross(code, None, slot_at=slot.astimezone(UTC), now=slot)
                self.settle(_trade_ids_after(before), buyer, fate, slot)

            self.queue.at(slot, uncross)

    def settle(self, trade_ids: list[int], buyer: User, fate: str, when: datetime) -> None:
        """Queue what becomes of the trades' settlements (carbon's settled at the match)."""
        self.trades += len(trade_ids)
        regulator = self.traders[CITY_REGULATOR[buyer.username]]
        for settlement_id in _pending_settlements(trade_ids):
            if fate == "paid" and buyer.username == "liangxi" and self.rng.random() < 0.5:
                self.queue.at(when + timedelta(hours=4),
                              lambda sid=settlement_id: _bank(regulator, sid))
            elif fate == "paid":
                self.queue.at(when + timedelta(hours=2), lambda sid=settlement_id:
                              settlement.pay_from_cash(buyer, buyer.account, sid))
            elif fate == "cancel":
                self.queue.at(when + timedelta(days=1), lambda sid=settlement_id:
                              settlement.cancel_settlement(regulator, sid, CANCEL_REASON))
            # pending, due_soon, overdue, default: unpaid; the deadline job does the rest.


def replay(traders: dict[str, User], lots: dict[tuple, str], today: date | None = None,
           days: int = TRADING_DAYS) -> int:
    """Trade every instrument on each of the `days` weekdays before today; the trade count.

    `traders` holds the demo's users by name, regulators included; `lots` the history lots
    (register_history_lots). Daily statistics are rebuilt for the days replayed.
    """
    if days <= 0:
        return 0
    run = _History(traders, lots, today or market_day(), days)
    run.plan()
    run.queue.run()
    history.backfill_daily_stats(run.calendar[0], run.calendar[-1])
    return run.trades


def _at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), MARKET_TIME)


def _round(value: Decimal, step: Decimal) -> Decimal:
    return ((value / step).quantize(Decimal("1"), rounding=ROUND_HALF_UP) * step).quantize(step)


def _bank(regulator: User, settlement_id: int) -> None:
    due = settlement.settlement_visible_to(regulator, settlement_id)
    settlement.confirm_bank_payment(regulator, settlement_id, due.amount_due,
                                    f"DEMO-BANK-{settlement_id:05d}")


def _pending_settlements(trade_ids: list[int]) -> list[int]:
    if not trade_ids:
        return []
    return list(db.session.scalars(select(Settlement.id).where(
        Settlement.trade_id.in_(trade_ids), Settlement.status == "pending_payment")
        .order_by(Settlement.id)))


def _last_trade_id() -> int:
    return db.session.scalar(select(func.coalesce(func.max(Trade.id), 0)))


def _trade_ids_after(trade_id: int) -> list[int]:
    return list(db.session.scalars(select(Trade.id).where(Trade.id > trade_id)
                                   .order_by(Trade.id)))
