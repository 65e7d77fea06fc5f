"""Plan parameters (SPEC §4) and the computed plan: schedule, totals, metrics, violations."""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.fields import (
    Money,
    Rate,
    StrictBoolean,
    StrictInteger,
    StrictSchema,
    engine_fields,
    money_openapi,
)
from schedules.result import Metrics, ScheduleLine, Totals
from schedules.terms import DEFERRALS, METHODS

ALL = "all"


class MoneyOrAll(Money):
    """An amount to forgive, or ``"all"`` of that bucket."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Any:
        if value == ALL:
            return ALL
        return super()._deserialize(value, attr, data, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return ALL if value == ALL else super()._serialize(value, attr, obj, **kwargs)


class Percent(fields.Field):
    """A percentage above 0 and below 100 with at most two decimals (``"50"``, ``"62.5"``)."""

    default_error_messages = {"invalid": 'Must be a percentage above 0 and below 100, e.g. "50.00".'}
    PATTERN = r"^[0-9]{1,2}(\.[0-9]{1,2})?$"

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> Decimal:
        if isinstance(value, bool):
            raise self.make_error("invalid")
        if isinstance(value, int) and 0 < value < 100:
            return Decimal(value)
        if isinstance(value, str) and re.fullmatch(self.PATTERN, value) and 0 < Decimal(value) < 100:
            return Decimal(value)
        raise self.make_error("invalid")

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else f"{Decimal(value):.2f}"


def _percent_openapi(converter: Any, field: fields.Field, **kwargs: Any) -> dict[str, Any]:
    if isinstance(field, Percent):
        return {"oneOf": [{"type": "string", "pattern": Percent.PATTERN, "example": "50.00"},
                          {"type": "integer", "minimum": 1, "maximum": 99}]}
    if isinstance(field, MoneyOrAll):
        described = money_openapi(converter, field)
        described["oneOf"].append({"type": "string", "enum": [ALL]})
        return described
    return {}


FIELD_DESCRIBERS = (money_openapi, _percent_openapi)


class ForgiveSchema(StrictSchema):
    overdue_principal = MoneyOrAll()
    overdue_interest = MoneyOrAll()
    penalties = MoneyOrAll()


class PlanParamsSchema(StrictSchema):
    """SPEC §4: any combination; an omitted field is unchanged; ``{}`` is the baseline."""

    new_rate_pct = Rate(metadata={"description": "A lower nominal annual rate (never higher: R-NO-WORSE)"})
    extra_months = StrictInteger(validate=validate.Range(min=1, max=600))
    payment_cut_pct = Percent(metadata={"description": "Cut of the scheduled instalment, in percent"})
    deferral_months = StrictInteger(validate=validate.Range(min=1, max=60))
    deferral_of = fields.String(
        validate=validate.OneOf(DEFERRALS),
        metadata={"description": "principal: interest-only; principal_and_interest: nothing paid, interest to the "
                  "arrears bucket; interest_free: nothing paid, no interest (a conscript's deferral)"},
    )
    method = fields.String(validate=validate.OneOf(METHODS))
    payment_day = StrictInteger(validate=validate.Range(min=1, max=31))
    forgive = fields.Nested(ForgiveSchema)
    settlement_value = Money(metadata={"description": "Отступное: collateral value applied in statutory order"})
    forgive_shortfall = StrictBoolean()
    label = fields.String(validate=validate.Length(max=60))

    @ma.validates_schema
    def _deferral_pair(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("deferral_months" in data) != ("deferral_of" in data):
            missing = "deferral_of" if "deferral_months" in data else "deferral_months"
            raise ma.ValidationError("deferral_months and deferral_of go together.", field_name=missing)
        if data.get("forgive_shortfall") and "settlement_value" not in data:
            raise ma.ValidationError("Only with a settlement_value.", field_name="forgive_shortfall")


class ViolationSchema(ma.Schema):
    rule = fields.String(required=True)
    message = fields.String(required=True)


ScheduleLineSchema = ma.Schema.from_dict(engine_fields(ScheduleLine), name="ScheduleLineSchema")
TotalsSchema = ma.Schema.from_dict(
    engine_fields(
        Totals,
        penalty_excess_removed={
            "description": "Penalties above the lawful cap (R-PENALTY), dropped and never collected (SPEC §8)"
        },
    ),
    name="TotalsSchema",
)


PlanMetricsSchema = ma.Schema.from_dict(
    engine_fields(
        Metrics,
        order=("first_payment", "max_regular_payment", "payment_cut_pct", "instalments", "maturity_on", "kdn",
               "dti_recent", "gesv_pct", "npv", "concession"),
    ),
    name="PlanMetricsSchema",
)


class PlanSchema(ma.Schema):
    params = fields.Dict(required=True, metadata={"description": "The plan parameters (SPEC §4)"})
    feasible = fields.Boolean(required=True)
    needs_consent = fields.Boolean(
        metadata={"description": "Lawful, but a longer term or another method needs the borrower's consent (SPEC §8)"}
    )
    violations = fields.List(fields.Nested(ViolationSchema), required=True)
    schedule = fields.List(fields.Nested(ScheduleLineSchema), required=True)
    totals = fields.Nested(TotalsSchema, required=True)
    metrics = fields.Nested(PlanMetricsSchema, required=True)
