"""The portfolio what-if."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.borrowers import BorrowerCreateSchema
from api.schemas.fields import SignedAmount, StrictBoolean, StrictSchema, id_field
from api.schemas.loans import LoanCreateSchema
from api.schemas.plans import PlanParamsSchema
from api.schemas.simulations import IncomeSchema

LOAN_KEY_PATTERN = r"^[1-9][0-9]{0,9}$"
WHAT_IF_START = (date(1990, 1, 1), date(2150, 12, 31))


def _what_if_start(value: date) -> None:
    low, high = WHAT_IF_START
    if not low <= value <= high:
        raise ma.ValidationError(f"Must be between {low} and {high}.")


class PortfolioBorrowerSchema(BorrowerCreateSchema):
    """An inline loan's borrower: the flags of ``POST /borrowers`` without identity fields."""

    class Meta(StrictSchema.Meta):
        exclude = ("iin", "full_name", "language")


class PortfolioLoanSchema(LoanCreateSchema):
    """An inline loan: the fields of ``POST /loans`` without ``borrower_id``, its borrower's flags and incomes."""

    class Meta(StrictSchema.Meta):
        exclude = ("borrower_id",)

    contract_number = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    borrower = fields.Nested(PortfolioBorrowerSchema, metadata={"description": "Default: no flags, no other debts"})
    incomes = fields.List(
        fields.Nested(IncomeSchema),
        validate=validate.Length(min=12, max=120),
        metadata={"description": "Official monthly incomes: the 12 months before the current month, at least"},
    )


class WhatIfRequestSchema(StrictSchema):
    """``plan`` or ``"recommended": true`` (exactly one); ``loan_ids`` or ``loans`` (at most one; neither: every
    stored loan)."""

    loan_ids = fields.List(
        id_field(), validate=validate.Length(min=1, max=100_000), metadata={"description": "Stored loans, each once"}
    )
    loans = fields.List(
        fields.Nested(PortfolioLoanSchema),
        validate=validate.Length(min=1, max=10_000),
        metadata={"description": "Inline loan snapshots; items are keyed by their index"},
    )
    start_on = fields.Date(
        required=True,
        validate=_what_if_start,
        metadata={"description": "The day the plans start (1990-01-01 to 2150-12-31)"},
    )
    plan = fields.Nested(PlanParamsSchema, metadata={"description": "One plan for every loan (SPEC §4)"})
    recommended = StrictBoolean(
        load_default=False,
        metadata={
            "description": "The recommended plan of each loan (inline loans: at most 2000; stored loans: a job over "
            "2000, at most 1,000,000)"
        },
    )
    incomes_by_loan = fields.Dict(
        keys=fields.String(validate=validate.Regexp(LOAN_KEY_PATTERN)),
        values=fields.List(fields.Nested(IncomeSchema), validate=validate.Length(min=12, max=120)),
        validate=validate.Length(max=100_000),
        metadata={"description": "Incomes of stored loans, by loan id: needed for dti_recent, kdn and affordable"},
    )

    @ma.validates_schema
    def _one_plan_one_selection(self, data: dict[str, Any], **kwargs: Any) -> None:
        if ("plan" in data) == bool(data.get("recommended")):
            raise ma.ValidationError('Give either plan or "recommended": true, exactly one.', "plan")
        if "loan_ids" in data and "loans" in data:
            raise ma.ValidationError("Give either loan_ids or loans, not both.", "loans")
        if "loans" in data and "incomes_by_loan" in data:
            raise ma.ValidationError("Inline loans carry their own incomes.", "incomes_by_loan")


class WhatIfQuerySchema(StrictSchema):
    limit = fields.Integer(load_default=100, validate=validate.Range(min=1, max=1000))
    cursor = fields.String(
        validate=validate.Regexp(r"^[0-9]{1,10}$"), metadata={"description": "next_cursor of the previous page"}
    )


