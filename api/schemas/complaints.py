"""The complaint register (SPEC §9): intake, transitions, the Complaint, the register and the quarterly analysis."""

from __future__ import annotations

import marshmallow as ma
from marshmallow import fields, validate

from api.schemas.fields import DueQueueArgsSchema, StrictBoolean, StrictInteger, StrictSchema, id_field
from restructure import complaints_workflow as cw

_TEXT = validate.Length(max=5000)
_REASONS = ("anonymous", "obscene_or_threatening", "unreadable", "repeat_without_new_facts", "outside_competence")


class ApplicantSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    contact = fields.String(load_default="", validate=validate.Length(max=300))


class RepresentativeSchema(StrictSchema):
    name = fields.String(required=True, validate=validate.Length(min=1, max=300))
    document = fields.String(
        load_default="",
        validate=validate.Length(max=100),
        metadata={"description": "The power of attorney's number (required unless the client is present)"},
    )
    notarised = StrictBoolean(load_default=False)
    client_present = StrictBoolean(load_default=False)


class ComplaintCreateSchema(StrictSchema):
    kind = fields.String(required=True, validate=validate.OneOf(cw.KINDS))
    channel = fields.String(required=True, validate=validate.OneOf(cw.CHANNELS))
    language = fields.String(required=True, validate=validate.OneOf(cw.LANGUAGES))
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    category = fields.String(validate=validate.Regexp(r"^[a-z][a-z0-9_]{0,63}$"))
    received_on = fields.Date(metadata={"description": "Staff: the real receipt date (≤ today). Borrowers: today."})
    borrower_id = id_field()
    applicant = fields.Nested(ApplicantSchema)
    representative = fields.Nested(RepresentativeSchema)
    application_id = id_field()
    reports_crime = StrictBoolean(load_default=False)
    forwarded_on = fields.Date(metadata={"description": "The day a branch forwarded it (flagged after +1 day)"})


class ExtensionOutSchema(ma.Schema):
    days = fields.Integer(required=True)
    reason = fields.String(required=True)
    decided_on = fields.Date(required=True)
    notice_sent_on = fields.Date(allow_none=True)
    notice_due_on = fields.Date(required=True)
    notice_late = fields.Boolean(required=True)


class AnswerOutSchema(ma.Schema):
    outcome = fields.String(allow_none=True)
    text = fields.String(required=True)
    lender_actions = fields.String(required=True)
    client_actions = fields.String(required=True)
    references = fields.List(fields.String(), required=True)
    outgoing_number = fields.String(allow_none=True)
    sent_on = fields.Date(allow_none=True)
    timely = fields.Boolean(allow_none=True)


class RefusalOutSchema(ma.Schema):
    reason = fields.String(required=True)
    comment = fields.String(required=True)
    refused_on = fields.Date(required=True)
    timely = fields.Boolean(required=True)


class ComplaintSchema(ma.Schema):
    id = fields.Integer(required=True)
    number = fields.String(required=True, metadata={"description": "IN-YYYY-NNNNNN, gap-free per year"})
    kind = fields.String(required=True)
    channel = fields.String(required=True)
    language = fields.String(required=True)
    status = fields.String(required=True)
    text = fields.String(required=True)
    received_on = fields.Date(required=True)
    answer_due_on = fields.Date(required=True)
    days_left = fields.Integer(allow_none=True, metadata={"description": "Negative when overdue; null once answered"})
    overdue = fields.Boolean(required=True)
    anonymous = fields.Boolean(required=True)
    reports_crime = fields.Boolean(required=True)
    forwarded_to_authorities = fields.Boolean(required=True)
    borrower_id = fields.Integer(allow_none=True)
    applicant = fields.Dict(allow_none=True)
    representative = fields.Dict(allow_none=True)
    application_id = fields.Integer(allow_none=True)
    category = fields.String(allow_none=True)
    forwarded_on = fields.Date(allow_none=True)
    forwarding_late = fields.Boolean(required=True)
    outside_information = fields.Boolean(required=True)
    unit = fields.String(allow_none=True)
    handler = fields.String(allow_none=True)
    information_requests = fields.List(fields.Dict(), required=True)
    extension = fields.Nested(ExtensionOutSchema, allow_none=True)
    answer = fields.Nested(AnswerOutSchema, allow_none=True)
    refusal = fields.Nested(RefusalOutSchema, allow_none=True)
    summary = fields.String(allow_none=True)
    closed_on = fields.Date(allow_none=True)
    breach_recorded_on = fields.Date(allow_none=True)
    rule_set = fields.String(required=True)


class ComplaintPageSchema(ma.Schema):
    items = fields.List(fields.Nested(ComplaintSchema), required=True)
    next_cursor = fields.String(allow_none=True)


class ComplaintQueryArgsSchema(DueQueueArgsSchema):
    status = fields.List(fields.String(validate=validate.OneOf(cw.STATUSES)), load_default=list)


