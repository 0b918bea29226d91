"""Field types shared by the schemas: exact decimals as strings, bounded text."""

from decimal import Decimal, InvalidOperation

from marshmallow import ValidationError, fields, validate


class DecimalString(fields.Field):
    """A decimal that travels as a string (integers are accepted too, floats never are).

    Floats are refused because a JSON float has already lost exactness before we see it; too
    many decimal places are refused rather than rounded, so nobody is paid a rounded amount.
    """

    def __init__(self, places: int, positive: bool = True, allow_zero: bool = False,
                 max_digits: int = 16, **kwargs):
        super().__init__(**kwargs)
        self.places = places
        self.positive = positive
        self.allow_zero = allow_zero
        self.max_digits = max_digits
        self.metadata.setdefault("type", "string")
        fraction = rf"(\.\d{{1,{places}}})?" if places else ""
        self.metadata.setdefault("pattern", rf"^\d+{fraction}$")
        self.metadata.setdefault("example", "12.5" if places else "12")

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError("must be a decimal string such as \"12.50\"")
        if isinstance(value, str) and len(value) > 40:
            raise ValidationError("is too long for a number")
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            raise ValidationError("is not a number") from None
        if not number.is_finite():
            raise ValidationError("must be finite")
        # Size first: quantizing a huge exponent would overflow the decimal context.
        if number and number.adjusted() >= self.max_digits - self.places:
            raise ValidationError("is too large")
        quantum = Decimal(1).scaleb(-self.places)
        if number != number.quantize(quantum):
            raise ValidationError(f"has more than {self.places} decimal places")
        number = number.quantize(quantum)
        if self.positive and (number < 0 or (number == 0 and not self.allow_zero)):
            raise ValidationError("must be greater than zero" if not self.allow_zero
                                  else "must not be negative")
        return number

    def _serialize(self, value, attr, obj, **kwargs):
        # Always the field's own number of places, so "0.00" never comes out as "0".
        if value is None:
            return None
        return str(Decimal(value).quantize(Decimal(1).scaleb(-self.places)))


class Int(fields.Integer):
    """An integer that fits a database column: huge numbers are a 422, never an overflow."""

    LIMIT = 2**31 - 1

    def _validated(self, value):
        number = super()._validated(value)
        if number is not None and not -self.LIMIT <= number <= self.LIMIT:
            raise self.make_error("invalid")
        return number


def Money(**kwargs) -> DecimalString:  # noqa: N802 - reads like a field type
    """CNY to the fen."""
    return DecimalString(places=2, **kwargs)


def Quantity(**kwargs) -> DecimalString:  # noqa: N802
    """An indicator quantity to 4 places."""
    return DecimalString(places=4, **kwargs)


def Text(max_length: int, **kwargs) -> fields.String:  # noqa: N802
    """A non-blank string with an upper bound on its length."""
    return fields.String(validate=validate.Length(min=1, max=max_length), **kwargs)


def Reason(**kwargs) -> fields.String:  # noqa: N802
    """Why a regulator acts; required and kept in the audit log."""
    return Text(500, required=True, **kwargs)
