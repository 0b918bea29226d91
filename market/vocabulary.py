"""Words a person reads for the service's stored codes (statuses, kinds, units), translated.

The code keeps English codes (`pending_payment`, `mu`); files and messages show these words,
which follow the request's language through the catalogue. A word means different things in
different tables ("open" instrument, order or alert), so each table has its own context.
"""

from flask_babel import lazy_pgettext

INSTRUMENT_STATUS = {
    "open": lazy_pgettext("instrument status", "open"),
    "halted": lazy_pgettext("instrument status", "halted"),
    "closed": lazy_pgettext("instrument status", "closed"),
}
LOT_STATUS = {
    "pending": lazy_pgettext("lot status", "pending"),
    "active": lazy_pgettext("lot status", "active"),
    "rejected": lazy_pgettext("lot status", "rejected"),
    "frozen": lazy_pgettext("lot status", "frozen"),
    "revoked": lazy_pgettext("lot status", "revoked"),
}
ORDER_STATUS = {
    "open": lazy_pgettext("order status", "open"),
    "filled": lazy_pgettext("order status", "filled"),
    "cancelled": lazy_pgettext("order status", "cancelled"),
    "expired": lazy_pgettext("order status", "expired"),
}
SETTLEMENT_STATUS = {
    "pending_payment": lazy_pgettext("settlement status", "pending payment"),
    "completed": lazy_pgettext("settlement status", "completed"),
    "defaulted": lazy_pgettext("settlement status", "defaulted"),
    "cancelled": lazy_pgettext("settlement status", "cancelled"),
}
ALERT_STATUS = {
    "open": lazy_pgettext("alert status", "open"),
    "reviewed": lazy_pgettext("alert status", "reviewed"),
    "dismissed": lazy_pgettext("alert status", "dismissed"),
}
ALERT_KIND = {
    "guide_deviation": lazy_pgettext("alert kind", "price far from the guide price"),
    "vwap_deviation": lazy_pgettext("alert kind", "price far from the 30-day average"),
    "band_rejection_storm": lazy_pgettext("alert kind", "many orders refused at the band"),
    "wash_trade": lazy_pgettext("alert kind", "trade within one district"),
    "cross_trade": lazy_pgettext("alert kind", "trade between related parties in a county"),
    "circular": lazy_pgettext("alert kind", "circular trading"),
    "concentration": lazy_pgettext("alert kind", "concentrated trading"),
    "cancel_fill_ratio": lazy_pgettext("alert kind", "too many cancellations"),
    "negotiated_deviation": lazy_pgettext("alert kind", "negotiated price far from the guide"),
    "listing_single_bidder": lazy_pgettext("alert kind", "listing with a single qualified bidder"),
    "listing_ceiling_rush": lazy_pgettext("alert kind", "ceiling reached soon after opening"),
    "listing_same_district_bidders": lazy_pgettext("alert kind",
                                                   "bidders of one district against each other"),
    "obligation_shortfall": lazy_pgettext("alert kind", "obligation not met"),
    "payout_overdue": lazy_pgettext("alert kind", "money owed to beneficiaries unpaid"),
}
# How a trade was made (models.order.TRADE_MECHANISMS).
MECHANISM = {
    "continuous": lazy_pgettext("trade mechanism", "continuous trading"),
    "call_auction": lazy_pgettext("trade mechanism", "call auction"),
    "listing": lazy_pgettext("trade mechanism", "listing auction"),
    "procurement": lazy_pgettext("trade mechanism", "procurement"),
    "negotiated": lazy_pgettext("trade mechanism", "negotiated transfer"),
}
NEGOTIATED_STATUS = {
    "proposed": lazy_pgettext("negotiated status", "awaiting the buyer"),
    "accepted": lazy_pgettext("negotiated status", "awaiting approval"),
    "approved": lazy_pgettext("negotiated status", "approved"),
    "withdrawn": lazy_pgettext("negotiated status", "withdrawn"),
    "declined": lazy_pgettext("negotiated status", "declined"),
    "rejected": lazy_pgettext("negotiated status", "rejected"),
}
SEVERITY = {
    "high": lazy_pgettext("severity", "high"),
    "medium": lazy_pgettext("severity", "medium"),
    "low": lazy_pgettext("severity", "low"),
}
UNIT = {
    "mu": lazy_pgettext("unit", "mu"),
    "kg": lazy_pgettext("unit", "kg"),
    "tCO2e": lazy_pgettext("unit", "tCO2e"),
}
SIDE = {"buy": lazy_pgettext("side", "buy"), "sell": lazy_pgettext("side", "sell")}
DISTRICT_LEVEL = {
    "province": lazy_pgettext("district level", "province"),
    "city": lazy_pgettext("district level", "city"),
    "county": lazy_pgettext("district level", "county"),
    "town": lazy_pgettext("district level", "town"),
}
INSTRUMENT_KIND = {
    "farmland_offset": lazy_pgettext("instrument kind", "farmland offset"),
    "linkage_surplus": lazy_pgettext("instrument kind", "linkage surplus"),
    "eco_product": lazy_pgettext("instrument kind", "ecological product"),
    "construction_land_scale": lazy_pgettext("instrument kind", "construction-land scale"),
}
OBLIGATION_STATUS = {
    "open": lazy_pgettext("obligation status", "open"),
    "met": lazy_pgettext("obligation status", "met"),
    "short": lazy_pgettext("obligation status", "short"),
}
LOT_SOURCE = {
    "project": lazy_pgettext("lot source", "project"),
    "allocation": lazy_pgettext("lot source", "allocation"),
}
ROLE = {
    "trader": lazy_pgettext("role", "trader"),
    "regulator": lazy_pgettext("role", "regulator"),
    "admin": lazy_pgettext("role", "admin"),
}

BENEFICIARY_KIND = {
    "villager": lazy_pgettext("beneficiary kind", "villagers"),
    "collective": lazy_pgettext("beneficiary kind", "village collective"),
    "company": lazy_pgettext("beneficiary kind", "rural revitalisation company"),
    "other": lazy_pgettext("beneficiary kind", "other"),
}
PLEDGE_STATUS = {
    "pending": lazy_pgettext("pledge status", "pending"),
    "registered": lazy_pgettext("pledge status", "registered"),
    "released": lazy_pgettext("pledge status", "released"),
    "enforced": lazy_pgettext("pledge status", "enforced"),
    "rejected": lazy_pgettext("pledge status", "rejected"),
}


def word(table: dict, code):
    """The table's word for a code; an unknown code (or None) shows as itself."""
    return table.get(code, code)
