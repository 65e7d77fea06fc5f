"""The name of every code a page shows, in the page's language: states, reasons, channels, outcomes, roles...

Each table is built at call time with literal ``pgettext`` calls (the context is the kind), so Babel extracts every
name into the one catalogue and the current request's locale picks the words. An unknown code is shown as words
(``new_code`` → ``new code``), never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from flask_babel import get_locale, gettext, pgettext


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
        "awaiting_borrower": pgettext("status", "Awaiting the borrower's answer"),
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
        "deadline_breached": pgettext("event", "Decision deadline breached"),
        "decision_delivered": pgettext("event", "Decision delivered"),
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


def _status_borrower() -> dict[str, str]:
    """The states a borrower reads about their own application (the rest as the staff read them)."""
    return {
        "awaiting_borrower": pgettext("status_borrower", "Your answer is awaited"),
    }


def _language() -> dict[str, str]:
    return {
        "kk": pgettext("language", "Kazakh"),
        "ru": pgettext("language", "Russian"),
        "en": pgettext("language", "English"),
    }


def _ground() -> dict[str, str]:
    """Why mandatory approval applies (rules/mandatory.py); ``vulnerable:<category>`` is named by its category."""
    return {
        "request:payment_cut": pgettext("ground", "A payment cut is requested"),
        "request:deferral": pgettext("ground", "A deferral is requested"),
        "income_drop": pgettext("ground", "Income dropped"),
        "targeted_social_assistance": pgettext("ground", "Targeted social assistance"),
        "emergency": pgettext("ground", "Emergency"),
        "military_service": pgettext("ground", "Military service"),
    }


def _vulnerable() -> dict[str, str]:
    """Socially vulnerable groups, Housing Law Art. 68 (rules/vulnerable.py)."""
    return {
        "wwii_veteran": pgettext("vulnerable", "WWII veteran"),
        "wwii_equated_veteran": pgettext("vulnerable", "Veteran equated to WWII veterans"),
        "combat_veteran": pgettext("vulnerable", "Combat veteran"),
        "disability_group_1_2": pgettext("vulnerable", "Disability of group 1 or 2"),
        "family_with_disabled_child": pgettext("vulnerable", "Family with a disabled child"),
        "severe_chronic_disease": pgettext("vulnerable", "Severe chronic disease"),
        "old_age_pensioner": pgettext("vulnerable", "Old-age pensioner"),
        "orphan_under_29": pgettext("vulnerable", "Orphan under 29"),
        "kandas": pgettext("vulnerable", "Kandas"),
        "lost_home_in_emergency": pgettext("vulnerable", "Lost their home in an emergency"),
        "large_family": pgettext("vulnerable", "Large family"),
        "family_of_deceased_in_duty": pgettext("vulnerable", "Family of a person who died on duty"),
        "single_parent_family": pgettext("vulnerable", "Single-parent family"),
        "widow_with_dependent_children": pgettext("vulnerable", "Widow with dependent children"),
    }


def _rule() -> dict[str, str]:
    """Rule ids (rules/ids.py, rules/complaints.py, rules/delinquency.py) and plan checks (schedules/batch.py)."""
    return {
        "R-INCOME-DROP": pgettext("rule", "Income drop"),
        "R-KDN": pgettext("rule", "Debt burden ratio (KDN)"),
        "R-MANDATORY": pgettext("rule", "Mandatory approval"),
        "R-CUT-50": pgettext("rule", "Payment cut of at least 50%"),
        "R-NO-WORSE": pgettext("rule", "Terms no worse for the borrower"),
        "R-NO-INTEREST-ON-ARREARS": pgettext("rule", "No interest on arrears"),
        "R-GESV-CAP": pgettext("rule", "GESV cap"),
        "R-PENALTY": pgettext("rule", "Penalty limits"),
        "R-NO-ACCELERATION": pgettext("rule", "No demand for early repayment"),
        "R-SHORT-LOAN-RATE": pgettext("rule", "Rate cap on short loans"),
        "R-MILITARY-SERVICE": pgettext("rule", "Deferral for military service"),
        "R-COLLECTION-AGENCY": pgettext("rule", "Transfer to a collection agency"),
        "R-COMPLAINT-ANSWER": pgettext("rule", "Complaint answer period"),
        "R-COMPLAINT-OUTSIDE-INFO": pgettext("rule", "Information from other units"),
        "R-COMPLAINT-EXTENSION": pgettext("rule", "Extension of the answer period"),
        "R-COMPLAINT-FORWARDING": pgettext("rule", "Forwarding by a branch"),
        "R-COMPLAINT-REFUSAL": pgettext("rule", "Refusal on the merits"),
        "R-COMPLAINT-SYSTEMIC": pgettext("rule", "Systemic complaints"),
        "R-DELINQUENCY-NOTICE": pgettext("rule", "Delinquency notice"),
        "E-DEFERRAL-INVALID": pgettext("rule", "Invalid deferral"),
        "E-EXTRA-MONTHS-INVALID": pgettext("rule", "Invalid term extension"),
        "E-FORGIVE-EXCEEDS": pgettext("rule", "Forgiveness exceeds the debt"),
        "E-FORGIVE-NEGATIVE": pgettext("rule", "Negative forgiveness"),
        "E-INPUT-INVALID": pgettext("rule", "Invalid input"),
        "E-INPUT-OUT-OF-RANGE": pgettext("rule", "Input out of range"),
        "E-PAYMENT-CUT-INFEASIBLE": pgettext("rule", "Payment cut not achievable"),
        "E-PAYMENT-CUT-INVALID": pgettext("rule", "Invalid payment cut"),
        "E-PAYMENT-DAY-INVALID": pgettext("rule", "Invalid payment day"),
        "E-RATE-NEGATIVE": pgettext("rule", "Negative rate"),
        "E-SETTLEMENT-EXCEEDS-COLLATERAL": pgettext("rule", "Settlement exceeds the collateral"),
        "E-SETTLEMENT-EXCEEDS-DEBT": pgettext("rule", "Settlement exceeds the debt"),
        "E-SETTLEMENT-NEGATIVE": pgettext("rule", "Negative settlement"),
        "E-TERM-EXCEEDS-MAX": pgettext("rule", "Term exceeds the maximum"),
        "E-TERM-INVALID": pgettext("rule", "Invalid term"),
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
    "status_borrower": _status_borrower,
    "language": _language,
    "rule": _rule,
    "ground": _ground,
    "vulnerable": _vulnerable,
}


def code_name(kind: str, code: object) -> str:
    """The name of ``code`` (of ``kind``: ``status``, ``reason``, ``channel``...) in the page's language."""
    if code is None or code == "":
        return "—"
    if kind == "ground" and str(code).startswith("vulnerable:"):
        return code_name("vulnerable", str(code).removeprefix("vulnerable:"))
    table = _TABLES.get(kind)
    name = table().get(str(code)) if table else None
    if name is None and kind in _FALLBACK:
        return code_name(_FALLBACK[kind], code)
    if name is None:
        return str(code) if kind == "rule" else str(code).replace("_", " ")
    return name


