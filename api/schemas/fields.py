"""Strict fields: money and rates as exact decimal strings (never floats, never rounded), strict ints and booleans."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
RATE_PATTERN = r"^[0-9]{1,3}(\.[0-9]{1,4})?$"
MAX_RATE_PCT = 200
"""The largest rate accepted: the engine's limit (``schedules.plan.MAX_RATE_PPM``)."""
CENTS = Decimal("0.01")


class Money(fields.Field):
    """Tenge: a string (or integer) with at most two decimals. ``"1000.005"`` is an error, never rounded."""

    default_error_messages = {
        "invalid": 'Must be an amount in tenge with at most two decimals, as a string, e.g. "1500.00".',
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int) and 0 <= value < 10**12:
            return Decimal(value).quantize(CENTS)
        if isinstance(value, str) and re.fullmatch(MONEY_PATTERN, value):
            return Decimal(value).quantize(CENTS)
        raise self.make_error("invalid")

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(Decimal(value).quantize(CENTS))


class Rate(fields.Field):
    """A nominal annual percentage, 0 to 200 (the engine's limit: a short loan may charge 0.3% a day = 109.5% a
    year), with at most four decimals (``"36.00"``, ``"9.4822"``)."""

    default_error_messages = {
        "invalid": 'Must be a percentage from 0 to 200 with at most four decimals, as a string, e.g. "36.00".',
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int) and 0 <= value <= MAX_RATE_PCT:
            return Decimal(value)
        if isinstance(value, str) and re.fullmatch(RATE_PATTERN, value) and Decimal(value) <= MAX_RATE_PCT:
            return Decimal(value)
        raise self.make_error("invalid")

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        if value is None:
            return None
        rate = Decimal(value).normalize()
        places = max(2, -int(rate.as_tuple().exponent))
        return f"{rate:.{min(places, 4)}f}"


class StrictInteger(fields.Integer):
    """An integer that refuses booleans and numeric strings."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(strict=True, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> int:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)  # type: ignore[no-any-return]


class StrictBoolean(fields.Boolean):
    """``true`` or ``false`` only; no ``"yes"``, no ``1``."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> bool:
        if not isinstance(value, bool):
            raise self.make_error("invalid")
        return value


def money_openapi(converter: Any, field: fields.Field, **kwargs: Any) -> dict[str, Any]:
    """Describe Money and Rate fields exactly: a decimal string with a pattern, or a whole number."""
    if isinstance(field, Money):
        string = {"type": "string", "pattern": MONEY_PATTERN, "example": "1500.00"}
        integer = {"type": "integer", "minimum": 0, "maximum": 10**12 - 1}
    elif isinstance(field, Rate):
        string = {"type": "string", "pattern": RATE_PATTERN, "example": "36.00"}
        integer = {"type": "integer", "minimum": 0, "maximum": MAX_RATE_PCT}
    else:
        return {}
    if field.dump_only:
        return string
    return {"oneOf": [string, integer]}


class StrictSchema(ma.Schema):
    """Unknown fields are an error."""

    class Meta:
        unknown = ma.RAISE


def id_field(**kwargs: Any) -> StrictInteger:
    return StrictInteger(validate=validate.Range(min=1, max=2**31 - 1), **kwargs)


# --- health -------------------------------------------------------------------------------------------------
