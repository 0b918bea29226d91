"""Jinja filters for the pages: money, quantities and times as a Chinese reader expects."""

from datetime import UTC, datetime
from decimal import Decimal

from market import vocabulary
from market.calendar import MARKET_TIME
from market.web import messages
from market.web.blueprint import bp


def local_time(moment: datetime | None, pattern: str = "%Y-%m-%d %H:%M:%S") -> str:
    """A stored (UTC) time in market time, Asia/Shanghai."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(MARKET_TIME).strftime(pattern)


@bp.app_template_filter("money")
def money(value: Decimal | None) -> str:
    """CNY with thousands separators and two places; a dash when unset."""
    return "—" if value is None else f"{Decimal(value):,.2f}"


@bp.app_template_filter("quantity")
def quantity(value: Decimal | None) -> str:
    """A quantity without trailing zeros beyond two places (12.5000 → 12.50)."""
    return "—" if value is None else f"{Decimal(value):,.2f}" if Decimal(value) == \
        Decimal(value).quantize(Decimal("0.01")) else f"{Decimal(value).normalize():,f}"


@bp.app_template_filter("ratio_percent")
def ratio_percent(value: Decimal | None, signed: bool = False) -> str:
    """A stored fraction as a percentage (0.3 → 30%; signed: 0.0833 → +8.33%)."""
    if value is None:
        return "—"
    percent = (Decimal(value) * 100).normalize()
    return f"{percent:+f}%" if signed else f"{percent:f}%"


@bp.app_template_filter("signed_percent")
def signed_percent(value: Decimal | None) -> str:
    """A change in percent with its sign (+1.25%)."""
    return "—" if value is None else f"{Decimal(value):+.2f}%"


bp.add_app_template_filter(local_time, "local_time")
# The Chinese word tables, for every template (e.g. INSTRUMENT_STATUS["halted"]).
for _name in ("INSTRUMENT_STATUS", "TRADING_MODE", "UNIT", "AUDIT_ACTIONS", "ALERT_KINDS",
              "SEVERITY", "ALERT_STATUS", "SETTLEMENT_BUCKETS", "SETTLEMENT_STATUS",
              "FLOW_DIRECTIONS", "LOT_STATUS", "ORDER_SIDE", "ROLE", "ACCOUNT_KIND",
              "JOURNAL_KIND", "TIME_IN_FORCE", "ORDER_STATUS"):
    bp.add_app_template_global(getattr(messages, _name), _name)
# How a trade was made and where a negotiated transfer stands, translated (pages are Chinese).
for _name in ("MECHANISM", "NEGOTIATED_STATUS"):
    bp.add_app_template_global(getattr(vocabulary, _name), _name)
