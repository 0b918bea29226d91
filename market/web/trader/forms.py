"""A trader's forms: a bid, a payment, a retirement; each carries a CSRF token."""

import uuid
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, SelectChoice, SelectField, StringField
from wtforms.validators import (
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from market.web.forms import ExactDecimalField

# The API's rule for client order ids, so a page bid could be retried through the API.
CLIENT_ORDER_ID = r"^[A-Za-z0-9_.:\-]{1,64}$"


def new_client_order_id() -> str:
    """A fresh id for one bid form: a resubmitted form replays its order, never doubles it."""
    return f"web-{uuid.uuid4().hex}"


class BidForm(FlaskForm):
    """A buy limit order; the button pressed says whether to preview its deposit or place it."""

    price = ExactDecimalField(_l("Price (yuan per unit)"), [
        InputRequired(_l("Enter a price")),
        NumberRange(min=Decimal("0.01"), message=_l("Must be greater than 0"))], places=2)
    quantity = ExactDecimalField(_l("Quantity"), [
        InputRequired(_l("Enter a quantity")),
        NumberRange(min=Decimal("0.0001"), message=_l("Must be greater than 0"))], places=4)
    tif = SelectField(_l("Time in force"), choices=[
        SelectChoice("GTC", _l("Good till cancelled")),
        SelectChoice("IOC", _l("Immediate or cancel")),
        SelectChoice("FOK", _l("Fill or kill"))], default="GTC")
    max_quality_grade = IntegerField(_l("Worst quality grade accepted (1 best, 15 worst)"), [
        Optional(), NumberRange(min=1, max=15, message=_l("A grade from 1 to 15"))])
    client_order_id = HiddenField(validators=[
        DataRequired(), Regexp(CLIENT_ORDER_ID, message=_l("Reload the page and try again"))])

    def order(self, code: str, graded: bool) -> dict:
        """The order as trading.place_order takes it."""
        return {"instrument": code, "side": "buy", "price": self.price.data,
                "quantity": self.quantity.data, "tif": self.tif.data,
                "max_quality_grade": self.max_quality_grade.data if graded else None,
                "client_order_id": self.client_order_id.data}


class ConfirmForm(FlaskForm):
    """A button that changes something (pay a settlement): only its CSRF token."""


class RetireForm(FlaskForm):
    """Use quantity of a lot against a construction project at land-use approval (用地报批)."""

    project_name = StringField(_l("Construction project"), [
        DataRequired(_l("Enter the project's name")),
        Length(max=200, message=_l("At most 200 characters"))])
    project_code = StringField(_l("Approval or project code"), [
        DataRequired(_l("Enter the project's code")),
        Length(max=64, message=_l("At most 64 characters"))])
    quantity = ExactDecimalField(_l("Quantity to retire"), [
        InputRequired(_l("Enter a quantity")),
        NumberRange(min=Decimal("0.0001"), message=_l("Must be greater than 0"))], places=4)

    def retirement(self) -> dict:
        """The retirement as registry.retire_from_lot takes it."""
        return {"project_name": self.project_name.data.strip(),
                "project_code": self.project_code.data.strip(), "quantity": self.quantity.data}
