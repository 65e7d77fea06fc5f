"""The life of a complaint (SPEC §9; ACF 5, 6; client-rights policy p.51-62): states and allowed transitions.
Pure: the clocks' periods come from ``rules.complaints``.

``registered`` → ``in_progress`` (a unit and a handler) → ``answer_drafted`` → ``legal_reviewed`` (a lawyer) →
``answered`` (signed by the director) → ``closed``; or ``refused_on_merits``; or ``withdrawn`` by the client.
"""

from __future__ import annotations

from datetime import date

from restructure.actions import Actions

REGISTERED = "registered"
IN_PROGRESS = "in_progress"
ANSWER_DRAFTED = "answer_drafted"
LEGAL_REVIEWED = "legal_reviewed"
ANSWERED = "answered"
CLOSED = "closed"
REFUSED_ON_MERITS = "refused_on_merits"
WITHDRAWN = "withdrawn"

STATUSES = (
    REGISTERED,
    IN_PROGRESS,
    ANSWER_DRAFTED,
    LEGAL_REVIEWED,
    ANSWERED,
    CLOSED,
    REFUSED_ON_MERITS,
    WITHDRAWN,
)
FINAL = frozenset({CLOSED, REFUSED_ON_MERITS, WITHDRAWN})
AWAITING_ANSWER = (REGISTERED, IN_PROGRESS, ANSWER_DRAFTED, LEGAL_REVIEWED)
"""The lender owes the client an answer: the clock runs."""

KINDS = ("complaint", "appeal", "suggestion")
OUTCOMES = ("upheld", "partly_upheld", "not_upheld")
STAFF_CHANNELS = (
    "office",
    "post",
    "email",
    "phone",
    "short_number",
    "website",
    "messenger",
    "social",
    "complaints_book",
)
CHANNELS = ("cabinet", *STAFF_CHANNELS)
LANGUAGES = ("kk", "ru", "en")

ACTIONS = Actions(
    "a complaint",
    {
        "assign": ("assign", {REGISTERED, IN_PROGRESS}),
        "request_information": ("request information for", {IN_PROGRESS}),
        "extend": ("extend", AWAITING_ANSWER),
        "draft": ("draft an answer to", {IN_PROGRESS}),
        "review": ("review the answer to", {ANSWER_DRAFTED}),
        "sign": ("sign the answer to", {LEGAL_REVIEWED}),
        "close": ("close", {ANSWERED}),
        "refuse": ("refuse on the merits", {REGISTERED, IN_PROGRESS}),
        "withdraw": ("withdraw", AWAITING_ANSWER),
    },
)
ALLOWED = ACTIONS.allowed
ensure_allowed = ACTIONS.ensure_allowed


def clock_running(status: str) -> bool:
    return status in AWAITING_ANSWER


def days_left(status: str, due: date, today: date) -> int | None:
    """Days to the answer's due date (negative when overdue); ``None`` once answered, refused or withdrawn."""
    return (due - today).days if clock_running(status) else None


def overdue(status: str, due: date, today: date) -> bool:
    """The lender still owes an answer and its due date has passed."""
    return clock_running(status) and today > due
