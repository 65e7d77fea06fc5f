"""The life of a hardship application (SPEC §6; LMF Art. 9-2 p.3-4; policy p.66-76): states, allowed
transitions and the legal clocks. Pure: dates come in as parameters.

``received`` → (``awaiting_documents`` ↔ ``under_review``) → ``decision_proposed`` → ``agreed`` |
``awaiting_borrower`` (counter-offer) | ``refused``; also ``withdrawn`` and ``lapsed`` (an unanswered counter-offer,
treated as a refusal). All periods are calendar days: a period of N days from D ends on D + N.
"""

from __future__ import annotations

from datetime import date, timedelta

from restructure.errors import Conflict

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

DECISION_DAYS = 15  # LMF Art. 9-2 p.3; policy p.68, p.72
RESPONSE_DAYS = 30  # LMF Art. 9-2 p.3: no agreement within 30 days of the counter-offer is a refusal
OMBUDSMAN_DAYS = 15  # LMF Art. 9-2 p.4

CHANNELS = ("cabinet", "office", "post", "email", "phone")
HARDSHIP_REASONS = (
    "income_loss", "job_loss", "illness", "disability", "death_in_family", "emergency", "military_service", "other",
)
REFUSAL_REASONS = (
    "documents_not_provided", "no_hardship_shown", "affordable_without_change", "plan_not_feasible", "other",
)
OUTCOMES = ("accept", "counter_offer", "refuse")
OUTCOME_STATUS = {"accept": AGREED, "counter_offer": AWAITING_BORROWER, "refuse": REFUSED}

ALLOWED: dict[str, frozenset[str]] = {
    "request_documents": frozenset({RECEIVED, UNDER_REVIEW}),
    "receive_documents": frozenset({AWAITING_DOCUMENTS}),
    "propose": frozenset({RECEIVED, UNDER_REVIEW, AWAITING_DOCUMENTS}),
    "approve": frozenset({DECISION_PROPOSED}),
    "return": frozenset({DECISION_PROPOSED}),
    "respond": frozenset({AWAITING_BORROWER}),
    "extend": frozenset({AWAITING_BORROWER}),
    "withdraw": frozenset(set(STATUSES) - FINAL),
    "lapse": frozenset({AWAITING_BORROWER}),
}

_VERBS = {
    "request_documents": "request documents for",
    "receive_documents": "record documents for",
    "propose": "propose a decision on",
    "approve": "concur with the decision on",
    "return": "return the decision on",
    "respond": "answer a counter-offer on",
    "extend": "extend the response period of",
    "withdraw": "withdraw",
    "lapse": "lapse",
}


def ensure_allowed(action: str, status: str) -> None:
    """Raise a conflict that names the current state when ``action`` is not allowed in it."""
    if status not in ALLOWED[action]:
        raise Conflict(
            f"Cannot {_VERBS[action]} an application in state '{status}'.",
            state=status,
        )


def plus_days(day: date, days: int) -> date:
    """A period of ``days`` calendar days starting on ``day`` ends on ``day + days``."""
    return day + timedelta(days=days)


def decision_due_on(received_on: date) -> date:
    """LMF Art. 9-2 p.3: within 15 calendar days after the day of receipt (or of the requested documents)."""
    return plus_days(received_on, DECISION_DAYS)


def response_due_on(decided_on: date) -> date:
    """LMF Art. 9-2 p.3: the borrower answers a counter-offer within 30 calendar days of the decision."""
    return plus_days(decided_on, RESPONSE_DAYS)


def ombudsman_until(refused_on: date) -> date:
    """LMF Art. 9-2 p.4: the borrower may go to the microfinance ombudsman within 15 calendar days."""
    return plus_days(refused_on, OMBUDSMAN_DAYS)


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
