"""The pages' forms; Flask-WTF adds and checks a CSRF token on each one."""

from decimal import Decimal, InvalidOperation

from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, NumberRange, Optional


class ExactDecimalField(StringField):
    """A decimal typed as text: exact and finite, never rounded, empty meaning None."""

    def __init__(self, label=None, validators=None, places: int = 2, max_digits: int = 16,
                 **kwargs):
        super().__init__(label, validators, **kwargs)
        self.places = places
        self.max_digits = max_digits

    def process_formdata(self, valuelist):
        self.data = None
        raw = valuelist[0].strip() if valuelist else ""
        if not raw:
            return
        try:
            number = Decimal(raw)
        except InvalidOperation:
            raise ValueError("不是有效的数字") from None
        if not number.is_finite():
            raise ValueError("不是有效的数字")
        # Size first: quantizing a huge exponent would overflow the decimal context.
        if number and number.adjusted() >= self.max_digits - self.places:
            raise ValueError("数值过大")
        quantum = Decimal(1).scaleb(-self.places)
        if number != number.quantize(quantum):
            # Refused rather than rounded, as the API does: nobody is quoted a rounded price.
            raise ValueError(f"最多 {self.places} 位小数")
        self.data = number.quantize(quantum)

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return "" if self.data is None else str(self.data)


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
