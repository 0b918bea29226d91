"""Listing and procurement detectors: a thin field, a rush to the ceiling, neighbours bidding.

- listing_single_bidder: a listing or procurement closed with one qualified (approved)
  registrant: the price met no competition;
- listing_ceiling_rush: a listing's ceiling was reached within `listing_ceiling_minutes` of
  bidding opening (Guangdong's first paddy batch: every lot at the cap within 4 minutes),
  so the ceiling, not bidding, set the price and a lottery chose the buyer;
- listing_same_district_bidders: two or more accounts of one district bid against each other
  in one auction: one district's budget bidding up its own price, or a front.
Summaries are stored in Chinese, through the catalogue, like every text a regulator reads.
"""

from collections import defaultdict
from datetime import timedelta

from flask_babel import force_locale, gettext, pgettext
from sqlalchemy import select

from market.extensions import db
from market.services.surveillance.context import LOOKBACK, Context
from market.services.surveillance.detectors.drafts import Draft
from models import Auction, AuctionBid


def _recent_auctions(ctx: Context) -> list[Auction]:
    # Auctions with a bid or a close inside the look-back window.
    since = ctx.now - LOOKBACK
    bid_on = select(AuctionBid.auction_id).where(AuctionBid.placed_at > since)
    return list(db.session.scalars(select(Auction).where(
        (Auction.closed_at > since) | Auction.id.in_(bid_on)).order_by(Auction.id)))


def _bidders(auction: Auction) -> list:
    seen = {}
    for bid in auction.bids:
        seen.setdefault(bid.registration_id, bid.registration)
    return list(seen.values())


def single_bidder(ctx: Context) -> list[Draft]:
    """Closed auctions with only one qualified registrant."""
    drafts = []
    for auction in _recent_auctions(ctx):
        approved = [r for r in auction.registrations if r.status == "approved"]
        if auction.state != "closed" or len(approved) != 1:
            continue
        with force_locale("zh"):
            summary = gettext("%(code)s %(kind)s %(id)s closed at %(price)s with a single "
                              "qualified bidder", code=ctx.code(auction.instrument_id),
                              kind=_kind(auction), id=auction.id, price=auction.price)
        drafts.append(Draft(
            "listing_single_bidder", f"listing_single_bidder:{auction.id}",
            auction.instrument_id, summary,
            {"auction_id": auction.id, "kind": auction.kind, "price": auction.price,
             "qualified_bidders": 1}, [auction.trade_id],
            [auction.owner_account_id, approved[0].account_id]))
    return drafts


def ceiling_rush(ctx: Context) -> list[Draft]:
    """Listings whose ceiling was reached within `listing_ceiling_minutes` of opening."""
    window = timedelta(minutes=int(ctx.settings["listing_ceiling_minutes"]))
    drafts = []
    for auction in _recent_auctions(ctx):
        first = next((bid for bid in auction.bids if bid.at_limit), None)
        if auction.kind != "listing" or first is None:
            continue
        after = first.placed_at - auction.bidding_opens_at
        if after > window:
            continue
        minutes = int(after.total_seconds() // 60)
        with force_locale("zh"):
            summary = gettext("%(code)s listing %(id)s reached its ceiling %(price)s "
                              "%(minutes)s minutes after bidding opened",
                              code=ctx.code(auction.instrument_id), id=auction.id,
                              price=auction.ceiling_price, minutes=minutes)
        drafts.append(Draft(
            "listing_ceiling_rush", f"listing_ceiling_rush:{auction.id}", auction.instrument_id,
            summary, {"auction_id": auction.id, "ceiling_price": auction.ceiling_price,
                      "minutes_after_opening": minutes, "threshold_minutes": window.seconds // 60,
                      "acceptors": sum(1 for bid in auction.bids if bid.at_limit)},
            [auction.trade_id] if auction.trade_id else [],
            [r.account_id for r in _bidders(auction)]))
    return drafts


def same_district_bidders(ctx: Context) -> list[Draft]:
    """Two or more accounts of one district bidding in the same auction."""
    drafts = []
    for auction in _recent_auctions(ctx):
        by_district = defaultdict(list)
        for registration in _bidders(auction):
            by_district[ctx.account_districts[registration.account_id]].append(
                registration.account_id)
        for district_id, accounts in sorted(by_district.items()):
            if len(accounts) < 2:
                continue
            code = ctx.districts.code(district_id)
            with force_locale("zh"):
                summary = gettext("%(count)s accounts of %(district)s bid against each other "
                                  "in %(kind)s %(id)s", count=len(accounts),
                                  district=ctx.districts.name(district_id),
                                  kind=_kind(auction), id=auction.id)
            drafts.append(Draft(
                "listing_same_district_bidders",
                f"listing_same_district_bidders:{auction.id}:{code}", auction.instrument_id,
                summary, {"auction_id": auction.id, "kind": auction.kind, "district": code,
                          "accounts": sorted(accounts)},
                [auction.trade_id] if auction.trade_id else [], sorted(accounts)))
    return drafts


def _kind(auction: Auction) -> str:
    return pgettext("thing", "listing") if auction.kind == "listing" else \
        pgettext("thing", "procurement")
