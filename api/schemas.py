"""Every request and response schema. Money and rates are strict decimal strings: never floats, never rounded."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Any

import marshmallow as ma
from marshmallow import fields, validate

from restructure.borrowers import LANGUAGES, VULNERABLE_CATEGORIES
from restructure.notices import KINDS as NOTICE_KINDS
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


# --- plans and assessments (shared by simulations, applications and the portfolio what-if) ----------------------

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
    deferral_of = fields.String(validate=validate.OneOf(("principal", "principal_and_interest")))
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


class ScheduleLineSchema(ma.Schema):
    n = fields.Integer(required=True)
    due_on = fields.String(required=True, metadata={"format": "date"})
    payment = fields.String(required=True)
    principal = fields.String(required=True)
    interest = fields.String(required=True)
    arrears = fields.String(required=True)
    balance = fields.String(required=True)


class TotalsSchema(ma.Schema):
    payment = fields.String(required=True)
    principal = fields.String(required=True)
    interest = fields.String(required=True)
    arrears = fields.String(required=True)
    forgiven = fields.String(required=True)


class PlanMetricsSchema(ma.Schema):
    first_payment = fields.String(required=True)
    max_regular_payment = fields.String(required=True)
    payment_cut_pct = fields.String(required=True)
    instalments = fields.Integer(required=True)
    maturity_on = fields.String(allow_none=True, metadata={"format": "date"})
    kdn = fields.String(allow_none=True)
    dti_recent = fields.String(allow_none=True)
    gesv_pct = fields.String(allow_none=True)
    npv = fields.String(required=True)
    concession = fields.String(required=True)


class PlanSchema(ma.Schema):
    params = fields.Dict(required=True, metadata={"description": "The plan parameters (SPEC §4)"})
    feasible = fields.Boolean(required=True)
    violations = fields.List(fields.Nested(ViolationSchema), required=True)
    schedule = fields.List(fields.Nested(ScheduleLineSchema), required=True)
    totals = fields.Nested(TotalsSchema, required=True)
    metrics = fields.Nested(PlanMetricsSchema, required=True)


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


class PenaltyCapsSchema(ma.Schema):
    daily_pct_until_day = fields.String(required=True)
    daily_pct_after = fields.String(required=True)
    tier_days = fields.Integer(required=True)
    annual_cap_pct_of_principal = fields.String(required=True)
    stop_after_days = fields.Integer(required=True)
    stop_after_days_mortgage = fields.Integer(required=True)


class RuleSetSchema(ma.Schema):
    id = fields.String(required=True)
    effective_from = fields.Date(required=True)
    in_force = fields.Boolean(required=True, metadata={"description": "The set in force today"})
    title = fields.String(required=True)
    sources = fields.List(fields.String(), required=True)
    notes = fields.List(fields.String(), required=True)
    income_drop_threshold_pct = fields.String(required=True)
    kdn_limit = fields.String(required=True)
    dti_target = fields.String(required=True)
    mandatory_min_months = fields.Integer(required=True)
    mandatory_request_grounds = fields.List(fields.String(), required=True)
    mandatory_fee_free = fields.Boolean(required=True)
    payment_cut_min_pct = fields.String(required=True, allow_none=True)
    gesv_cap_pct = fields.String(required=True)
    penalty = fields.Nested(PenaltyCapsSchema, required=True)
    kdn_scope = fields.String(required=True)
    max_term_months = fields.Integer(required=True)
    rate_floor_pct = fields.String(required=True)
    discount_rate_pct = fields.String(required=True)


class RuleSetListSchema(ma.Schema):
    items = fields.List(fields.Nested(RuleSetSchema), required=True)
    next_cursor = fields.String(required=True, allow_none=True, metadata={"description": "Always null: one page"})


# --- applications ---------------------------------------------------------------------------------------------------


class ApplicationCreateSchema(StrictSchema):
    loan_id = id_field(required=True)
    channel = fields.String(
        validate=validate.OneOf(("cabinet", "office", "post", "email", "phone")),
        metadata={"description": "Borrowers: cabinet (the default). Officers: office, post, email or phone."},
    )
    received_on = fields.Date(metadata={"description": "Officers: the real receipt date (≤ today). Borrowers: today."})
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    reasons = fields.List(
        fields.String(validate=validate.OneOf((
            "income_loss", "job_loss", "illness", "disability", "death_in_family", "emergency", "military_service",
            "other",
        ))),
        required=True,
        validate=validate.Length(min=1, max=8),
    )
    statement = fields.String(load_default="", validate=validate.Length(max=5000))
    requested = fields.Nested(PlanParamsSchema, required=True)
    incomes = fields.List(
        fields.Nested(IncomeSchema),
        required=True,
        validate=validate.Length(min=12, max=36),
        metadata={"description": "Monthly incomes: at least the 12 months before the application month"},
    )
    documents = fields.List(
        fields.Nested(type("DocumentSchema", (StrictSchema,), {
            "name": fields.String(required=True, validate=validate.Length(min=1, max=300)),
        })),
        load_default=list,
        validate=validate.Length(max=50),
    )


class DecisionSchema(ma.Schema):
    outcome = fields.String(required=True)
    plan = fields.Nested(PlanSchema, allow_none=True)
    reasons = fields.List(fields.String(), required=True)
    comment = fields.String(required=True)
    start_on = fields.String(allow_none=True, metadata={"format": "date"})
    proposed_by = fields.Integer(allow_none=True)
    proposed_on = fields.Date(allow_none=True)
    approved_by = fields.Integer(allow_none=True)
    approved_on = fields.Date(allow_none=True)
    timely = fields.Boolean(allow_none=True, metadata={"description": "Concurred on or before decision_due_on"})


class DocumentRequestSchema(ma.Schema):
    items = fields.List(fields.String(), required=True)
    respond_by = fields.String(required=True, metadata={"format": "date"})
    requested_on = fields.String(required=True, metadata={"format": "date"})
    requested_by = fields.Integer(required=True)


class ReceivedDocumentSchema(ma.Schema):
    name = fields.String(required=True)
    received_on = fields.String(required=True, metadata={"format": "date"})


class ApplicationSchema(ma.Schema):
    id = fields.Integer(required=True)
    loan_id = fields.Integer(required=True)
    borrower_id = fields.Integer(required=True)
    status = fields.String(required=True)
    channel = fields.String(required=True)
    language = fields.String(required=True)
    received_on = fields.Date(required=True)
    decision_due_on = fields.Date(required=True)
    days_left = fields.Integer(
        allow_none=True, metadata={"description": "Negative when overdue; null while suspended or once decided"}
    )
    overdue = fields.Boolean(required=True)
    suspended = fields.Boolean(required=True)
    reasons = fields.List(fields.String(), required=True)
    statement = fields.String(required=True)
    incomes = fields.List(fields.Dict(), required=True)
    documents = fields.List(fields.Nested(ReceivedDocumentSchema), required=True)
    document_requests = fields.List(fields.Nested(DocumentRequestSchema), required=True)
    assessment = fields.Nested(AssessmentSchema, required=True)
    mandatory = fields.Boolean(required=True)
    requested_plan = fields.Nested(PlanSchema, required=True)
    decision = fields.Nested(DecisionSchema, allow_none=True)
    response_due_on = fields.Date(allow_none=True)
    ombudsman_until = fields.Date(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    breach_recorded_on = fields.Date(allow_none=True)
    early_repayment_demand_allowed = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


class ApplicationPageSchema(ma.Schema):
    items = fields.List(fields.Nested(ApplicationSchema), required=True)
    next_cursor = fields.String(allow_none=True)


class ApplicationQueryArgsSchema(StrictSchema):
    status = fields.List(
        fields.String(validate=validate.OneOf((
            "received", "awaiting_documents", "under_review", "decision_proposed", "agreed", "awaiting_borrower",
            "refused", "withdrawn", "lapsed",
        ))),
        load_default=list,
    )
    overdue = fields.Boolean(
        truthy={"true"}, falsy={"false"}, metadata={"description": "true: only overdue; false: only not overdue"}
    )
    due_before = fields.Date()
    limit = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))
    cursor = fields.String(validate=validate.Length(max=200))


class NoticeQueryArgsSchema(StrictSchema):
    lang = fields.String(
        validate=validate.OneOf(LANGUAGES),
        metadata={"description": "Language of the notice (default: the application's)"},
    )
    kind = fields.String(
        validate=validate.OneOf(NOTICE_KINDS),
        metadata={"description": "Which notice (default: the one for the current state); 409 if not applicable"},
    )


class DocumentRequestCreateSchema(StrictSchema):
    items = fields.List(fields.String(validate=validate.Length(min=1, max=300)), required=True,
                        validate=validate.Length(min=1, max=20))
    respond_by = fields.Date(required=True)


class DocumentsReceivedSchema(StrictSchema):
    items = fields.List(fields.String(validate=validate.Length(min=1, max=300)), required=True,
                        validate=validate.Length(min=1, max=50))
    received_on = fields.Date(metadata={"description": "Officers: the date the documents arrived. Borrowers: today."})


class DecisionCreateSchema(StrictSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(("accept", "counter_offer", "refuse")))
    plan = fields.Nested(PlanParamsSchema, metadata={"description": "counter_offer: required; accept: the request"})
    reasons = fields.List(
        fields.String(validate=validate.OneOf((
            "documents_not_provided", "no_hardship_shown", "affordable_without_change", "plan_not_feasible", "other",
        ))),
        load_default=list,
        validate=validate.Length(max=5),
    )
    comment = fields.String(load_default="", validate=validate.Length(max=5000))
    start_on = fields.Date(metadata={"description": "When the plan starts (default: today, or the snapshot date)"})


class ApprovalSchema(StrictSchema):
    verdict = fields.String(required=True, validate=validate.OneOf(("approve", "return")))
    comment = fields.String(load_default="", validate=validate.Length(max=5000))


class ResponseSchema(StrictSchema):
    answer = fields.String(required=True, validate=validate.OneOf(("accept", "decline")))


class ExtensionSchema(StrictSchema):
    response_due_on = fields.Date(required=True)


class WithdrawalSchema(StrictSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class EventSchema(ma.Schema):
    seq = fields.Integer(required=True)
    occurred_at = fields.DateTime(required=True)
    business_date = fields.Date(required=True)
    actor_id = fields.Integer(allow_none=True)
    actor_role = fields.String(required=True)
    kind = fields.String(required=True)
    from_status = fields.String(allow_none=True)
    to_status = fields.String(required=True)
    payload = fields.Dict(required=True)


class EventListSchema(ma.Schema):
    items = fields.List(fields.Nested(EventSchema), required=True)


# --- portfolio what-if ------------------------------------------------------------------------------------------

AMOUNT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
LOAN_KEY_PATTERN = r"^[1-9][0-9]{0,9}$"
WHAT_IF_START = (date(1990, 1, 1), date(2150, 12, 31))


class SignedAmount(fields.String):
    """An output amount in tenge with two places; may be negative (relief, concession) and exceed 12 digits (totals)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": AMOUNT_PATTERN, "example": "1500.00"} | kwargs.pop("metadata", {})
        super().__init__(dump_only=True, metadata=metadata, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(Decimal(value).quantize(CENTS))


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
        load_default=False, metadata={"description": "The recommended plan of each loan (at most 2000 loans)"}
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


# --- quarterly report ---------------------------------------------------------------------------------------------

REPORT_AMOUNT_PATTERN = r"^-?[0-9]+\.[0-9]{2}$"
REPORT_SHARE_PATTERN = r"^[01]\.[0-9]{4}$"


class ReportAmount(fields.String):
    """An amount in tenge with two places, computed exactly; may be negative (a payment that went up)."""

    def __init__(self, **kwargs: Any) -> None:
        metadata = {"pattern": REPORT_AMOUNT_PATTERN, "example": "1500.00"} | kwargs.pop("metadata", {})
        super().__init__(dump_only=True, metadata=metadata, **kwargs)

    def _serialize(self, value: Any, attr: str | None, obj: Any, **kwargs: Any) -> str | None:
        return None if value is None else str(Decimal(value).quantize(CENTS))


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


ReportChannelsSchema = _figures("ReportChannelsSchema", ("cabinet", "office", "post", "email", "phone"))
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
    scheduled_payment = ReportAmount(required=True)
    max_regular_payment = ReportAmount(required=True)
    payment_reduction = ReportAmount(required=True)
    forgiven = ReportAmount(required=True)


class ReportReliefSchema(ma.Schema):
    agreed = fields.Nested(ReportFigureSchema, required=True)
    payment_reduction_total = ReportAmount(required=True)
    payment_reduction_average = ReportAmount(required=True, allow_none=True)
    forgiven = fields.Nested(ReportFigureSchema, required=True)
    forgiven_total = ReportAmount(required=True)
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
