"""Field types shared by the schemas: exact decimals as strings, bounded text."""

import re
from datetime import date
from decimal import Decimal

from flask_babel import lazy_gettext
from marshmallow import ValidationError, fields, validate

# What a decimal string may look like, whatever the field: its places are checked after.
DECIMAL_TEXT = re.compile(r"(-?)([0-9]+)(?:\.([0-9]+))?")


class DecimalString(fields.Field):
    """A decimal that travels as a string of ASCII digits (a JSON integer is accepted too).

    Only what the documented pattern says: no sign on a positive amount, no spaces, exponents,
    underscores or non-ASCII digits, which Python's Decimal would all quietly take. Floats are
    refused because a JSON float has already lost exactness before we see it; too many decimal
    places are refused rather than rounded, so nobody is paid a rounded amount.
    """

    def __init__(self, places: int, positive: bool = True, allow_zero: bool = False,
                 max_digits: int = 16, **kwargs):
        super().__init__(**kwargs)
        self.places = places
        self.positive = positive
        self.allow_zero = allow_zero
        self.max_digits = max_digits
        self.metadata.setdefault("type", "string")
        sign = "" if positive else "-?"
        fraction = rf"(\.[0-9]{{1,{places}}})?" if places else ""
        self.metadata.setdefault("pattern", rf"^{sign}[0-9]+{fraction}$")
        self.metadata.setdefault("example", "12.5" if places else "12")
        self.metadata.setdefault("description", self._rule())

    def _rule(self) -> str:
        digits = "ASCII digits" if self.positive else "an optional minus sign and ASCII digits"
        if self.places:
            digits += f", optionally a point and 1 to {self.places} more"
        rule = (f"A decimal string of {digits}. In a request: at most "
                f"{self.max_digits - self.places} digits before the point")
        if self.positive:
            rule += ", at least 0" if self.allow_zero else ", greater than 0"
        return rule + "."

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, bool) or not isinstance(value, str | int):
            raise ValidationError(lazy_gettext("must be a decimal string such as \"12.50\""))
        text = str(value)
        if len(text) > 40:
            raise ValidationError(lazy_gettext("is too long for a number"))
        match = DECIMAL_TEXT.fullmatch(text)
        if match is None:
            raise ValidationError(lazy_gettext(
                "must be ASCII digits with an optional point and decimals, such as \"12.50\""))
        sign, _whole, fraction = match.groups()
        if fraction and len(fraction) > self.places:
            raise ValidationError(lazy_gettext("has more than %(places)s decimal places",
                                               places=self.places)
                                  if self.places else lazy_gettext("must be a whole number"))
        number = Decimal(text)
        # Size first: quantizing a huge exponent would overflow the decimal context.
        if number and number.adjusted() >= self.max_digits - self.places:
            raise ValidationError(lazy_gettext("is too large"))
        if self.positive and (sign or (number == 0 and not self.allow_zero)):
            raise ValidationError(lazy_gettext("must be greater than zero") if not self.allow_zero
                                  else lazy_gettext("must not be negative"))
        return number.quantize(Decimal(1).scaleb(-self.places))

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


def int_bounds(_converter, field, ret: dict, **_kwargs) -> dict:
    """apispec attribute function: an Int's column bounds, where no Range says narrower."""
    if not isinstance(field, Int):
        return {}
    bounds = {"minimum": -Int.LIMIT, "maximum": Int.LIMIT}
    return {key: value for key, value in bounds.items() if key not in ret}


# Days outside this window are typos; refusing them also keeps date arithmetic in range.
EARLIEST_DAY, LATEST_DAY = date(2000, 1, 1), date(2100, 12, 31)


def _plausible(day: date) -> None:
    if not EARLIEST_DAY <= day <= LATEST_DAY:
        raise ValidationError(lazy_gettext("must be between %(first)s and %(last)s",
                                           first=EARLIEST_DAY, last=LATEST_DAY))


def Day(description: str, **kwargs) -> fields.Date:  # noqa: N802
    """A calendar day (YYYY-MM-DD) in the plausible window, which the document states."""
    return fields.Date(validate=_plausible, metadata={
        "description": f"{description}; YYYY-MM-DD, {EARLIEST_DAY} to {LATEST_DAY}"}, **kwargs)


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