class RefusalSchema(StrictSchema):
    reason = fields.String(required=True, validate=validate.OneOf(_REASONS))
    comment = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class AssignmentSchema(StrictSchema):
    unit = fields.String(required=True, validate=validate.Length(min=1, max=100))
    handler = fields.String(validate=validate.Length(max=200))


class InformationRequestSchema(StrictSchema):
    unit = fields.String(required=True, validate=validate.Length(min=1, max=100))
    items = fields.List(
        fields.String(validate=validate.Length(min=1, max=300)), required=True, validate=validate.Length(min=1, max=20)
    )
    due_on = fields.Date(required=True)
    outside_information = StrictBoolean(load_default=False)
    reason = fields.String(load_default="", validate=_TEXT)


class ComplaintExtensionSchema(StrictSchema):
    days = StrictInteger(
        required=True,
        validate=validate.Range(min=1),
        metadata={"description": "1 to the rule set's extension_max_days (30, ACF 6.1)"},
    )
    reason = fields.String(required=True, validate=validate.Length(min=1, max=5000))
    decided_on = fields.Date()
    notice_sent_on = fields.Date()


class AnswerSchema(StrictSchema):
    outcome = fields.String(
        validate=validate.OneOf(cw.OUTCOMES),
        metadata={"description": "Required except for a suggestion (answered with thanks)"},
    )
    text = fields.String(required=True, validate=validate.Length(min=1, max=20000))
    lender_actions = fields.String(load_default="", validate=_TEXT)
    client_actions = fields.String(load_default="", validate=_TEXT)
    references = fields.List(
        fields.String(validate=validate.Length(min=1, max=500)), load_default=list, validate=validate.Length(max=20)
    )


class LegalReviewSchema(StrictSchema):
    verdict = fields.String(required=True, validate=validate.OneOf(("approve", "return")))
    comment = fields.String(load_default="", validate=_TEXT)


class SignatureSchema(StrictSchema):
    sent_on = fields.Date(metadata={"description": "The day the letter was sent (default today)"})


class ClosureSchema(StrictSchema):
    summary = fields.String(required=True, validate=validate.Length(min=1, max=5000))


class ComplaintWithdrawalSchema(StrictSchema):
    reason = fields.String(load_default="", validate=validate.Length(max=2000))


class ComplaintAnswerQuerySchema(StrictSchema):
    lang = fields.String(
        validate=validate.OneOf(cw.LANGUAGES),
        metadata={"description": "Language of the letter (default: the complaint's)"},
    )


class ComplaintReportArgsSchema(StrictSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    quarter = fields.Integer(required=True, validate=validate.Range(min=1, max=4))


class FigureSchema(ma.Schema):
    count = fields.Integer(required=True)
    ids = fields.List(fields.Integer(), required=True, metadata={"description": "The complaints counted"})


def _figures() -> fields.Dict:
    return fields.Dict(keys=fields.String(), values=fields.Nested(FigureSchema), required=True)


class ComplaintPeriodSchema(ma.Schema):
    year = fields.Integer(required=True)
    quarter = fields.Integer(required=True)
    from_ = fields.Date(required=True, data_key="from", attribute="from")
    to = fields.Date(required=True)
    as_of = fields.Date(required=True)


class SystemicSchema(ma.Schema):
    threshold = fields.Integer(required=True)
    citation = fields.String(required=True)
    categories = _figures()


class LinkedItemSchema(ma.Schema):
    complaint_id = fields.Integer(required=True)
    application_id = fields.Integer(required=True)
    application_status = fields.String(allow_none=True)


class LinkedSchema(FigureSchema):
    items = fields.List(fields.Nested(LinkedItemSchema), required=True)


class ComplaintReportSchema(ma.Schema):
    period = fields.Nested(ComplaintPeriodSchema, required=True)
    total = fields.Nested(FigureSchema, required=True)
    by_channel = _figures()
    by_kind = _figures()
    by_category = _figures()
    by_status = _figures()
    by_outcome = _figures()
    answered_in_time = fields.Nested(FigureSchema, required=True)
    answered_late = fields.Nested(FigureSchema, required=True)
    open = fields.Nested(FigureSchema, required=True)
    overdue_open = fields.Nested(FigureSchema, required=True)
    extensions = fields.Nested(FigureSchema, required=True)
    extension_notices_late = fields.Nested(FigureSchema, required=True)
    forwarding_late = fields.Nested(FigureSchema, required=True)
    forwarded_to_authorities = fields.Nested(FigureSchema, required=True)
    refusals_by_reason = _figures()
    systemic = fields.Nested(SystemicSchema, required=True)
    linked_to_restructuring = fields.Nested(LinkedSchema, required=True)
    rule_set = fields.String(required=True)
    definitions = fields.Dict(keys=fields.String(), values=fields.String(), required=True)
