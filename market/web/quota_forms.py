"""Forms of quotas, allocations and the growing catalogue (desk) and of surrender (trade)."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectChoice, SelectField, StringField, TextAreaField
from wtforms.validators import (
    AnyOf,
    DataRequired,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    Regexp,
)

from market.web.desk_forms import WholeField
from market.web.forms import DayField, ExactDecimalField, QueryForm
from models import FORFEIT_TARGETS, INSTRUMENT_KINDS, INSTRUMENT_UNITS, TRADING_MODES


def _quantity(label) -> ExactDecimalField:
    return ExactDecimalField(label, [InputRequired(_l("Enter a quantity")), NumberRange(
        min=Decimal("0.0001"), message=_l("Must be above 0"))], places=4)


def _days(label) -> WholeField:
    return WholeField(label, [InputRequired(_l("Enter a number of days")), NumberRange(
        min=0, max=3650, message=_l("From 0 to 3650 days"))])


class ObligationForm(FlaskForm):
    """A quota on a district: what, how much, which days."""

    district_code = StringField(_l("District code (e.g. 320282)"), [
        DataRequired(_l("Enter a district code")), Length(max=12, message=_l(
            "At most 12 characters"))])
    instrument = SelectField(_l("Instrument or kind"), validate_choice=False,
                             validators=[DataRequired(_l("Choose what must be surrendered"))])
    quantity = _quantity(_l("Quantity"))
    period_start = DayField(_l("First day of the period"), [InputRequired(_l("Enter a day"))])
    period_end = DayField(_l("Last day of the period"), [InputRequired(_l("Enter a day"))])

    def data_for_service(self) -> dict:
        """The obligation as obligations.create_obligation takes it."""
        return {"district_code": self.district_code.data.strip(),
                "instrument": self.instrument.data, "quantity": self.quantity.data,
                "period_start": self.period_start.data, "period_end": self.period_end.data}


class ComplianceForm(QueryForm):
    """A city or a province for the compliance report."""

    district = SelectField(_l("City or province"), validate_choice=False)


class SurrenderForm(FlaskForm):
    """Quantity of one of the trader's own lots, surrendered against an obligation."""

    lot_serial = SelectField(_l("Lot"), validate_choice=False,
                             validators=[DataRequired(_l("Choose a lot"))])
    quantity = _quantity(_l("Quantity to surrender"))


class AllocationForm(FlaskForm):
    """New indicators issued to an account, with why and under which document."""

    account_id = SelectField(_l("Account"), validate_choice=False, coerce=int)
    instrument = SelectField(_l("Instrument"), validate_choice=False)
    quantity = _quantity(_l("Quantity"))
    quality_grade = WholeField(_l("Quality grade (farmland, 1–15)"), [
        Optional(), NumberRange(min=1, max=15, message=_l("From 1 to 15"))])
    reason = TextAreaField(_l("Reason (e.g. a reward under seed 001 §2(6))"), [
        DataRequired(_l("Give a reason")), Length(max=500, message=_l(
            "At most 500 characters"))])
    document_number = StringField(_l("Document number"), [
        DataRequired(_l("Enter the document number")), Length(max=64, message=_l(
            "At most 64 characters"))])

    def data_for_service(self) -> dict:
        """The allocation as registry.allocate_lot takes it."""
        return {"account_id": self.account_id.data, "instrument": self.instrument.data,
                "quantity": self.quantity.data, "quality_grade": self.quality_grade.data,
                "reason": self.reason.data.strip(),
                "document_number": self.document_number.data.strip()}


class WindowsForm(FlaskForm):
    """Local-first windows: days in the county, then in the city, then province-wide."""

    local_first_days = _days(_l("Days within the county"))
    city_first_days = _days(_l("Then days within the city"))
    cross_city_allowed = BooleanField(_l("Then province-wide"))

    def changes(self, instrument) -> dict:
        """Only what differs from the stored windows."""
        fields = (self.local_first_days, self.city_first_days, self.cross_city_allowed)
        return {f.name: f.data for f in fields if getattr(instrument, f.name) != f.data}


def _choices(words: tuple[str, ...], labels: dict) -> list[SelectChoice]:
    return [SelectChoice(word, str(labels.get(word, word))) for word in words]


