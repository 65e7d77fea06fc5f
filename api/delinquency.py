"""Delinquency notices (LMF Art. 9-2 p.1-2): the list of loans to notify, dispatch through the outbox, the notice."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, g, render_template
from flask.views import MethodView
from flask_babel import force_locale, gettext, refresh
from flask_smorest import Blueprint
from marshmallow import fields, validate

from api import notices as rendering
from api.auth import current_actor, requires
from api.errors import documents_problems
from api.runtime import now, today, uow
from api.schemas.fields import Money, StrictSchema
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, STAFF
from restructure.borrowers import LANGUAGES
from restructure.delinquency import CHANNELS, DelinquencyNoticeFacts, delinquent_loans, notice_facts, send_notice
from rules.delinquency import NOTICE_STATUSES

blp = Blueprint("delinquency", __name__, url_prefix="/api/v1", description="Delinquency notices (LMF Art. 9-2 p.1)")
LOAN = "/loans/<int(min=1, max=2147483647):loan_id>/delinquency-notice"


class DelinquencyQuerySchema(ma.Schema):
    status = fields.String(validate=validate.OneOf(NOTICE_STATUSES))


class DelinquentLoanSchema(ma.Schema):
    loan_id = fields.Integer(required=True)
    borrower_id = fields.Integer(required=True)
    contract_number = fields.String(required=True)
    overdue_since = fields.Date(required=True)
    overdue_amount = Money(required=True, dump_only=True)
    notice_due_on = fields.Date(required=True, metadata={"description": "overdue_since + 10 (LMF Art. 9-2 p.1)"})
    window_until = fields.Date(required=True, metadata={"description": "overdue_since + 30 (LMF Art. 9-2 p.2)"})
    status = fields.String(required=True, metadata={"description": "due, late (not sent by day 10) or sent"})
    sent_on = fields.Date(allow_none=True)
    channel = fields.String(allow_none=True)
    late = fields.Boolean(allow_none=True)


class DelinquencyListSchema(ma.Schema):
    items = fields.List(fields.Nested(DelinquentLoanSchema), required=True)


class NoticeDispatchSchema(StrictSchema):
    channel = fields.String(load_default="cabinet", validate=validate.OneOf(CHANNELS))
    recipient = fields.String(
        load_default=None, validate=validate.Length(min=3, max=320), metadata={"description": "e-mail or phone"}
    )


class NoticeSentSchema(ma.Schema):
    sent_on = fields.Date(required=True)
    channel = fields.String(required=True)
    late = fields.Boolean(required=True, metadata={"description": "Sent after overdue_since + 10"})


class NoticeLangSchema(ma.Schema):
    lang = fields.String(validate=validate.OneOf(LANGUAGES))


def render_html(facts: DelinquencyNoticeFacts, lang: str) -> str:
    g.notice_locale = rendering.LOCALES[lang]
    refresh()
    lender = current_app.config["RESTRUCTURE"].get("LENDER_NAME")
    return render_template("notices/delinquency.html", notice=facts, lang=lang, lender=lender)


def outbox_text(facts: DelinquencyNoticeFacts) -> tuple[str, str]:
    """The subject and the HTML body queued for the outbox, in the borrower's language."""
    html = render_html(facts, facts.language)
    with force_locale(rendering.LOCALES[facts.language]):
        subject = gettext("Notice of overdue payments")
    return subject, html


@blp.route("/delinquency")
class Delinquency(MethodView):
    @requires(blp, *STAFF)
    @blp.arguments(DelinquencyQuerySchema, location="query")
    @blp.response(200, DelinquencyListSchema)
    def get(self, args: dict[str, Any]) -> Any:
        """Loans whose delinquency notice is due, late or sent, by the day it is due."""
        return {"items": delinquent_loans(uow(), today=today(), status=args.get("status"))}


@blp.route(LOAN)
class DelinquencyNotice(MethodView):
    @requires(blp, CREDIT_OFFICER, ADMIN)
    @blp.arguments(NoticeDispatchSchema)
    @blp.response(200, NoticeSentSchema)
    @documents_problems(blp, 404, 409)
    def post(self, data: dict[str, Any], loan_id: int) -> Any:
        """Record the notice and queue it in the outbox (sent by the outbox worker, not this request)."""
        return send_notice(
            uow(),
            current_actor(),
            loan_id,
            channel=data["channel"],
            recipient=data["recipient"],
            today=today(),
            now=now(),
            body=outbox_text,
        )

    @requires(blp, BORROWER, *STAFF)
    @blp.arguments(NoticeLangSchema, location="query")
    @blp.response(200, description="The notice as HTML (default) or PDF", content_type=rendering.HTML)
    @documents_problems(blp, 404, 409)
    def get(self, args: dict[str, Any], loan_id: int) -> Any:
        """The delinquency notice in the borrower's language (or ``lang``), as HTML or PDF."""
        media_type = rendering.negotiate()
        facts = notice_facts(uow(), current_actor(), loan_id, today=today())
        lang = args.get("lang") or facts.language
        html = render_html(facts, lang)
        return rendering.document_response(html, lang, media_type, f"delinquency-{loan_id}-{lang}.pdf")
