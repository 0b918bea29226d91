"""The registry pages' forms: register a lot with its evidence, sell from it, amend an order."""

from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import IntegerField, MultipleFileField, SelectChoice, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from market.web.forms import DayField, ExactDecimalField

POSITIVE = NumberRange(min=Decimal("0.0001"), message=_l("Must be above 0"))
# Times in force a seller picks on the page: GTD would need a date and time field too.
PAGE_TIMES_IN_FORCE = [SelectChoice("GTC", _l("Good till cancelled (GTC)")),
                       SelectChoice("IOC", _l("Immediate or cancel (IOC)")),
                       SelectChoice("FOK", _l("Fill or kill (FOK)"))]


class LotForm(FlaskForm):
    """A lot from an accepted project, with its acceptance documents."""

    instrument = SelectField(_l("Instrument"), validators=[
        DataRequired(_l("Choose an instrument"))])
    quantity = ExactDecimalField(_l("Quantity"), [InputRequired(_l("Give a quantity")), POSITIVE],
                                 places=4)
    origin_district_code = SelectField(_l("District of origin"), validators=[
        DataRequired(_l("Choose the origin district"))])
    project_name = StringField(_l("Project name"), validators=[
        DataRequired(_l("Give the project name")),
        Length(max=200, message=_l("A project name of at most 200 characters"))])
    project_code = StringField(_l("Project code"), validators=[
        DataRequired(_l("Give the project code")),
        Length(max=64, message=_l("A project code of at most 64 characters"))])
    accepted_on = DayField(_l("Accepted on"), validators=[
        InputRequired(_l("Give the day of acceptance"))])
    vintage_year = IntegerField(_l("Vintage year"), validators=[
        InputRequired(_l("Give the vintage year")), NumberRange(min=1990, max=2100,
                                                message=_l("A year from 1990 to 2100"))])
    quality_grade = IntegerField(_l(
        "Farmland quality grade (1 best, 15 worst; farmland instruments only)"), validators=[
        Optional(), NumberRange(min=1, max=15, message=_l("A quality grade from 1 to 15"))])
    evidence = MultipleFileField(_l("Acceptance documents (PDF, JPEG or PNG, at most 10 MB each)"))

    def data_for_service(self) -> dict:
        """The fields as the registry takes them."""
        accepted: date = self.accepted_on.data
        return {"instrument": self.instrument.data, "quantity": self.quantity.data,
                "origin_district_code": self.origin_district_code.data,
                "project_name": self.project_name.data.strip(),
                "project_code": self.project_code.data.strip(), "accepted_on": accepted,
                "vintage_year": self.vintage_year.data,
                "quality_grade": self.quality_grade.data}


class EvidenceForm(FlaskForm):
    """More acceptance documents for a lot."""

    evidence = MultipleFileField(_l("Acceptance documents (PDF, JPEG or PNG, at most 10 MB each)"))


class SellForm(FlaskForm):
    """A sell order from one lot."""

    price = ExactDecimalField(_l("Order price (yuan)"), [
        InputRequired(_l("Give a price")),
        NumberRange(min=Decimal("0.01"), message=_l("Must be above 0"))])
    quantity = ExactDecimalField(_l("Quantity"), [InputRequired(_l("Give a quantity")), POSITIVE],
                                 places=4)
    tif = SelectField(_l("Valid for"), choices=PAGE_TIMES_IN_FORCE, default="GTC")


class AmendForm(FlaskForm):
    """Reduce an open order's quantity, or move its price: one of the two."""

    quantity = ExactDecimalField(_l("New quantity (may only go down)"), [Optional(), POSITIVE],
                                 places=4)
    price = ExactDecimalField(_l("New price (yuan)"), [Optional(), NumberRange(
        min=Decimal("0.01"), message=_l("Must be above 0"))])

    def validate(self, extra_validators=None) -> bool:
        """Exactly one change, as the trading service takes it."""
        if not super().validate(extra_validators):
            return False
        if (self.quantity.data is None) == (self.price.data is None):
            self.quantity.errors = [*self.quantity.errors,
                                    _l("Give a new quantity or a new price, not both")]
            return False
        return True

    def changes(self) -> dict:
        """{"quantity": …} or {"price": …}."""
        if self.quantity.data is not None:
            return {"quantity": self.quantity.data}
        return {"price": self.price.data}
