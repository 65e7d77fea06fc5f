"""The name of every code a page shows, in the page's language: states, reasons, channels, outcomes, roles...

Each table is built at call time with literal ``pgettext`` calls (the context is the kind), so Babel extracts every
name into the one catalogue and the current request's locale picks the words. An unknown code is shown as words
(``new_code`` → ``new code``), never as an error.
"""

from __future__ import annotations

from collections.abc import Callable

from flask_babel import pgettext


def _role() -> dict[str, str]:
    return {
        "borrower": pgettext("role", "Borrower"),
        "credit_officer": pgettext("role", "Credit officer"),
        "rights_officer": pgettext("role", "Client-rights officer"),
        "admin": pgettext("role", "Admin"),
        "lawyer": pgettext("role", "Lawyer"),
        "director": pgettext("role", "Director"),
    }


def _status() -> dict[str, str]:
    return {
        "received": pgettext("status", "Received"),
        "awaiting_documents": pgettext("status", "Awaiting documents"),
        "under_review": pgettext("status", "Under review"),
        "decision_proposed": pgettext("status", "Decision proposed"),
        "agreed": pgettext("status", "Agreed"),
        "awaiting_borrower": pgettext("status", "Awaiting the borrower"),
        "refused": pgettext("status", "Refused"),
        "withdrawn": pgettext("status", "Withdrawn"),
        "lapsed": pgettext("status", "Lapsed (refusal)"),
    }


def _reason() -> dict[str, str]:
    return {
        "income_loss": pgettext("reason", "Loss of income"),
        "job_loss": pgettext("reason", "Job loss"),
        "illness": pgettext("reason", "Illness"),
        "disability": pgettext("reason", "Disability"),
        "death_in_family": pgettext("reason", "Death in the family"),
        "emergency": pgettext("reason", "Emergency"),
        "military_service": pgettext("reason", "Military service"),
        "other": pgettext("reason", "Other"),
    }


def _refusal_reason() -> dict[str, str]:
    return {
        "documents_not_provided": pgettext("refusal_reason", "Documents not provided"),
        "no_hardship_shown": pgettext("refusal_reason", "No hardship shown"),
        "affordable_without_change": pgettext("refusal_reason", "Affordable without change"),
        "plan_not_feasible": pgettext("refusal_reason", "Plan not feasible"),
        "other": pgettext("refusal_reason", "Other"),
        "anonymous": pgettext("refusal_reason", "Anonymous"),
        "obscene_or_threatening": pgettext("refusal_reason", "Obscene or threatening"),
        "unreadable": pgettext("refusal_reason", "Unreadable"),
        "repeat_without_new_facts": pgettext("refusal_reason", "Repeat without new facts"),
        "outside_competence": pgettext("refusal_reason", "Outside competence"),
    }


def _outcome() -> dict[str, str]:
    return {
        "accept": pgettext("outcome", "Request accepted"),
        "counter_offer": pgettext("outcome", "Counter-offer"),
        "refuse": pgettext("outcome", "Refusal"),
    }


def _plan() -> dict[str, str]:
    return {
        "rate_cut": pgettext("plan", "Rate cut"),
        "term_extension": pgettext("plan", "Term extension"),
        "payment_cut_50": pgettext("plan", "50% payment cut"),
        "principal_deferral_3m": pgettext("plan", "3-month principal deferral"),
        "full_deferral_3m": pgettext("plan", "3-month full deferral"),
        "method_change": pgettext("plan", "Method change"),
        "penalty_forgiveness": pgettext("plan", "Penalty forgiveness"),
        "custom": pgettext("plan", "Custom plan"),
    }


def _event() -> dict[str, str]:
    return {
        "received": pgettext("event", "Application received"),
        "documents_requested": pgettext("event", "Documents requested"),
        "documents_received": pgettext("event", "Documents received"),
        "decision_proposed": pgettext("event", "Decision proposed"),
        "decision_returned": pgettext("event", "Decision returned"),
        "decision_approved": pgettext("event", "Decision approved"),
        "counter_offer_accepted": pgettext("event", "Counter-offer accepted"),
        "counter_offer_declined": pgettext("event", "Counter-offer declined"),
        "response_period_extended": pgettext("event", "Response period extended"),
        "withdrawn": pgettext("event", "Application withdrawn"),
        "lapsed": pgettext("event", "Counter-offer lapsed"),
    }


