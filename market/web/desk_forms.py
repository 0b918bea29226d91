"""Forms of the regulator's and admin's desk: cash, payments, terms, thresholds, users."""

import re
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import PasswordField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
    StopValidation,
)

from market.web.forms import ExactDecimalField, TermsForm, exact_decimal
from market.web.messages import ACCOUNT_KIND, TRADING_MODE
from models import ACCOUNT_KINDS, TRADING_MODES, USER_ROLES

WHOLE = re.compile(r"[0-9]{1,9}")


class WholeField(StringField):
    """A whole number typed as text (half-width digits only), empty meaning None."""

    def process_formdata(self, valuelist):
        self.data = None
        raw = valuelist[0].strip() if valuelist else ""
        if raw and not WHOLE.fullmatch(raw):
            raise ValueError(_l("Must be a whole number (half-width digits)"))
        self.data = int(raw) if raw else None


class KeptIfAbsent:
    """A term the form may leave out (it is kept) but may not clear: it has no 'unset'."""

    def __call__(self, form, field):
        if not field.raw_data:
            field.errors[:] = []
            raise StopValidation()
        if not field.raw_data[0].strip():
            raise StopValidation(_l("Required"))


def _money(label) -> ExactDecimalField:
    # InputRequired, not DataRequired: a typed "abc" must keep its own error message.
    return ExactDecimalField(label, [InputRequired(_l("Enter an amount")), NumberRange(
        min=Decimal("0.01"), message=_l("Must be above 0"))], places=2)


def _reference(label) -> StringField:
    return StringField(label, [DataRequired(_l("Enter the bank reference")), Length(
        max=128, message=_l("At most 128 characters"))])


def _reason() -> TextAreaField:
    return TextAreaField(_l("Reason"), [DataRequired(_l("Give a reason")), Length(
        max=500, message=_l("At most 500 characters"))])


def _password(label) -> PasswordField:
    # The API's rule (schemas/accounts.py), so a page cannot set a password the API refuses.
    return PasswordField(label, [DataRequired(_l("Enter a password")), Length(
        min=10, max=200, message=_l("From 10 to 200 characters"))])


class CashForm(FlaskForm):
    """Money received from or paid out to the bank, with the bank's reference."""

    amount = _money(_l("Amount (yuan)"))
    reference = _reference(_l("Bank reference"))


class PaymentForm(CashForm):
    """A bank transfer toward a settlement, confirmed by a regulator."""


class ReasonOnlyForm(FlaskForm):
    """An act that must say why: freeze, unfreeze, cancel, deactivate."""

    reason = _reason()


class FullTermsForm(TermsForm):
    """Every term a regulator sets: prices (clearable) and settlement terms (kept if absent)."""

    deposit_ratio = ExactDecimalField(_l("Deposit ratio (0.2 is 20%)"), [
        KeptIfAbsent(), NumberRange(min=Decimal("0.0001"), max=Decimal(1),
                                    message=_l("Must be above 0 and at most 1"))], places=4)
    settlement_days = WholeField(_l("Settlement days"), [
        KeptIfAbsent(), NumberRange(min=0, max=90, message=_l("From 0 to 90 days"))])
    fee_bps = WholeField(_l("Fee (basis points, 1 = 0.01%)"), [
        KeptIfAbsent(), NumberRange(min=0, max=1000, message=_l("From 0 to 1000"))])
    trading_mode = SelectField(_l("Trading mode"), validate_choice=False, choices=[
        SelectChoice(mode, TRADING_MODE[mode]) for mode in TRADING_MODES], validators=[
        KeptIfAbsent(), AnyOf(TRADING_MODES, message=_l("Unknown trading mode"))])

    def changes(self, instrument=None) -> dict:
        """The terms as the service takes them; an absent or unchanged field is kept."""
        fields = (self.guide_price, self.floor_price, self.price_band, self.deposit_ratio,
                  self.settlement_days, self.fee_bps, self.trading_mode)
        # The page posts every term; the service refuses a trading mode named at all while
        # orders rest, so only what differs from the stored terms is sent.
        return {field.name: field.data for field in fields if field.raw_data
                and (instrument is None or getattr(instrument, field.name) != field.data)}


# Thresholds: fractions (0, 1], or whole counts from 1; the API's schema holds the same rules.
FRACTIONS = {"guide_deviation", "vwap_deviation", "concentration_share", "negotiated_deviation"}
RATIOS = {"cancel_fill_ratio"}


def threshold_value(key: str, raw: str) -> Decimal:
    """A threshold typed on the page, checked as the API checks it; ValueError in Chinese."""
    value = exact_decimal(raw, places=4 if key in FRACTIONS | RATIOS else 0)
    if value is None:
        raise ValueError(str(_l("Required")))
    if key in FRACTIONS and not Decimal(0) < value <= 1:
        raise ValueError(str(_l("Must be above 0 and at most 1")))
    if key in RATIOS and not Decimal(0) < value <= 100000:
        raise ValueError(str(_l("Must be above 0")))
    if key not in FRACTIONS | RATIOS and not 1 <= value <= 100000:
        raise ValueError(str(_l("A whole number from 1 to 100000")))
    return value


class NewAccountForm(FlaskForm):
    """A trading account: its name, kind and district."""

    name = StringField(_l("Account name"), [DataRequired(_l("Enter a name")), Length(
        max=128, message=_l("At most 128 characters"))])
    kind = SelectField(_l("Kind"), validate_choice=False, choices=[
        SelectChoice(kind, ACCOUNT_KIND[kind]) for kind in ACCOUNT_KINDS], validators=[
        AnyOf(ACCOUNT_KINDS, message=_l("Unknown account kind"))])
    district_code = StringField(_l("District code (e.g. 320282)"), [
        DataRequired(_l("Enter a district code")), Length(max=12, message=_l(
            "At most 12 characters"))])


class NewUserForm(FlaskForm):
    """A user: role, and the account a trader acts for or a regulator's jurisdiction."""

    username = StringField(_l("User name"), [DataRequired(_l("Enter a user name")), Regexp(
        r"^[A-Za-z0-9_.\-]{3,64}$", message=_l("3 to 64 letters, digits, _ . -"))])
    password = _password(_l("Password"))
    role = SelectField(_l("Role"), validate_choice=False, validators=[
        AnyOf(USER_ROLES, message=_l("Unknown role"))])
    account_id = WholeField(_l("Account (traders)"), [Optional()])
    district_code = StringField(_l("Jurisdiction district code (regulators, optional)"), [
        Optional(), Length(max=12, message=_l("At most 12 characters"))])
    display_name = StringField(_l("Display name (optional)"), [
        Optional(), Length(max=128, message=_l("At most 128 characters"))])

    def data_for_service(self) -> dict:
        """The user as identity.create_user takes it."""
        return {"username": self.username.data.strip(), "password": self.password.data,
                "role": self.role.data, "account_id": self.account_id.data,
                "district_code": (self.district_code.data or "").strip() or None,
                "display_name": (self.display_name.data or "").strip() or None}


class PasswordForm(FlaskForm):
    """A new password an admin sets for a user."""

    password = _password(_l("New password"))
