"""The quarterly report."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.fields import SignedAmount, StrictSchema
from restructure import workflow as wf

REPORT_SHARE_PATTERN = r"^[01]\.[0-9]{4}$"


class QuarterlyReportArgsSchema(StrictSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=1900, max=9999))
    quarter = fields.Integer(required=True, validate=validate.Range(min=1, max=4))


class ReportFigureSchema(ma.Schema):
    count = fields.Integer(required=True)
    ids = fields.List(fields.Integer(), required=True, metadata={"description": "The applications counted"})


def _figures(name: str, keys: tuple[str, ...]) -> type[ma.Schema]:
    """One figure per key, each a required field (a schema class, so OpenAPI names it)."""
    attrs: dict[str, Any] = {key: fields.Nested(ReportFigureSchema, required=True) for key in keys}
    return type(name, (ma.Schema,), attrs)


ReportChannelsSchema = _figures("ReportChannelsSchema", wf.CHANNELS)
ReportReasonsSchema = _figures("ReportReasonsSchema", (
    "income_loss", "job_loss", "illness", "disability", "death_in_family", "emergency", "military_service", "other",
))
ReportOutcomesSchema = _figures("ReportOutcomesSchema", (
    "agreed", "counter_offer_accepted", "declined", "lapsed", "refused", "withdrawn", "open",
))
ReportRefusalKindsSchema = _figures("ReportRefusalKindsSchema", ("refused", "declined", "lapsed"))


class ReportPeriodSchema(ma.Schema):
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    start = fields.Date(required=True)
    end = fields.Date(required=True)
    as_of = fields.Date(required=True, metadata={"description": "min(end, today): the day the figures are taken at"})
    complete = fields.Boolean(required=True, metadata={"description": "The quarter has ended"})


class ReportIntakeSchema(ma.Schema):
    total = fields.Nested(ReportFigureSchema, required=True)
    by_channel = fields.Nested(ReportChannelsSchema, required=True)
    by_reason = fields.Nested(ReportReasonsSchema, required=True)
    by_outcome = fields.Nested(ReportOutcomesSchema, required=True)
    outside_statutory_window = fields.Nested(
        ReportFigureSchema, metadata={"description": "Received after overdue_since + 30 (LMF Art. 9-2 p.2)"}
    )


class ReportDecisionItemSchema(ma.Schema):
    application_id = fields.Integer(required=True)
    received_on = fields.Date(required=True)
    decision_due_on = fields.Date(required=True)
    decided_on = fields.Date(required=True)
    days_to_decision = fields.Integer(required=True)
    timely = fields.Boolean(required=True)


class ReportDecisionsSchema(ma.Schema):
    decided = fields.Nested(ReportFigureSchema, required=True)
    timely = fields.Nested(ReportFigureSchema, required=True)
    late = fields.Nested(ReportFigureSchema, required=True)
    timely_share = fields.String(
        required=True, allow_none=True,
        metadata={"pattern": REPORT_SHARE_PATTERN, "example": "0.8750", "description": "timely / decided"},
    )
    median_days_to_decision = fields.String(
        required=True, allow_none=True, metadata={"pattern": r"^[0-9]+\.[0-9]$", "example": "7.5"}
    )
    items = fields.List(fields.Nested(ReportDecisionItemSchema), required=True)


class ReportBreachSchema(ma.Schema):
    application_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("late_decision", "overdue_undecided")))
    received_on = fields.Date(required=True)
    decision_due_on = fields.Date(required=True)
    decided_on = fields.Date(required=True, allow_none=True)
    days_late = fields.Integer(required=True)


class ReportBreachesSchema(ma.Schema):
    total = fields.Nested(ReportFigureSchema, required=True)
    late_decisions = fields.Nested(ReportFigureSchema, required=True)
    overdue_undecided = fields.Nested(ReportFigureSchema, required=True)
    items = fields.List(fields.Nested(ReportBreachSchema), required=True)


class ReportMandatorySchema(ma.Schema):
    total = fields.Nested(ReportFigureSchema, required=True)
    by_outcome = fields.Nested(ReportOutcomesSchema, required=True)


class ReportReliefItemSchema(ma.Schema):
    application_id = fields.Integer(required=True)
    loan_id = fields.Integer(required=True)
    outcome = fields.String(required=True)
    agreed_on = fields.Date(required=True)
    scheduled_payment = SignedAmount(required=True)
    max_regular_payment = SignedAmount(required=True)
    payment_reduction = SignedAmount(required=True)
    forgiven = SignedAmount(required=True)


class ReportReliefSchema(ma.Schema):
    agreed = fields.Nested(ReportFigureSchema, required=True)
    payment_reduction_total = SignedAmount(required=True)
    payment_reduction_average = SignedAmount(required=True, allow_none=True)
    forgiven = fields.Nested(ReportFigureSchema, required=True)
    forgiven_total = SignedAmount(required=True)
    items = fields.List(fields.Nested(ReportReliefItemSchema), required=True)


class ReportRefusalItemSchema(ma.Schema):
    application_id = fields.Integer(required=True)
    kind = fields.String(required=True, validate=validate.OneOf(("refused", "declined", "lapsed")))
    refused_on = fields.Date(required=True)
    ombudsman_until = fields.Date(required=True, allow_none=True)
    within_window = fields.Boolean(required=True)


class ReportRefusalsSchema(ma.Schema):
    total = fields.Nested(ReportFigureSchema, required=True)
    by_kind = fields.Nested(ReportRefusalKindsSchema, required=True)
    within_ombudsman_window = fields.Nested(ReportFigureSchema, required=True)
    items = fields.List(fields.Nested(ReportRefusalItemSchema), required=True)


class QuarterlyReportSchema(ma.Schema):
    period = fields.Nested(ReportPeriodSchema, required=True)
    generated_on = fields.Date(required=True)
    definitions = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
    intake = fields.Nested(ReportIntakeSchema, required=True)
    decisions = fields.Nested(ReportDecisionsSchema, required=True)
    breaches = fields.Nested(ReportBreachesSchema, required=True)
    mandatory = fields.Nested(ReportMandatorySchema, required=True)
    relief = fields.Nested(ReportReliefSchema, required=True)
    refusals = fields.Nested(ReportRefusalsSchema, required=True)
