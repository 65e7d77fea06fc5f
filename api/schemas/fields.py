"""Strict fields: money and rates as exact decimal strings (never floats, never rounded), strict ints and booleans."""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from restructure.cursors import DueFilter

MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
RATE_PATTERN = r"^[0-9]{1,3}(\.[0-9]{1,4})?$"
MAX_RATE_PCT = 200
"""The largest rate accepted: the engine's limit (``schedules.plan.MAX_RATE_PPM``)."""
CENTS = Decimal("0.01")


class Money(fields.Field):
    """Tenge: a string (or integer) with at most two decimals. ``"1000.005"`` is an error, never rounded.

    Each refusal says what is wrong: not a number, negative, too large, or too many decimals.
    """

    default_error_messages = {
        "invalid": 'Must be an amount in tenge with at most two decimals, as a string, e.g. "1500.00".',
        "negative": "Must not be negative.",
        "too_large": "Must be less than 1000000000000 tenge (at most 12 digits before the point).",
        "too_many_decimals": 'Must have at most two decimals (tiyn), e.g. "1500.05"; it is never rounded.',
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int):
            return Decimal(self._checked(str(value)))
        if isinstance(value, str) and re.fullmatch(MONEY_PATTERN, value):
            return Decimal(value).quantize(CENTS)
        if isinstance(value, str):
            return self._checked(value)
        raise self.make_error("invalid")

    def _checked(self, text: str) -> Decimal:
        """Name the first thing wrong with a decimal that does not match the pattern."""
        match = re.fullmatch(r"(-?)([0-9]+)(?:\.([0-9]+))?", text)
        if match is None:
            raise self.make_error("invalid")
        sign, whole, decimals = match.groups()
        if sign:
            raise self.make_error("negative")
        if len(whole.lstrip("0")) > 12:
            raise self.make_error("too_large")
        if decimals is not None and len(decimals) > 2:
            raise self.make_error("too_many_decimals")
        return Decimal(f"{whole}.{decimals or '0'}").quantize(CENTS)

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


AMOUNT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
"""An output amount: tenge with exactly two places, any sign, any size."""


class SignedAmount(fields.String):
    """An output amount in tenge with two places, computed exactly; may be negative (relief, concession, a payment
    that went up) and exceed 12 digits (totals)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": AMOUNT_PATTERN, "example": "1500.00"} | kwargs.pop("metadata", {})
        super().__init__(dump_only=True, metadata=metadata, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(Decimal(value).quantize(CENTS))


class DueQueueArgsSchema(StrictSchema):
    """The query of a queue ordered by its due date (the subclass adds ``status``): keyset pages."""

    overdue = fields.Boolean(
        truthy={"true"}, falsy={"false"}, metadata={"description": "true: only overdue; false: only not overdue"}
    )
    due_before = fields.Date()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(validate=validate.Length(max=200))


def queue_args(args: dict[str, Any]) -> DueFilter:
    """A due-date queue's query (status, overdue, due_before, limit, cursor) as the views take it."""
    return DueFilter(
        statuses=args["status"],
        overdue=args.get("overdue"),
        due_before=args.get("due_before"),
        limit=args["limit"],
        cursor=args.get("cursor"),
    )


def engine_fields(
    result: type, *, order: Sequence[str] = (), **metadata: dict[str, Any]
) -> dict[str, fields.Field]:
    """The wire fields of one of the engine's result dataclasses (``schedules.result``), declared there once: amounts
    and ratios as exact decimal strings, dates as ISO strings, counts as integers. An optional field may be null; a
    field with a default may be absent. ``order`` is the wire order where it is not the dataclass's (every field);
    ``metadata`` adds a field's OpenAPI description."""
    hints = typing.get_type_hints(result)
    out: dict[str, fields.Field] = {}
    for f in dataclasses.fields(result):
        args = typing.get_args(hints[f.name])
        optional = type(None) in args
        kind = next(t for t in args if t is not type(None)) if optional else hints[f.name]
        if optional:
            presence: dict[str, Any] = {"allow_none": True}
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            presence = {"required": True}
        else:
            presence = {}
        described = {"format": "date"} if kind is date else {}
        described |= metadata.get(f.name, {})
        extra = {"metadata": described} if described else {}
        if kind is int:
            out[f.name] = fields.Integer(**presence, **extra)
        elif kind in (Decimal, date):
            out[f.name] = fields.String(**presence, **extra)
        else:
            raise TypeError(f"{result.__name__}.{f.name}: no wire type for {kind!r}")
    if order:
        if sorted(order) != sorted(out):
            raise ValueError(f"order must name every field of {result.__name__}")
        out = {name: out[name] for name in order}
    return out
