"""Borrowers: registration and the stored record."""

from __future__ import annotations

from decimal import Decimal

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.fields import Money, StrictBoolean, StrictSchema
from restructure.borrowers import LANGUAGES, VULNERABLE_CATEGORIES


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
