"""Forms of the listing and procurement pages; times are typed in Beijing time."""

from datetime import UTC
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateTimeLocalField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from market.calendar import MARKET_TIME
from market.web.forms import ExactDecimalField

POSITIVE = NumberRange(min=Decimal("0.01"), message=_l("Must be greater than 0"))
QUALIFICATION_CHOICES = [SelectChoice("open", _l("Open to every eligible buyer")),
                         SelectChoice("review", _l("A regulator reviews each registrant"))]


def _money(label, *validators):
    return ExactDecimalField(label, [InputRequired(_l("Enter an amount")), *validators],
                             places=2)


def _time(label):
    return DateTimeLocalField(label, [InputRequired(_l("Enter a time"))],
                              format="%Y-%m-%dT%H:%M")


def _utc(moment):
    return moment.replace(tzinfo=MARKET_TIME).astimezone(UTC)


class _Announcement(FlaskForm):
    quantity = ExactDecimalField(_l("Quantity"), [
        InputRequired(_l("Enter a quantity")),
        NumberRange(min=Decimal("0.0001"), message=_l("Must be greater than 0"))], places=4)
    start_price = _money(_l("Start price (yuan per unit)"), POSITIVE)
    bid_deposit = _money(_l("Bidding deposit (yuan)"),
                         NumberRange(min=Decimal("0"), message=_l("Must not be negative")))
    announce_until = _time(_l("Announcement ends (Beijing time)"))
    bidding_opens_at = _time(_l("Bidding opens (Beijing time)"))
    bidding_closes_at = _time(_l("Bidding closes (Beijing time)"))
    extension_minutes = IntegerField(_l("A late bid extends the close by (minutes)"), [
        InputRequired(_l("Enter the minutes")),
        NumberRange(min=0, max=60, message=_l("From 0 to 60 minutes"))], default=5)
    qualification = SelectField(_l("Qualification"), choices=QUALIFICATION_CHOICES,
                                default="open")

    def announcement(self) -> dict:
        """The shared terms as the use cases take them (times in UTC)."""
        return {"quantity": self.quantity.data, "start_price": self.start_price.data,
                "bid_deposit": self.bid_deposit.data,
                "announce_until": _utc(self.announce_until.data),
                "bidding_opens_at": _utc(self.bidding_opens_at.data),
                "bidding_closes_at": _utc(self.bidding_closes_at.data),
                "extension_minutes": self.extension_minutes.data,
                "qualification": self.qualification.data}


class ListingForm(_Announcement):
    """A seller lists part or all of a lot."""

    lot_serial = SelectField(_l("Lot"), validators=[DataRequired(_l("Choose a lot"))])
    increment = _money(_l("Increment (yuan)"), POSITIVE)
    ceiling_price = ExactDecimalField(_l("Ceiling price (optional)"), [Optional(), POSITIVE],
                                      places=2)

    def listing(self) -> dict:
        """The listing as listings.create_listing takes it."""
        return {**self.announcement(), "lot_serial": self.lot_serial.data,
                "increment": self.increment.data, "ceiling_price": self.ceiling_price.data}


class ProcurementForm(_Announcement):
    """A buyer announces a demand."""

    instrument = SelectField(_l("Instrument"), validators=[DataRequired()])
    max_quality_grade = IntegerField(_l("Worst quality grade accepted (1 best, 15 worst)"), [
        Optional(), NumberRange(min=1, max=15, message=_l("A grade from 1 to 15"))])
    floor_price = _money(_l("Floor price (yuan per unit)"), POSITIVE)
    decrement = _money(_l("Decrement (yuan)"), POSITIVE)

    def procurement(self) -> dict:
        """The demand as listings.create_procurement takes it."""
        return {**self.announcement(), "instrument": self.instrument.data,
                "max_quality_grade": self.max_quality_grade.data,
                "floor_price": self.floor_price.data, "decrement": self.decrement.data}


class PriceForm(FlaskForm):
    """A bid or an offer."""

    price = _money(_l("Price (yuan per unit)"), POSITIVE)


class OfferLotForm(FlaskForm):
    """A seller's registration for a procurement, with the lot it would deliver from."""

    lot_serial = SelectField(_l("Lot"), validators=[DataRequired(_l("Choose a lot"))])


class ReasonForm(FlaskForm):
    """A regulator's act that must say why."""

    reason = StringField(_l("Reason"), [DataRequired(_l("Give a reason")),
                                        Length(max=500, message=_l("At most 500 characters"))])