def _channel() -> dict[str, str]:
    return {
        "cabinet": pgettext("channel", "Cabinet"),
        "office": pgettext("channel", "Office"),
        "post": pgettext("channel", "Post"),
        "email": pgettext("channel", "E-mail"),
        "phone": pgettext("channel", "Phone"),
        "short_number": pgettext("channel", "Short number"),
        "website": pgettext("channel", "Website"),
        "messenger": pgettext("channel", "Messenger"),
        "social": pgettext("channel", "Social media"),
        "complaints_book": pgettext("channel", "Complaints book"),
    }


def _report_outcome() -> dict[str, str]:
    return {
        "agreed": pgettext("report_outcome", "Agreed"),
        "counter_offer_accepted": pgettext("report_outcome", "Counter-offer accepted"),
        "declined": pgettext("report_outcome", "Counter-offer declined"),
        "lapsed": pgettext("report_outcome", "Lapsed"),
        "refused": pgettext("report_outcome", "Refused"),
        "withdrawn": pgettext("report_outcome", "Withdrawn"),
        "open": pgettext("report_outcome", "Open"),
    }


def _notice_status() -> dict[str, str]:
    return {
        "due": pgettext("notice_status", "Due"),
        "late": pgettext("notice_status", "Late"),
        "sent": pgettext("notice_status", "Sent"),
        "all": pgettext("notice_status", "All"),
    }


def _complaint_kind() -> dict[str, str]:
    return {
        "complaint": pgettext("complaint_kind", "Complaint"),
        "appeal": pgettext("complaint_kind", "Appeal"),
        "suggestion": pgettext("complaint_kind", "Suggestion"),
    }


def _category() -> dict[str, str]:
    return {
        "penalty_calculation": pgettext("category", "Penalty calculation"),
        "staff_conduct": pgettext("category", "Staff conduct"),
        "restructuring": pgettext("category", "Restructuring"),
        "information": pgettext("category", "Information"),
        "collection": pgettext("category", "Collection"),
        "other": pgettext("category", "Other"),
        "uncategorised": pgettext("category", "Uncategorised"),
    }


def _complaint_outcome() -> dict[str, str]:
    return {
        "upheld": pgettext("complaint_outcome", "Upheld"),
        "partly_upheld": pgettext("complaint_outcome", "Partly upheld"),
        "not_upheld": pgettext("complaint_outcome", "Not upheld"),
    }


def _complaint_status() -> dict[str, str]:
    return {
        "registered": pgettext("complaint_status", "Registered"),
        "in_progress": pgettext("complaint_status", "In progress"),
        "answer_drafted": pgettext("complaint_status", "Answer drafted"),
        "legal_reviewed": pgettext("complaint_status", "Legally reviewed"),
        "answered": pgettext("complaint_status", "Answered"),
        "closed": pgettext("complaint_status", "Closed"),
        "refused_on_merits": pgettext("complaint_status", "Refused on the merits"),
        "withdrawn": pgettext("complaint_status", "Withdrawn"),
    }


def _complaint_event() -> dict[str, str]:
    return {
        "registered": pgettext("complaint_event", "Registered"),
        "assigned": pgettext("complaint_event", "Assigned"),
        "information_requested": pgettext("complaint_event", "Information requested"),
        "extended": pgettext("complaint_event", "Extended"),
        "answer_drafted": pgettext("complaint_event", "Answer drafted"),
        "legal_reviewed": pgettext("complaint_event", "Legally reviewed"),
        "legal_review_returned": pgettext("complaint_event", "Returned by the lawyer"),
        "answered": pgettext("complaint_event", "Signed and sent"),
        "closed": pgettext("complaint_event", "Closed"),
        "refused_on_merits": pgettext("complaint_event", "Refused on the merits"),
        "withdrawn": pgettext("complaint_event", "Withdrawn"),
        "deadline_breached": pgettext("complaint_event", "Answer deadline breached"),
        "extension_notice_late": pgettext("complaint_event", "Extension notice late"),
    }


_TABLES: dict[str, Callable[[], dict[str, str]]] = {
    "role": _role,
    "status": _status,
    "reason": _reason,
    "refusal_reason": _refusal_reason,
    "outcome": _outcome,
    "plan": _plan,
    "event": _event,
    "channel": _channel,
    "report_outcome": _report_outcome,
    "notice_status": _notice_status,
    "complaint_kind": _complaint_kind,
    "category": _category,
    "complaint_outcome": _complaint_outcome,
    "complaint_status": _complaint_status,
    "complaint_event": _complaint_event,
}


def code_name(kind: str, code: object) -> str:
    """The name of ``code`` (of ``kind``: ``status``, ``reason``, ``channel``...) in the page's language."""
    if code is None or code == "":
        return "—"
    table = _TABLES.get(kind)
    name = table().get(str(code)) if table else None
    return name if name is not None else str(code).replace("_", " ")
