"""The life of a hardship application (SPEC §6; LMF Art. 9-2 p.3-4; policy p.66-76): states, allowed
transitions and the legal clocks. Pure: dates come in as parameters.

``received`` → (``awaiting_documents`` ↔ ``under_review``) → ``decision_proposed`` → ``agreed`` |
``awaiting_borrower`` (counter-offer) | ``refused``; also ``withdrawn`` and ``lapsed`` (an unanswered counter-offer,
treated as a refusal). All periods are calendar days: a period of N days from D ends on D + N.
"""

from __future__ import annotations

from datetime import date, timedelta

from restructure.actions import Actions
from restructure.errors import InvalidInput
from rules.errors import NoRuleSetInForce
from rules.ruleset import Periods
from rules.ruleset import periods_for as _periods_for

RECEIVED = "received"
AWAITING_DOCUMENTS = "awaiting_documents"
UNDER_REVIEW = "under_review"
DECISION_PROPOSED = "decision_proposed"
AGREED = "agreed"
AWAITING_BORROWER = "awaiting_borrower"
REFUSED = "refused"
WITHDRAWN = "withdrawn"
LAPSED = "lapsed"

STATUSES = (
    RECEIVED, AWAITING_DOCUMENTS, UNDER_REVIEW, DECISION_PROPOSED, AGREED, AWAITING_BORROWER, REFUSED, WITHDRAWN,
    LAPSED,
)
FINAL = frozenset({AGREED, REFUSED, WITHDRAWN, LAPSED})
UNDECIDED = frozenset({RECEIVED, AWAITING_DOCUMENTS, UNDER_REVIEW, DECISION_PROPOSED})
"""The lender has not yet answered: the 15-day clock runs (except while awaiting documents)."""

# The 15/30/15-day periods live in the rule sets (rules/rulesets.json, ``periods``), chosen by received_on.

CHANNELS = ("cabinet", "office", "post", "email", "phone")
HARDSHIP_REASONS = (
    "income_loss", "job_loss", "illness", "disability", "death_in_family", "emergency", "military_service", "other",
)
REFUSAL_REASONS = (
    "documents_not_provided", "no_hardship_shown", "affordable_without_change", "plan_not_feasible", "other",
)
OUTCOMES = ("accept", "counter_offer", "refuse")
OUTCOME_STATUS = {"accept": AGREED, "counter_offer": AWAITING_BORROWER, "refuse": REFUSED}

ACTIONS = Actions(
    "an application",
    {
        # a second request only while awaiting documents (an incomplete answer; SPEC §8), checked in the service
        "request_documents": ("request documents for", {RECEIVED, UNDER_REVIEW, AWAITING_DOCUMENTS}),
        "receive_documents": ("record documents for", {AWAITING_DOCUMENTS}),
        "propose": ("propose a decision on", {RECEIVED, UNDER_REVIEW, AWAITING_DOCUMENTS}),
        "approve": ("concur with the decision on", {DECISION_PROPOSED}),
        "return": ("return the decision on", {DECISION_PROPOSED}),
        "respond": ("answer a counter-offer on", {AWAITING_BORROWER}),
        "extend": ("extend the response period of", {AWAITING_BORROWER}),
        "withdraw": ("withdraw", set(STATUSES) - FINAL),
        "lapse": ("lapse", {AWAITING_BORROWER}),
    },
)
ALLOWED = ACTIONS.allowed
ensure_allowed = ACTIONS.ensure_allowed


def plus_days(day: date, days: int) -> date:
    """A period of ``days`` calendar days starting on ``day`` ends on ``day + days``."""
    return day + timedelta(days=days)


def periods(received_on: date) -> Periods:
    """The legal periods of the rule set in force on ``received_on``; none in force is a 422 naming it."""
    try:
        return _periods_for(received_on)
    except NoRuleSetInForce as exc:
        raise InvalidInput("No rule set was in force then.", {"received_on": [str(exc)]}) from exc


def decision_due_on(received_on: date, rules: Periods) -> date:
    """LMF Art. 9-2 p.3: within 15 calendar days after the day of receipt (or of the requested documents)."""
    return plus_days(received_on, rules.decision_days)


def response_due_on(delivered_on: date, rules: Periods) -> date:
    """LMF Art. 9-2 p.3: the borrower answers a counter-offer within 30 calendar days of receiving it."""
    return plus_days(delivered_on, rules.response_days)


def ombudsman_until(refusal_received_on: date, rules: Periods) -> date:
    """LMF Art. 9-2 p.4: the borrower may go to the microfinance ombudsman within 15 calendar days of receiving
    the refusal (the day of the decline; after a lapse, counted from the last day to answer: SPEC §8)."""
    return plus_days(refusal_received_on, rules.ombudsman_days)


def lapse_day(response_due: date) -> date:
    """An unanswered counter-offer lapses on the day after its response period ends."""
    return plus_days(response_due, 1)


def suspended(status: str) -> bool:
    """A document request stops the decision clock (policy p.68, p.72, p.75)."""
    return status == AWAITING_DOCUMENTS


def clock_running(status: str) -> bool:
    """The 15-day clock runs while the lender owes an answer and is not waiting for documents."""
    return status in UNDECIDED and not suspended(status)


def days_left(status: str, due: date, today: date) -> int | None:
    """Days to the decision due date (negative when overdue); ``None`` once decided, or while suspended."""
    return (due - today).days if clock_running(status) else None


def overdue(status: str, due: date, today: date) -> bool:
    """The lender owes an answer and its due date has passed."""
    return clock_running(status) and today > due


def is_open(status: str) -> bool:
    """Not in a final state: the loan carries the no-acceleration flag (LMF Art. 9-2 p.3)."""
    return status not in FINAL
