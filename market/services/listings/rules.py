"""The one converter between auction rows and the pure rules (matching/listing_auction.py),
and the refusals the rules give, in the reader's language."""

from datetime import timedelta

from flask_babel import lazy_gettext

from market.errors import DomainError
from matching import BookSpec
from matching.listing_auction import Auction as Rules
from matching.listing_auction import BidAccepted, Direction, Event, Refused, Registrant, Terms
from models import Auction, Instrument

# Refusal codes of the rules: (field, message, HTTP status).
REFUSALS = {
    "auction_over": ("auction", lazy_gettext("this auction is over"), 409),
    "registration_closed": ("auction", lazy_gettext("registration closed when the "
                                                    "announcement ended"), 409),
    "already_registered": ("auction", lazy_gettext("you are already registered"), 409),
    "not_registered": ("auction", lazy_gettext("register (and be approved) before bidding"), 409),
    "not_pending": ("registration", lazy_gettext("this registration is not waiting for review"),
                    409),
    "not_approved": ("auction", lazy_gettext("your registration waits for a regulator's "
                                             "approval"), 409),
    "not_open_yet": ("auction", lazy_gettext("bidding has not opened yet"), 409),
    "bidding_closed": ("auction", lazy_gettext("bidding has closed"), 409),
    "bad_tick": ("price", lazy_gettext("is not a multiple of the tick size"), 422),
    "outside_band": ("price", lazy_gettext("is outside the price band around the guide price"),
                     422),
    "below_floor": ("price", lazy_gettext("is below the floor price"), 422),
    "non_positive_price": ("price", lazy_gettext("must be greater than zero"), 422),
    "below_start": ("price", lazy_gettext("the first bid must be at least the start price"),
                    422),
    "above_start": ("price", lazy_gettext("the first offer must be at most the start price"),
                    422),
    "increment_too_small": ("price", lazy_gettext("must beat the best bid by at least the "
                                                  "increment"), 422),
    "decrement_too_small": ("price", lazy_gettext("must undercut the best offer by at least "
                                                  "the decrement"), 422),
    "above_ceiling": ("price", lazy_gettext("is above the ceiling price"), 422),
    "below_floor_price": ("price", lazy_gettext("is below the procurement's floor price"), 422),
    "ceiling_reached": ("price", lazy_gettext("the ceiling is reached: only accepting the "
                                              "ceiling price remains"), 422),
    "already_accepted": ("price", lazy_gettext("you already bid the limit price"), 409),
    "not_due": ("auction", lazy_gettext("bidding has not closed yet"), 409),
    "no_seed": ("auction", lazy_gettext("the lottery has no seed"), 409),
    "too_late_to_cancel": ("auction", lazy_gettext("bidding has closed; it can no longer be "
                                                   "cancelled"), 409),
}


def spec_of(instrument: Instrument) -> BookSpec:
    """The instrument's grid, band and floor that every price must meet."""
    return BookSpec(instrument=instrument.code, tick_size=instrument.tick_size,
                    lot_size=instrument.lot_size, reference_price=instrument.guide_price,
                    band_pct=instrument.price_band, floor_price=instrument.floor_price)


def terms_of(auction: Auction) -> Terms:
    """The announced terms as the rules read them."""
    listing = auction.kind == "listing"
    return Terms(
        direction=Direction.UP if listing else Direction.DOWN,
        start_price=auction.start_price, step=auction.step,
        registration_until=auction.announce_until, opens_at=auction.bidding_opens_at,
        closes_at=auction.bidding_closes_at,
        extension=timedelta(minutes=auction.extension_minutes),
        limit_price=auction.ceiling_price if listing else auction.floor_price,
        spec=spec_of(auction.instrument))


def rules_of(auction: Auction) -> Rules:
    """The auction's state rebuilt from its rows: registrants by id, bids in sequence."""
    rules = Rules(terms_of(auction), closes_at=auction.closes_at, state=auction.state)
    for registration in auction.registrations:
        if registration.status == "rejected":
            continue
        rules.registrants[registration.id] = Registrant(
            registration.deposit, approved=registration.status == "approved",
            released=registration.deposit_state != "held")
    rules.bids = [BidAccepted(bid.registration_id, bid.price, bid.placed_at, bid.sequence,
                              bid.at_limit) for bid in auction.bids]
    return rules


def refusal(code: str) -> DomainError:
    """The error a person sees for a refusal of the rules."""
    field, message, status = REFUSALS.get(code, ("auction", code, 409))
    return DomainError(code, message, {field: [message]}, status=status)


def applied(rules: Rules, command) -> list[Event]:
    """Apply a command; a refusal becomes the error it means."""
    events = rules.apply(command)
    for event in events:
        if isinstance(event, Refused):
            raise refusal(event.code)
    return events