class WhatIfItemSchema(ma.Schema):
    loan_id = fields.Integer(required=True, allow_none=True, metadata={"description": "A stored loan's id"})
    index = fields.Integer(required=True, allow_none=True, metadata={"description": "An inline loan's position"})
    contract_number = fields.String(required=True, allow_none=True)
    feasible = fields.Boolean(required=True)
    violations = fields.List(fields.String(), required=True, metadata={"description": "Rule and check ids"})
    current_payment = SignedAmount(required=True, metadata={"description": "The loan's scheduled_payment"})
    first_payment = SignedAmount(required=True, allow_none=True)
    max_regular_payment = SignedAmount(
        required=True, allow_none=True, metadata={"description": "The largest instalment but the last"}
    )
    relief = SignedAmount(
        required=True, allow_none=True, metadata={"description": "current_payment − max_regular_payment"}
    )
    instalments = fields.Integer(required=True, allow_none=True)
    maturity_on = fields.Date(required=True, allow_none=True)
    total_paid = SignedAmount(required=True, allow_none=True)
    concession = SignedAmount(
        required=True, allow_none=True, metadata={"description": "NPV(contract) − NPV(plan) (SPEC §5)"}
    )
    kdn = fields.String(required=True, allow_none=True)
    dti_recent = fields.String(required=True, allow_none=True)
    affordable = fields.Boolean(
        required=True, allow_none=True, metadata={"description": "dti_recent ≤ target; null without incomes"}
    )
    mandatory = fields.Boolean(required=True)
    target_met = fields.Boolean(
        required=True, allow_none=True, metadata={"description": "recommended, with incomes: the waterfall met it"}
    )
    plan = fields.Dict(required=True, metadata={"description": "The plan parameters applied (SPEC §4)"})


class WhatIfAggregateSchema(ma.Schema):
    loans = fields.Integer(required=True)
    feasible = fields.Integer(required=True)
    with_incomes = fields.Integer(required=True, metadata={"description": "Loans whose incomes were given"})
    affordable = fields.Integer(required=True)
    mandatory = fields.Integer(required=True)
    total_relief = SignedAmount(required=True, metadata={"description": "Sum of relief over feasible plans"})
    total_concession = SignedAmount(required=True, metadata={"description": "Sum of concession over feasible plans"})


class WhatIfSchema(ma.Schema):
    items = fields.List(fields.Nested(WhatIfItemSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True)
    aggregate = fields.Nested(WhatIfAggregateSchema, required=True)
    rule_set = fields.String(required=True, metadata={"description": "The rule set in force today"})
    target = fields.String(required=True, metadata={"description": "The set's dti_recent target"})


class PortfolioJobSchema(ma.Schema):
    """A what-if run in the background (issue #17): a plan over more than 100,000 stored loans, or recommended over
    more than 2000; in this process, or on the Dask cluster of ``RESTRUCTURE_DASK_SCHEDULER``."""

    id = fields.Integer(required=True)
    status = fields.String(
        required=True, metadata={"enum": ["queued", "running", "done", "failed"], "description": "Where the job is"}
    )
    total = fields.Integer(required=True, metadata={"description": "Loans selected"})
    done = fields.Integer(
        required=True,
        metadata={
            "description": "Loans computed so far: after each block of 8,192 (a plan), 256 (recommended), or each "
            "partition (on Dask, in the order they finish)"
        },
    )
    progress_pct = fields.Method("_progress", dump_only=True, metadata={
        "type": "string", "description": "done / total in percent, one decimal (100.0 when done)"})
    created_at = fields.DateTime(required=True)
    finished_at = fields.DateTime(required=True, allow_none=True)
    result = fields.Dict(
        required=True, allow_none=True, metadata={"description": "When done: what POST /what-if answers (WhatIf)"}
    )
    error = fields.String(required=True, allow_none=True, metadata={"description": "When failed: why"})

    def _progress(self, job: Any) -> str:
        if job.status == "done" or not job.total:
            return "100.0" if job.status == "done" else "0.0"
        return str((Decimal(job.done) * 100 / job.total).quantize(Decimal("0.1")))


# --- quarterly report ---------------------------------------------------------------------------------------------
