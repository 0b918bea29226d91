"""The forms of negotiated transfers: a seller's proposal; the other acts are buttons."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import SelectField
from wtforms.validators import DataRequired, InputRequired, NumberRange

from market.web.forms import ExactDecimalField


class ProposalForm(FlaskForm):
    """Part or all of one of my lots, at a price, to one named buyer account."""

    lot_serial = SelectField(_l("Lot"), validate_choice=True, validators=[
        DataRequired(_l("Choose a lot"))])
    buyer_account_id = SelectField(_l("Buyer account"), coerce=int, validate_choice=True,
                                   validators=[DataRequired(_l("Choose the buyer"))])
    quantity = ExactDecimalField(_l("Quantity"), [
        InputRequired(_l("Enter a quantity")),
        NumberRange(min=Decimal("0.0001"), message=_l("Must be greater than 0"))], places=4)
    price = ExactDecimalField(_l("Price (yuan per unit)"), [
        InputRequired(_l("Enter a price")),
        NumberRange(min=Decimal("0.01"), message=_l("Must be greater than 0"))], places=2)

    def proposal(self) -> dict:
        """The proposal as negotiated.propose takes it."""
        return {"lot_serial": self.lot_serial.data, "buyer_account_id": self.buyer_account_id.data,
                "quantity": self.quantity.data, "price": self.price.data}