class NewInstrumentForm(FlaskForm):
    """Every term of a new instrument; the service checks them as it checks a change."""

    code = StringField(_l("Code (e.g. ECO-SOIL)"), [
        DataRequired(_l("Enter a code")), Regexp(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)*$", message=_l(
            "upper-case letters, digits and single hyphens")), Length(
            max=16, message=_l("At most 16 characters"))])
    kind = SelectField(_l("Kind"), validate_choice=False, validators=[
        AnyOf(INSTRUMENT_KINDS, message=_l("Unknown kind"))])
    name_zh = StringField(_l("Chinese name"), [DataRequired(_l("Enter a name")), Length(
        max=64, message=_l("At most 64 characters"))])
    name_en = StringField(_l("English name"), [DataRequired(_l("Enter a name")), Length(
        max=128, message=_l("At most 128 characters"))])
    unit = SelectField(_l("Unit"), validate_choice=False, validators=[
        AnyOf(INSTRUMENT_UNITS, message=_l("Unknown unit"))])
    tick_size = ExactDecimalField(_l("Tick size (yuan)"), [
        InputRequired(_l("Enter an amount")), NumberRange(min=Decimal("0.01"), message=_l(
            "Must be above 0"))], places=2)
    lot_size = _quantity(_l("Lot size"))
    deposit_ratio = ExactDecimalField(_l("Deposit ratio (0.2 is 20%)"), [
        InputRequired(_l("Enter a ratio")), NumberRange(
            min=Decimal("0.0001"), max=Decimal(1), message=_l(
                "Must be above 0 and at most 1"))], places=4)
    settlement_days = WholeField(_l("Settlement days"), [
        InputRequired(_l("Enter a number of days")), NumberRange(
            min=0, max=90, message=_l("From 0 to 90 days"))])
    fee_bps = WholeField(_l("Fee (basis points, 1 = 0.01%)"), [
        InputRequired(_l("Enter a number")), NumberRange(min=0, max=1000, message=_l(
            "From 0 to 1000"))])
    guide_price = ExactDecimalField(_l("Guide price (yuan, optional)"), [
        Optional(), NumberRange(min=Decimal("0.01"), message=_l("Must be above 0"))], places=2)
    floor_price = ExactDecimalField(_l("Floor price (yuan, optional)"), [
        Optional(), NumberRange(min=Decimal("0.01"), message=_l("Must be above 0"))], places=2)
    price_band = ExactDecimalField(_l("Price band (0.3 is ±30%, optional)"), [
        Optional(), NumberRange(min=Decimal("0.0001"), max=Decimal(1), message=_l(
            "Must be above 0 and at most 1"))], places=4)
    trading_mode = SelectField(_l("Trading mode"), validate_choice=False, validators=[
        AnyOf(TRADING_MODES, message=_l("Unknown trading mode"))])
    auction_times = StringField(_l("Auction times (HH:MM, comma-separated)"), [
        Optional(), Regexp(r"^([01][0-9]|2[0-3]):[0-5][0-9](,([01][0-9]|2[0-3]):[0-5][0-9])*$",
                           message=_l("must be times HH:MM separated by commas, e.g. "
                                      "10:00,15:00"))])
    forfeit_to = SelectField(_l("A defaulter's deposit goes to"), validate_choice=False,
                             validators=[AnyOf(FORFEIT_TARGETS, message=_l("Unknown target"))])
    local_first_days = _days(_l("Days within the county"))
    city_first_days = _days(_l("Then days within the city"))
    cross_city_allowed = BooleanField(_l("Then province-wide"))

    def data_for_service(self) -> dict:
        """The instrument as catalogue.create_instrument takes it."""
        data = {name: getattr(self, name).data for name in (
            "code", "kind", "name_zh", "name_en", "unit", "tick_size", "lot_size",
            "deposit_ratio", "settlement_days", "fee_bps", "guide_price", "floor_price",
            "price_band", "trading_mode", "forfeit_to", "local_first_days", "city_first_days",
            "cross_city_allowed")}
        data["code"] = data["code"].strip()
        if (self.auction_times.data or "").strip():
            data["auction_times"] = self.auction_times.data.strip()
        return data


def instrument_form_choices(form: NewInstrumentForm, labels: dict) -> NewInstrumentForm:
    """Fill the select fields' choices from the vocabularies and their Chinese words."""
    form.kind.choices = _choices(INSTRUMENT_KINDS, labels["kind"])
    form.unit.choices = _choices(INSTRUMENT_UNITS, labels["unit"])
    form.trading_mode.choices = _choices(TRADING_MODES, labels["mode"])
    form.forfeit_to.choices = _choices(FORFEIT_TARGETS, labels["forfeit"])
    return form
