"""The registry pages' forms: register a lot with its evidence, sell from it, amend an order."""

from datetime import date
from decimal import Decimal

from flask_wtf import FlaskForm
from wtforms import IntegerField, MultipleFileField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from market.web.forms import DayField, ExactDecimalField

POSITIVE = NumberRange(min=Decimal("0.0001"), message="须大于 0")
# Times in force a seller picks on the page: GTD would need a date and time field too.
PAGE_TIMES_IN_FORCE = [("GTC", "撤销前有效（GTC）"), ("IOC", "立即成交剩余撤销（IOC）"),
                       ("FOK", "全部成交否则撤销（FOK）")]


class LotForm(FlaskForm):
    """A lot from an accepted project, with its acceptance documents."""

    instrument = SelectField("品种", validators=[DataRequired("请选择品种")])
    quantity = ExactDecimalField("数量", [InputRequired("请填写数量"), POSITIVE], places=4)
    origin_district_code = SelectField("产出地区", validators=[DataRequired("请选择产出地区")])
    project_name = StringField("项目名称", validators=[
        DataRequired("请填写项目名称"), Length(max=200, message="项目名称不超过 200 字")])
    project_code = StringField("项目编号", validators=[
        DataRequired("请填写项目编号"), Length(max=64, message="项目编号不超过 64 字")])
    accepted_on = DayField("验收日期", validators=[InputRequired("请填写验收日期")])
    vintage_year = IntegerField("指标年份", validators=[
        InputRequired("请填写指标年份"), NumberRange(min=1990, max=2100,
                                                message="年份应在 1990 至 2100 之间")])
    quality_grade = IntegerField("耕地质量等别（1 最优，15 最差；仅耕地类品种）", validators=[
        Optional(), NumberRange(min=1, max=15, message="等别应在 1 至 15 之间")])
    evidence = MultipleFileField("验收材料（PDF、JPEG 或 PNG，每个不超过 10 MB）")

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

    evidence = MultipleFileField("验收材料（PDF、JPEG 或 PNG，每个不超过 10 MB）")


class SellForm(FlaskForm):
    """A sell order from one lot."""

    price = ExactDecimalField("价格（元）", [InputRequired("请填写价格"),
                                           NumberRange(min=Decimal("0.01"), message="须大于 0")])
    quantity = ExactDecimalField("数量", [InputRequired("请填写数量"), POSITIVE], places=4)
    tif = SelectField("有效期", choices=PAGE_TIMES_IN_FORCE, default="GTC")


class AmendForm(FlaskForm):
    """Reduce an open order's quantity, or move its price: one of the two."""

    quantity = ExactDecimalField("新数量（只能减少）", [Optional(), POSITIVE], places=4)
    price = ExactDecimalField("新价格（元）", [Optional(), NumberRange(
        min=Decimal("0.01"), message="须大于 0")])

    def validate(self, extra_validators=None) -> bool:
        """Exactly one change, as the trading service takes it."""
        if not super().validate(extra_validators):
            return False
        if (self.quantity.data is None) == (self.price.data is None):
            self.quantity.errors = [*self.quantity.errors, "请只填写新数量或新价格中的一项"]
            return False
        return True

    def changes(self) -> dict:
        """{"quantity": …} or {"price": …}."""
        if self.quantity.data is not None:
            return {"quantity": self.quantity.data}
        return {"price": self.price.data}
