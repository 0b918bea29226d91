"""Who works in which area of the pages, and each area's menu.

Regulators work at /desk, traders (district sellers and buyers) at /trade, admins at /admin.
Each page module adds nothing here but its menu entry, so the menu and the access rule come
from one table.
"""

from flask_babel import lazy_gettext as _l

# Path prefix → the role that works there and the endpoint of its home page.
AREAS = {
    "/desk": ("regulator", "web.overview"),
    "/trade": ("trader", "web.trader_home"),
    "/admin": ("admin", "web.admin_home"),
}

# The menu of each role: (endpoint, label).
MENUS = {
    "regulator": [
        ("web.overview", _l("Market overview")),
        ("web.verification_queue", _l("Verification queue")),
        ("web.instrument_list", _l("Instruments")),
        ("web.desk_obligations", _l("Obligations")),
        ("web.allocations", _l("Allocations")),
        ("web.account_list", _l("Accounts")),
        ("web.settlement_monitor", _l("Settlements")),
        ("web.negotiated_desk", _l("Negotiated transfers")),
        ("web.desk_listings", _l("Listings and procurements")),
        ("web.alerts", _l("Alerts")),
        ("web.threshold_list", _l("Thresholds")),
        ("web.flows", _l("Money flows")),
        ("web.desk_payouts", _l("Money back")),
        ("web.desk_pledges", _l("Pledges")),
        ("web.city_report", _l("Reports")),
        ("web.audit_log", _l("Audit log")),
    ],
    "trader": [
        ("web.trader_home", _l("My desk")),
        ("web.market_list", _l("Markets")),
        ("web.trader_listings", _l("Listing auctions")),
        ("web.trader_procurements", _l("Procurements")),
        ("web.my_settlements", _l("My settlements")),
        ("web.holdings", _l("My holdings")),
        ("web.my_lots", _l("My lots")),
        ("web.my_payouts", _l("Beneficiary payouts")),
        ("web.new_lot", _l("Register a lot")),
        ("web.my_orders", _l("My orders")),
        ("web.my_statement", _l("My statement")),
        ("web.my_negotiated", _l("Negotiated transfers")),
        ("web.my_obligations", _l("My obligations")),
    ],
    "admin": [
        ("web.admin_home", _l("Administration")),
    ],
}


TITLES = {"regulator": _l("Supervision desk"), "trader": _l("Trading desk"),
          "admin": _l("Administration")}


def area_of(path: str) -> tuple[str, str] | None:
    """(role, home endpoint) of the area a path lies in, or None for public paths."""
    for prefix, area in AREAS.items():
        if path == prefix or path.startswith(prefix + "/"):
            return area
    return None


def home_of(role: str) -> str:
    """The endpoint of a role's home page."""
    return next(home for area_role, home in AREAS.values() if area_role == role)


# Pages that span every district: only national officials (no jurisdiction) read them.
NATIONAL_ONLY = {"web.audit_log"}


def menu_context(role: str | None, national: bool = True) -> dict:
    """What base.html needs to draw the header for a user of this role; `national` is False
    for a regulator with a jurisdiction, who is not shown what it may not open."""
    menu = [(endpoint, label) for endpoint, label in MENUS.get(role, [])
            if national or endpoint not in NATIONAL_ONLY]
    return {"menu": menu, "area_title": TITLES.get(role, ""), "national": national}
