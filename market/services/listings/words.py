"""Words a person reads for the auctions' stored codes, translated (see market/vocabulary.py)."""

from flask_babel import lazy_pgettext

AUCTION_KIND = {
    "listing": lazy_pgettext("thing", "listing"),
    "procurement": lazy_pgettext("thing", "procurement"),
    "registration": lazy_pgettext("thing", "registration"),
}
AUCTION_STATUS = {
    "announced": lazy_pgettext("auction status", "announced"),
    "bidding": lazy_pgettext("auction status", "bidding"),
    "closed": lazy_pgettext("auction status", "closed"),
    "failed": lazy_pgettext("auction status", "failed"),
    "cancelled": lazy_pgettext("auction status", "cancelled"),
}
REGISTRATION_STATUS = {
    "pending": lazy_pgettext("registration status", "pending review"),
    "approved": lazy_pgettext("registration status", "approved"),
    "rejected": lazy_pgettext("registration status", "rejected"),
}
DEPOSIT_STATE = {
    "held": lazy_pgettext("deposit state", "held"),
    "released": lazy_pgettext("deposit state", "released"),
    "escrowed": lazy_pgettext("deposit state", "counted toward payment"),
}
QUALIFICATION = {
    "open": lazy_pgettext("qualification", "open to all"),
    "review": lazy_pgettext("qualification", "reviewed by a regulator"),
}
