"""Applications: intake, the queue, transitions, events and notices."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.fields import StrictSchema, id_field
from api.schemas.plans import PlanParamsSchema, PlanSchema
from api.schemas.simulations import AssessmentSchema, IncomeSchema
from restructure import workflow as wf
from restructure.borrowers import LANGUAGES
from restructure.delivery import CHANNELS as DELIVERY_CHANNELS
from restructure.notices import KINDS as NOTICE_KINDS


class ApplicationCreateSchema(StrictSchema):
    loan_id = id_field(required=True)
    channel = fields.String(
        validate=validate.OneOf(wf.CHANNELS),
        metadata={"description": "Borrowers: cabinet (the default). Officers: office, post, email or phone."},
    )
    received_on = fields.Date(metadata={"description": "Officers: the real receipt date (≤ today). Borrowers: today."})
    language = fields.String(required=True, validate=validate.OneOf(LANGUAGES))
    reasons = fields.List(
        fields.String(validate=validate.OneOf(wf.HARDSHIP_REASONS)),
        required=True,
        validate=validate.Length(min=1, max=8),
    )
    statement = fields.String(load_default="", validate=validate.Length(max=5000))
    military_service_until = fields.Date(
        metadata={
            "description": "A conscript's service end date (LMF Art. 7 p.2 sub 11-2; SPEC §8 Conscripts): required "
            "with reason military_service and only with it; after received_on. The law then gives an interest-free "
            "deferral for the service plus 60 days, the only lawful plan."
        },
    )
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

    @ma.validates("requested")
    def _requests_something(self, value: dict[str, object], **kwargs: object) -> None:
        if not set(value) - {"label"}:
            raise ma.ValidationError("Must request at least one change (e.g. extra_months or payment_cut_pct).")


class DecisionSchema(ma.Schema):
    outcome = fields.String(required=True)
    plan = fields.Nested(PlanSchema, allow_none=True)
    reasons = fields.List(fields.String(), required=True)
    comment = fields.String(required=True)
    start_on = fields.String(allow_none=True, metadata={"format": "date"})
    agreed_on = fields.String(
        allow_none=True,
        metadata={"format": "date", "description": "The day of agreement: the plan was rebuilt on it (SPEC §8)"},
    )
    agreed_as = fields.String(
        allow_none=True,
        metadata={"description": "accepted_decision, counter_offer_accepted, requested_after_decline or "
                                 "requested_after_lapse (a mandatory request: the requested plan took effect)"},
    )
    snapshot_as_of = fields.String(
        allow_none=True, metadata={"format": "date", "description": "The loan snapshot the agreed plan is built on"}
    )
    missing_documents = fields.List(
        fields.String(), allow_none=True, metadata={"description": "A refusal for documents_not_provided: what"}
    )
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
    in_statutory_window = fields.Boolean(
        allow_none=True,
        metadata={"description": "Received by overdue_since + 30 (LMF Art. 9-2 p.2); null: no delinquency"},
    )
    military_service_until = fields.Date(
        allow_none=True,
        metadata={"description": "A conscript's service end date (reason military_service; SPEC §8 Conscripts)"},
    )
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
    delivered_on = fields.Date(
        allow_none=True,
        metadata={"description": "The day the borrower received the decision; the periods run from it (SPEC §8). "
                                 "Null until recorded for an application that came by post."},
    )
    delivery_channel = fields.String(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    breach_recorded_on = fields.Date(allow_none=True)
    early_repayment_demand_allowed = fields.Boolean(required=True)
    created_at = fields.DateTime(required=True)
    updated_at = fields.DateTime(required=True)


SUMMARY_FIELDS = (
    "id", "loan_id", "borrower_id", "status", "channel", "language", "received_on", "decision_due_on", "days_left",
    "overdue", "suspended", "mandatory", "reasons", "response_due_on", "ombudsman_until", "closed_on", "updated_at",
)
ApplicationSummarySchema = ma.Schema.from_dict(
    {name: ApplicationSchema._declared_fields[name] for name in SUMMARY_FIELDS}, name="ApplicationSummarySchema"
)
"""A queue item: the clocks and the state, as in ``ApplicationSchema``; the whole record (assessment, plans) is
``GET /applications/{id}``."""


class ApplicationPageSchema(ma.Schema):
    items = fields.List(fields.Nested(ApplicationSummarySchema), required=True)
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
    outcome = fields.String(required=True, validate=validate.OneOf(wf.OUTCOMES))
    plan = fields.Nested(PlanParamsSchema, metadata={"description": "counter_offer: required; accept: the request"})
    reasons = fields.List(
        fields.String(validate=validate.OneOf(wf.REFUSAL_REASONS)),
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


class DeliverySchema(StrictSchema):
    channel = fields.String(required=True, validate=validate.OneOf(DELIVERY_CHANNELS))
    delivered_on = fields.Date(required=True, metadata={"description": "≤ today, ≥ the concurrence"})


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
