"""Loan snapshots from the core system."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.fields import Money, Rate, StrictInteger, StrictSchema, id_field
from schedules.terms import DAY_COUNTS, METHODS, SECURITIES


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
    accrued_interest = Money(
        load_default=Decimal("0.00"),
        metadata={"description": "Interest accrued since the last due date, not yet due, as of as_of (SPEC §8)"},
    )
    with_collection_agency_since = fields.Date(
        load_default=None,
        metadata={"description": "Since when a collection agency holds the debt (LMF Art. 9-2 p.8)"},
    )

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
    accrued_interest = Money(required=True, dump_only=True)
    with_collection_agency_since = fields.Date(allow_none=True)
    created_at = fields.DateTime(required=True)
    early_repayment_demand_allowed = fields.Boolean(
        required=True,
        metadata={"description": "False while a restructuring application is open (R-NO-ACCELERATION)"},
    )


# --- plans and assessments (shared by simulations, applications and the portfolio what-if) ----------------------