_FALLBACK = {"status_borrower": "status"}


def rule_name(rule: str) -> str:
    """``R-NO-WORSE`` → ``Terms no worse for the borrower (R-NO-WORSE)``: the name first, the id for reference."""
    name = code_name("rule", rule)
    return rule if name == rule else f"{name} ({rule})"


def rule_ids() -> tuple[str, ...]:
    return tuple(_rule())


def all_codes() -> set[str]:
    """Every code the tables name (for the test that no page shows one raw)."""
    codes = {code for kind, table in _TABLES.items() if kind not in ("rule", "language") for code in table()}
    return {part for code in codes for part in code.split(":")}


# --- citations: "LMF Art. 9-2 p.3; policy p.74" as the law's own title ------------------------------------------

_LMF = re.compile(
    r"^(?:LMF )?Art\. (?P<art>[\d-]+)(?: p\.(?P<p>[\d-]+))?(?: sub (?P<sub>[\d, -]+?))?(?P<rest> \(.*\))?$"
)
_LAW = re.compile(r"^\(Law (?P<number>\S+) of (?P<date>[\d.]+)\)$")
_POLICY = re.compile(r"^(?:client-rights )?policy (?P<points>p\.[\d, p.–-]+)$")
_NBRK = re.compile(r"^NBRK Res\. (?P<number>\d+)(?: of (?P<date>[\d.]+))?$")
_ARDFM = re.compile(r"^ARDFM Res\. (?P<number>[\d/]+)$")
_HOUSING = re.compile(r"^Housing Law Art\. (?P<art>[\d-]+)$")
_ACF = re.compile(r"^ACF (?P<clause>[\d., ]+?)(?P<rest> \(.*\))?$")


