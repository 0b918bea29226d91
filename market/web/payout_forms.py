"""The money-back pages' forms: beneficiaries, disbursements, pledges and their handling."""

from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import FieldList, Form, FormField, IntegerField, SelectField, StringField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from market.vocabulary import BENEFICIARY_KIND
from market.web.forms import ExactDecimalField
from models import BENEFICIARY_KINDS

ROWS = 6
POSITIVE_QUANTITY = NumberRange(min=Decimal("0.0001"), message=_l("Must be above 0"))
POSITIVE_MONEY = NumberRange(min=Decimal("0.01"), message=_l("Must be above 0"))


class BeneficiaryRow(Form):
    """One beneficiary line; a line left blank is skipped."""

    name = StringField(_l("Beneficiary"), [Optional(), Length(
        max=200, message=_l("At most 200 characters"))])
    # A blank line may carry no kind at all; a named line's kind is checked in the form.
    kind = SelectField(_l("Kind"), default="villager", validate_choice=False,
                       choices=[(kind, BENEFICIARY_KIND[kind]) for kind in BENEFICIARY_KINDS])
    share = ExactDecimalField(_l("Share (e.g. 0.85)"), [Optional()], places=4)


class BeneficiariesForm(FlaskForm):
    """The lot's beneficiaries; their shares must add up to exactly 1."""

    rows = FieldList(FormField(BeneficiaryRow), min_entries=ROWS, max_entries=ROWS)

    def validate(self, extra_validators=None) -> bool:
        """A named line needs its share, a share needs its name."""
        if not super().validate(extra_validators):
            return False
        good = True
        for row in self.rows:
            named, share = (row.form.name.data or "").strip(), row.form.share.data
            if named and share is None:
                row.form.share.errors = [*row.form.share.errors, _l("Enter the share")]
                good = False
            if named and row.form.kind.data not in BENEFICIARY_KINDS:
                row.form.name.errors = [*row.form.name.errors, _l("Unknown kind")]
                good = False
            if share is not None and not named:
                row.form.name.errors = [*row.form.name.errors, _l("Enter the name")]
                good = False
        return good

    def beneficiaries(self) -> list[dict]:
        """The filled lines as the service takes them."""
        return [{"name": row.form.name.data.strip(), "kind": row.form.kind.data,
                 "share": row.form.share.data}
                for row in self.rows if (row.form.name.data or "").strip()]

    @classmethod
    def of(cls, beneficiaries) -> "BeneficiariesForm":
        """The form filled with a lot's current beneficiaries."""
        form = cls(formdata=None)
        for row, beneficiary in zip(form.rows, beneficiaries, strict=False):
            row.form.name.data = beneficiary.name
            row.form.kind.data = beneficiary.kind
            row.form.share.data = beneficiary.share
        return form


class DisbursementForm(FlaskForm):
    """A bank payment made to a beneficiary."""

    amount = ExactDecimalField(_l("Amount paid (yuan)"), [InputRequired(_l("Enter the amount")),
                                                          POSITIVE_MONEY])
    reference = StringField(_l("Bank reference"), [DataRequired(_l("Enter the bank reference")),
                                                   Length(max=128, message=_l(
                                                       "At most 128 characters"))])


class PledgeForm(FlaskForm):
    """A request to pledge quantity of the lot to a lender."""

    quantity = ExactDecimalField(_l("Quantity to pledge"), [
        InputRequired(_l("Enter the quantity")), POSITIVE_QUANTITY], places=4)
    pledgee_name = StringField(_l("Lender (pledgee)"), [
        DataRequired(_l("Enter the lender")), Length(max=200, message=_l(
            "At most 200 characters"))])
    amount = ExactDecimalField(_l("Loan amount (yuan)"), [InputRequired(_l("Enter the amount")),
                                                          POSITIVE_MONEY])
    reference = StringField(_l("Loan contract number"), [
        DataRequired(_l("Enter the contract number")), Length(max=128, message=_l(
            "At most 128 characters"))])

    def data_for_service(self) -> dict:
        """The request as the pledges service takes it."""
        return {"quantity": self.quantity.data, "pledgee_name": self.pledgee_name.data.strip(),
                "amount": self.amount.data, "reference": self.reference.data.strip()}


class EnforceForm(FlaskForm):
    """Enforcement: the lender's trading account, and why."""

    lender_account_id = IntegerField(_l("Lender's account number"), [
        InputRequired(_l("Enter the lender's account number")),
        NumberRange(min=1, max=2**31 - 1, message=_l("Not an account number"))])
    reason = StringField(_l("Reason"), [DataRequired(_l("Enter a reason")), Length(
        max=500, message=_l("At most 500 characters"))])
