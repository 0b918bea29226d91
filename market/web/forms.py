"""The pages' forms; Flask-WTF adds and checks a CSRF token on each one."""

from datetime import date
from decimal import Decimal, InvalidOperation

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
        raise ValueError("不是有效的数字") from None
    if not number.is_finite():
        raise ValueError("不是有效的数字")
    # Size first: quantizing a huge exponent would overflow the decimal context.
    if number and number.adjusted() >= max_digits - places:
        raise ValueError("数值过大")
    # Half-width digits and one point, as the API takes: Decimal alone also reads
    # full-width or Arabic-Indic digits, underscores and exponents.
    if not DECIMAL_TEXT.fullmatch(raw):
        raise ValueError("不是有效的数字（请用半角数字和小数点）")
    quantum = Decimal(1).scaleb(-places)
    if number != number.quantize(quantum):
        # Refused rather than rounded, as the API does: nobody is quoted a rounded price.
        raise ValueError(f"最多 {places} 位小数")
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
                raise ValueError("日期格式应为 YYYY-MM-DD") from None


class QueryForm(FlaskForm):
    """A filter read from the query string: it changes nothing, so it carries no CSRF token."""

    class Meta:
        csrf = False


class LoginForm(FlaskForm):
    """User name and password."""

    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=256)])


class ReasonForm(FlaskForm):
    """An act that must say why: halt, resume."""

    reason = TextAreaField("原因", validators=[
        DataRequired("请填写原因"), Length(max=500, message="原因不超过 500 字")])


def _positive_money(label: str) -> ExactDecimalField:
    return ExactDecimalField(label, [Optional(), NumberRange(min=Decimal("0.01"),
                                                             message="须大于 0")], places=2)


class TermsForm(FlaskForm):
    """The price terms a regulator sets; an empty field clears that term."""

    guide_price = _positive_money("指导价（元）")
    floor_price = _positive_money("底价（元）")
    price_band = ExactDecimalField("涨跌幅限制（比例，0.3 即 ±30%）", [
        Optional(), NumberRange(min=Decimal("0.0001"), max=Decimal(1),
                                message="须大于 0 且不超过 1")], places=4)

    def changes(self) -> dict:
        """The terms as the service takes them: None clears a term; an absent field is kept."""
        fields = (self.guide_price, self.floor_price, self.price_band)
        return {field.name: field.data for field in fields if field.raw_data}


class ReviewForm(FlaskForm):
    """Close an alert: the button pressed gives the status, the note says what was found."""

    status = StringField(validators=[AnyOf(REVIEW_STATUSES, message="未知的处理结果")])
    note = TextAreaField("处理意见", validators=[
        Optional(), Length(max=2000, message="处理意见不超过 2000 字")])


class FlowQueryForm(QueryForm):
    """Which days and which instrument the flow matrix covers (defaults: this month, all)."""

    date_from = DayField("起始日期", validators=[Optional()])
    date_to = DayField("截止日期", validators=[Optional()])
    instrument = SelectField("品种", validate_choice=False, default="")


class ReportQueryForm(QueryForm):
    """A city and a month (2026-11) or quarter (2026-Q4)."""

    # Choices are checked by the report service, which names a bad city or period.
    city = SelectField("城市", validate_choice=False)
    kind = SelectField("报告类型", choices=[SelectChoice("monthly", "月通报"),
                                         SelectChoice("quarterly", "季分析")],
                       default="monthly", validate_choice=False)
    period = StringField("期间（如 2026-11 或 2026-Q4）", validators=[Length(max=16)])
