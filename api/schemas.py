"""Every request and response schema. Money and rates are strict decimal strings: never floats, never rounded."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from restructure.borrowers import LANGUAGES, VULNERABLE_CATEGORIES
from schedules.terms import DAY_COUNTS, METHODS, SECURITIES

MONEY_PATTERN = r"^[0-9]{1,12}(\.[0-9]{1,2})?$"
RATE_PATTERN = r"^[0-9]{1,3}(\.[0-9]{1,4})?$"
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
    """A nominal annual percentage, 0 to 100, with at most four decimals (``"36.00"``, ``"9.4822"``)."""

    default_error_messages = {
        "invalid": 'Must be a percentage from 0 to 100 with at most four decimals, as a string, e.g. "36.00".',
    }

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int) and 0 <= value <= 100:
            return Decimal(value)
        if isinstance(value, str) and re.fullmatch(RATE_PATTERN, value) and Decimal(value) <= 100:
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
        integer = {"type": "integer", "minimum": 0, "maximum": 100}
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


class HealthSchema(ma.Schema):
    status = fields.String(required=True, metadata={"example": "ok"})
    database = fields.String(required=True, metadata={"example": "ok"})


# --- borrowers ----------------------------------------------------------------------------------------------


class BorrowerCreateSchema(StrictSchema):
    iin = fields.String(
        required=True,
        validate=validate.Regexp(r"^[0-9]{12}$", error="IIN must be exactly 12 digits."),
        metadata={"description": "12 digits with a valid checksum and birth date", "example": "900101300007"},
    )
    full_name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    vulnerable_categories = fields.List(
        fields.String(validate=validate.OneOf(VULNERABLE_CATEGORIES)),
        load_default=list,
        validate=validate.Length(max=len(VULNERABLE_CATEGORIES)),
        metadata={"description": "Housing Law Art. 68 groups"},
    )
    targeted_social_assistance = StrictBoolean(load_default=False)
    emergency_affected = StrictBoolean(load_default=False)
    other_monthly_debt_payments = Money(load_default=Decimal("0.00"))


class BorrowerSchema(ma.Schema):
    id = fields.Integer(required=True)
    iin = fields.String(required=True)
    full_name = fields.String(required=True)
    language = fields.String(required=True)
    vulnerable_categories = fields.List(fields.String(), required=True)
    targeted_social_assistance = fields.Boolean(required=True)
    emergency_affected = fields.Boolean(required=True)
    other_monthly_debt_payments = Money(required=True, dump_only=True)
    created_at = fields.DateTime(required=True)


# --- loans --------------------------------------------------------------------------------------------------


class LoanCreateSchema(StrictSchema):
    borrower_id = id_field(required=True)
    contract_number = fields.String(required=True, validate=validate.Length(min=1, max=64))
    issued_on = fields.Date(required=True)
    principal = Money(required=True)
    annual_rate_pct = Rate(required=True)
    term_months = StrictInteger(required=True, validate=validate.Range(min=1, max=600))
    method = fields.String(load_default="annuity", validate=validate.OneOf(METHODS))
    day_count = fields.String(load_default="30E/360", validate=validate.OneOf(DAY_COUNTS))
    payment_day = StrictInteger(required=True, validate=validate.Range(min=1, max=31))
    secured_by = fields.String(load_default="none", validate=validate.OneOf(SECURITIES))
    collateral_value = Money(load_default=None)
    as_of = fields.Date(required=True)
    outstanding_principal = Money(required=True)
    overdue_principal = Money(load_default=Decimal("0.00"))
    overdue_interest = Money(load_default=Decimal("0.00"))
    penalties = Money(load_default=Decimal("0.00"))
    overdue_since = fields.Date(load_default=None)
    remaining_term_months = StrictInteger(required=True, validate=validate.Range(min=0, max=600))
    scheduled_payment = Money(required=True)
    next_payment_on = fields.Date(required=True)

    @ma.validates("principal")
    def _principal_positive(self, value: Decimal, **kwargs: Any) -> None:
        if value <= 0:
            raise ma.ValidationError("Must be greater than zero.")


class LoanSchema(ma.Schema):
    id = fields.Integer(required=True)
    borrower_id = fields.Integer(required=True)
    contract_number = fields.String(required=True)
    issued_on = fields.Date(required=True)
    principal = Money(required=True, dump_only=True)
    annual_rate_pct = Rate(required=True, dump_only=True)
    term_months = fields.Integer(required=True)
    method = fields.String(required=True)
    day_count = fields.String(required=True)
    payment_day = fields.Integer(required=True)
    secured_by = fields.String(required=True)
    collateral_value = Money(allow_none=True, dump_only=True)
    as_of = fields.Date(required=True)
    outstanding_principal = Money(required=True, dump_only=True)
    overdue_principal = Money(required=True, dump_only=True)
    overdue_interest = Money(required=True, dump_only=True)
    penalties = Money(required=True, dump_only=True)
    overdue_since = fields.Date(allow_none=True)
    remaining_term_months = fields.Integer(required=True)
    scheduled_payment = Money(required=True, dump_only=True)
    next_payment_on = fields.Date(required=True)
    created_at = fields.DateTime(required=True)
    early_repayment_demand_allowed = fields.Boolean(
        required=True,
        metadata={"description": "False while a restructuring application is open (R-NO-ACCELERATION)"},
    )
