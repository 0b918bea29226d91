"""The pages' forms; Flask-WTF adds and checks a CSRF token on each one."""

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    PasswordField,
    SelectChoice,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.validators import (
    AnyOf,
    DataRequired,
    Length,
    NumberRange,
    Optional,
    StopValidation,
)

from market.schemas.fields import DECIMAL_TEXT
from models import REVIEW_STATUSES


def exact_decimal(raw: str, places: int = 2, max_digits: int = 16) -> Decimal | None:
    """A decimal typed as text: exact and finite, never rounded; empty is None, else ValueError."""
    raw = raw.strip()
    if not raw:
        return None
    try:
        number = Decimal(raw)
    except InvalidOperation:
        raise ValueError(_l("Not a valid number")) from None
    if not number.is_finite():
        raise ValueError(_l("Not a valid number"))
    # Size first: quantizing a huge exponent would overflow the decimal context.
    if number and number.adjusted() >= max_digits - places:
        raise ValueError(_l("The number is too large"))
    # Half-width digits and one point, as the API takes: Decimal alone also reads
    # full-width or Arabic-Indic digits, underscores and exponents.
    if not DECIMAL_TEXT.fullmatch(raw):
        raise ValueError(_l("Not a valid number (use half-width digits and a decimal point)"))
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        # Refused rather than rounded, as the API does: nobody is quoted a rounded price.
        raise ValueError(_l("At most %(places)s decimal places", places=places))
    return number.quantize(quantum)


class ExactDecimalField(StringField):
    """A decimal typed as text: exact and finite, never rounded, empty meaning None."""

    def __init__(self, label=None, validators=None, places: int = 2, max_digits: int = 16,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.max_digits = max_digits

    def process_formdata(self, valuelist):
        self.data = None
        self.data = exact_decimal(valuelist[0] if valuelist else "", self.places,
                                  self.max_digits)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)

    def pre_validate(self, form):
        # Text that is no number says so alone: the range check would add "须大于 0" about it.
        if self.process_errors:
            raise StopValidation()


class DayField(DateField):
    """A calendar day from an <input type=date> (YYYY-MM-DD), with a Chinese error."""

    def process_formdata(self, valuelist):
        raw = valuelist[0].strip() if valuelist else ""
        self.data = None
        if raw:
            try:
                self.data = date.fromisoformat(raw)
            except ValueError:
                raise ValueError(_l("Dates are written YYYY-MM-DD")) from None


class QueryForm(FlaskForm):
    """A filter read from the query string: it changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False


class LoginForm(FlaskForm):
    """User name and password."""

    username = StringField(_l("User name"), validators=[
        DataRequired(_l("Enter your user name")), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[
        DataRequired(_l("Enter your password")), Length(max=256)])


class ReasonForm(FlaskForm):
    """An act that must say why: halt, resume."""

    reason = TextAreaField(_l("Reason"), validators=[
        DataRequired(_l("Give a reason")),
        Length(max=500, message=_l("A reason of at most 500 characters"))])


def _positive_money(label: str) -> ExactDecimalField:
    return ExactDecimalField(label, [Optional(), NumberRange(
        min=Decimal("0.01"), message=_l("Must be above 0"))], places=2)


class TermsForm(FlaskForm):
    """The price terms a regulator sets; an empty field clears that term."""

    guide_price = _positive_money(_l("Guide price (yuan)"))
    floor_price = _positive_money(_l("Floor price (yuan)"))
    price_band = ExactDecimalField(_l("Price band (a fraction, 0.3 for ±30%)"), [
        Optional(), NumberRange(min=Decimal("0.0001"), max=Decimal(1),
                                message=_l("Must be above 0 and at most 1"))], places=4)

    def changes(self) -> dict:
        """The terms as the service takes them: None clears a term; an absent field is kept."""
        fields = (self.guide_price, self.floor_price, self.price_band)
        return {field.name: field.data for field in fields if field.raw_data}


class ReviewForm(FlaskForm):
    """Close an alert: the button pressed gives the status, the note says what was found."""

    status = StringField(validators=[
        AnyOf(REVIEW_STATUSES, message=_l("Unknown outcome of a review"))])
    note = TextAreaField(_l("Review note"), validators=[
        Optional(), Length(max=2000, message=_l("A review note of at most 2000 characters"))])


class FlowQueryForm(QueryForm):
    """Which days and which instrument the flow matrix covers (defaults: this month, all)."""

    date_from = DayField(_l("From day"), validators=[Optional()])
    date_to = DayField(_l("To day"), validators=[Optional()])
    instrument = SelectField(_l("Instrument"), validate_choice=False, default="")
    mechanism = SelectField(_l("How traded"), validate_choice=False, default="")


class ReportQueryForm(QueryForm):
    """A city and a month (2026-11) or quarter (2026-Q4)."""

    # Choices are checked by the report service, which names a bad city or period.
    city = SelectField(_l("City"), validate_choice=False)
    kind = SelectField(_l("Kind of report"), choices=[SelectChoice("monthly", _l("Monthly report")),
                                         SelectChoice("quarterly", _l("Quarterly report"))],
                       default="monthly", validate_choice=False)
    period = StringField(_l("Period (e.g. 2026-11 or 2026-Q4)"), validators=[Length(max=16)])
    mechanism = SelectField(_l("How traded"), validate_choice=False, default="")
