"""The assessment and the stateless what-if (POST /simulations)."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.borrowers import BorrowerCreateSchema
from api.schemas.fields import Money, Rate, StrictSchema, id_field
from api.schemas.loans import LoanCreateSchema
from api.schemas.plans import PlanParamsSchema, PlanSchema
from restructure.borrowers import LANGUAGES


class IncomeFiguresSchema(ma.Schema):
    avg2 = fields.String(required=True)
    avg6 = fields.String(required=True)
    avg12 = fields.String(required=True)
    drop_pct = fields.String(allow_none=True)
    drop_test_passed = fields.Boolean(required=True)


class MandatorySchema(ma.Schema):
    applies = fields.Boolean(required=True)
    grounds = fields.List(fields.String(), required=True)


class RuleSetRefSchema(ma.Schema):
    id = fields.String(required=True)
    effective_from = fields.String(required=True, metadata={"format": "date"})


class RuleResultSchema(ma.Schema):
    rule = fields.String(required=True)
    passed = fields.Boolean(allow_none=True, metadata={"description": "null when the rule does not apply"})
    figures = fields.Dict(required=True)
    citation = fields.String(required=True)
    text = fields.String(required=True)


class AssessmentSchema(ma.Schema):
    income = fields.Nested(IncomeFiguresSchema, required=True)
    kdn = fields.String(allow_none=True)
    dti_recent = fields.String(allow_none=True)
    mandatory = fields.Nested(MandatorySchema, required=True)
    rule_set = fields.Nested(RuleSetRefSchema, required=True)
    rules = fields.List(fields.Nested(RuleResultSchema), required=True)


class IncomeSchema(StrictSchema):
    month = fields.String(
        required=True, validate=validate.Regexp(r"^[0-9]{4}-(0[1-9]|1[0-2])$"), metadata={"example": "2026-09"}
    )
    amount = Money(required=True)


# --- simulations ------------------------------------------------------------------------------------------------


class SimulationLoanSchema(LoanCreateSchema):
    """An inline loan snapshot: the fields of ``POST /loans`` without ``borrower_id`` and ``contract_number``."""

    class Meta(StrictSchema.Meta):
        exclude = ("borrower_id", "contract_number")


class SimulationBorrowerSchema(BorrowerCreateSchema):
    """Inline borrower circumstances: the flags of ``POST /borrowers`` without identity fields."""

    class Meta(StrictSchema.Meta):
        exclude = ("iin", "full_name", "language")


class SimulationRequestSchema(StrictSchema):
    """A what-if: ``loan`` or ``loan_id`` (exactly one); ``borrower`` or ``borrower_id`` (at most one)."""

    loan = fields.Nested(SimulationLoanSchema, metadata={"description": "An inline loan snapshot"})
    loan_id = id_field(metadata={"description": "A stored loan"})
    start_on = fields.Date(required=True, metadata={"description": "The day the restructuring starts"})
    received_on = fields.Date(metadata={"description": "Application date (≤ today; default today): month M"})
    incomes = fields.List(
        fields.Nested(IncomeSchema),
        required=True,
        validate=validate.Length(min=12, max=120),
        metadata={"description": "Official monthly incomes: at least the 12 months before the month of received_on"},
    )
    borrower = fields.Nested(SimulationBorrowerSchema, metadata={"description": "Inline borrower flags"})
    borrower_id = id_field(metadata={"description": "A stored borrower (default: the stored loan's borrower)"})
    other_monthly_debt_payments = Money(metadata={"description": "Overrides the borrower's figure"})
    plans = fields.List(
        fields.Nested(PlanParamsSchema),
        validate=validate.Length(max=20),
        metadata={"description": "Plan parameter objects (SPEC §4); omitted: the presets"},
    )
    discount_rate_pct = Rate(metadata={"description": "NPV discount rate (default: the rule set's)"})
    requested = fields.Nested(PlanParamsSchema, metadata={"description": "What the borrower asks for (R-MANDATORY)"})
    military_service_until = fields.Date(
        metadata={
            "description": "A conscript's service end date (reason military_service, LMF Art. 7 p.2 sub 11-2): the "
            "deferral to it + 60 days without interest is the only lawful plan"
        }
    )

    @ma.validates_schema
    def _one_loan_one_borrower(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("loan" in data) == ("loan_id" in data):
            raise ma.ValidationError("Give either loan (an inline snapshot) or loan_id, exactly one.", "loan")
        if "borrower" in data and "borrower_id" in data:
            raise ma.ValidationError("Give either borrower (inline flags) or borrower_id, not both.", "borrower")


class SimulationQuerySchema(ma.Schema):
    lang = fields.String(
        load_default="en", validate=validate.OneOf(LANGUAGES), metadata={"description": "Language of the texts"}
    )


class WaterfallStepSchema(ma.Schema):
    step = fields.String(required=True)
    outcome = fields.String(required=True)
    kept = fields.Boolean(required=True)
    params = fields.Dict(required=True, allow_none=True)
    setting = fields.String(required=True, allow_none=True)
    payment = fields.String(required=True, allow_none=True)
    dti_recent = fields.String(required=True, allow_none=True)
    concession = fields.String(required=True, allow_none=True)
    evaluations = fields.Integer(required=True)
    text = fields.String(required=True)


class RecommendedPlanSchema(ma.Schema):
    plan = fields.Nested(PlanSchema, required=True)
    steps = fields.List(fields.Nested(WaterfallStepSchema), required=True)
    target_met = fields.Boolean(required=True)
    target = fields.String(required=True, metadata={"description": "The dti_recent target of the rule set"})
    summary = fields.String(required=True)


class SimulationSchema(ma.Schema):
    assessment = fields.Nested(AssessmentSchema, required=True)
    baseline = fields.Nested(PlanSchema, required=True)
    plans = fields.List(fields.Nested(PlanSchema), required=True)
    recommended = fields.Nested(RecommendedPlanSchema, required=True)


# --- rule sets --------------------------------------------------------------------------------------------------