def _lmf(m: re.Match[str]) -> str:
    art, point, sub = m["art"], m["p"], m["sub"]
    if point and sub:
        text = gettext(
            "Law on Microfinance Activity, Art. %(article)s, p. %(point)s, sub. %(sub)s",
            article=art,
            point=point,
            sub=sub,
        )
    elif point:
        text = gettext("Law on Microfinance Activity, Art. %(article)s, p. %(point)s", article=art, point=point)
    else:
        text = gettext("Law on Microfinance Activity, Art. %(article)s", article=art)
    rest = (m["rest"] or "").strip()
    law = _LAW.match(rest)
    if law:
        return text + " " + gettext("(Law No. %(number)s of %(date)s)", number=law["number"], date=law["date"])
    if rest == "(loans of <=45 days and <=45 MRP)":
        return text + " " + gettext("(loans of up to 45 days and up to 45 MCI)")
    return f"{text} {rest}".strip()


def _part(part: str) -> str:
    if m := _LMF.match(part):
        return _lmf(m)
    if m := _POLICY.match(part):
        points = m["points"].replace("p.", "").replace(" ", "")
        return gettext("client-rights policy, p. %(points)s", points=points.replace(",", ", "))
    if m := _NBRK.match(part):
        if m["date"]:
            return gettext("NBRK Board Resolution No. %(number)s of %(date)s", number=m["number"], date=m["date"])
        return gettext("NBRK Board Resolution No. %(number)s", number=m["number"])
    if m := _ARDFM.match(part):
        return gettext("ARDFM Board Resolution No. %(number)s", number=m["number"])
    if m := _HOUSING.match(part):
        return gettext("Housing Relations Law, Art. %(article)s", article=m["art"])
    if m := _ACF.match(part):
        text = gettext(
            "complaints standard of the Association of Financiers, cl. %(clause)s", clause=m["clause"].strip()
        )
        rest = (m["rest"] or "").strip()
        known = {
            "(recurring or systemic problems)": gettext("(recurring or systemic problems)"),
            "(first point)": gettext("(first point)"),
            "(second point)": gettext("(second point)"),
            "(third point)": gettext("(third point)"),
        }
        return f"{text} {known.get(rest, rest)}".strip()
    known = {
        "joint ARDFM Res. 62 / NBRK Res. 45 of 2024": gettext(
            "joint ARDFM Resolution No. 62 and NBRK Resolution No. 45 of 2024"
        ),
        "joint ARDFM Res. 62 / NBRK Res. 45 of 2024 as amended in 2025": gettext(
            "joint ARDFM Resolution No. 62 and NBRK Resolution No. 45 of 2024, as amended in 2025"
        ),
        "the threshold of 3 a quarter is service policy": gettext(
            "the threshold of 3 a quarter is the service's policy"
        ),
    }
    if part.startswith("joint ARDFM Res. 62 / NBRK Res. 45 of 2024 as amended in 2025 "):
        head, _, rest = part.partition(" (")
        return known[head] + " " + gettext("(loans of up to 45 days and up to 45 MCI)")
    return known.get(part, part)


def citation_name(citation: str | None) -> str:
    """A rule's citation as the law's own title in the page's language; what is not recognised stays as it is.

    ``"R-INCOME-DROP: LMF Art. 9-2 p.3; policy p.74"`` → ru «Закон РК «О микрофинансовой деятельности», ст. 9-2,
    п. 3; политика защиты прав потребителей, п. 74». A rule id in front is dropped (the page names the rule).
    """
    if not citation:
        return "—"
    head, sep, rest = citation.partition(": ")
    if sep and re.fullmatch(r"[RE]-[A-Z0-9-]+", head):
        citation = rest
    source, _, explanation = citation.partition(": ")
    parts = [_part(part.strip()) for part in source.split("; ") if part.strip()]
    locale = get_locale()
    english = locale is None or locale.language == "en"
    return "; ".join(parts) + (f": {explanation}" if explanation and english else "")
