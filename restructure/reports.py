"""The client-rights officer's quarterly report (SPEC §7; policy p.77, p.79): intake, timeliness, breaches,
mandatory approvals, relief granted and refusals open to the microfinance ombudsman, every figure with the ids of
the applications behind it.

Отчётность ДЛПК (должностное лицо по правам клиента): the officer reports at least quarterly on how applications
were handled. Every figure is as at ``as_of`` — the last day of the quarter, or today while the quarter runs — so a
report on a past quarter reads the same whenever it is produced: states after ``as_of`` are ignored.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from sqlalchemy import and_, or_, select

from restructure import workflow as wf
from restructure.decisions import decision_of
from restructure.errors import InvalidInput
from restructure.orm import Application, ApplicationEvent, Loan
from restructure.uow import UnitOfWork
from rules.delinquency import in_statutory_window

CENTS = Decimal("0.01")
SHARE = Decimal("0.0001")
TENTH = Decimal("0.1")

OUTCOMES = ("agreed", "counter_offer_accepted", "declined", "lapsed", "refused", "withdrawn", "open")
REFUSAL_KINDS = ("refused", "declined", "lapsed")
LATE_DECISION = "late_decision"
OVERDUE_UNDECIDED = "overdue_undecided"
_DECIDING = frozenset(s for s in wf.UNDECIDED if wf.clock_running(s))

DEFINITIONS = {
    "as_of": "Figures are as at the end of as_of: the quarter's last day, or today while the quarter runs. "
    "An application's state on that day is its state after the last event recorded on or before it.",
    "intake": "Applications received in the quarter: start ≤ received_on ≤ as_of. by_channel and by_outcome "
    "split them; by_reason counts an application once under each hardship reason code it cites, so its counts "
    "may add up to more than the total.",
    "outcome": "An intake application's state at as_of: agreed (the borrower's request accepted), "
    "counter_offer_accepted, declined (a counter-offer the borrower declined), lapsed (a counter-offer left "
    "unanswered), refused (refused by the lender), withdrawn, or open (not final at as_of).",
    "decided": "Applications whose decision took effect in the quarter: the rights officer concurred "
    "(approved_on, the decision date) between start and as_of, whenever they were received.",
    "timely": "A decided application whose decision date is on or before its decision_due_on (received_on + 15 "
    "days, or 15 days after requested documents arrived). timely_share = timely / decided, 4 places, "
    "half up; null when nothing was decided.",
    "median_days_to_decision": "The median of approved_on − received_on in calendar days over the decided "
    "applications (the mean of the two middle values for an even count), one place; null when none.",
    "breaches": "late_decision: a decided application decided after its decision_due_on (days_late = "
    "approved_on − decision_due_on). overdue_undecided: an application, received at any time, still undecided at "
    "as_of, its clock running (not awaiting documents) and its decision_due_on before as_of (days_late = as_of − "
    "decision_due_on).",
    "mandatory": "Intake applications to which R-MANDATORY applied (the lender must agree), by outcome.",
    "relief": "Applications agreed in the quarter: status agreed with the agreement date (closed_on: the "
    "concurrence, or the borrower's acceptance of a counter-offer) between start and as_of. payment_reduction = "
    "the loan's scheduled_payment − the agreed plan's max_regular_payment (negative when the plan's largest "
    "regular instalment is higher); the average is the total over the count, half up to the tiyn. forgiven = the "
    "plan's totals.forgiven; the forgiven figure lists the applications with a positive amount.",
    "refusals": "Refusals that took effect in the quarter (closed_on between start and as_of): refused by the "
    "lender, a counter-offer declined, or a counter-offer lapsed (on the day after response_due_on). The borrower "
    "may go to the microfinance ombudsman until ombudsman_until (the refusal day + 15); within_ombudsman_window "
    "counts those with ombudsman_until on or after as_of.",
    "money": "Tenge, decimal strings with two places, computed exactly; shares are decimal strings with 4 places.",
}


@dataclass(frozen=True)
class Period:
    """A calendar quarter and the day its figures are taken at."""

    year: int
    quarter: int
    start: date
    end: date
    as_of: date


def period(year: int, quarter: int, today: date) -> Period:
    """The quarter's bounds; a quarter that has not started yet has nothing to report (422)."""
    if not 1 <= quarter <= 4:
        raise InvalidInput("A quarter is 1 to 4.", {"quarter": ["Must be 1, 2, 3 or 4."]})
    if not 1 <= year <= 9999:
        raise InvalidInput("The year is out of range.", {"year": ["Must be a calendar year."]})
    start = date(year, 3 * quarter - 2, 1)
    end = date(year, 12, 31) if quarter == 4 else date(year, 3 * quarter + 1, 1) - timedelta(days=1)
    if start > today:
        raise InvalidInput(
            f"Q{quarter} {year} has not started yet (it starts on {start}; today is {today}).",
            {"quarter": ["The quarter has not started yet."]},
        )
    return Period(year=year, quarter=quarter, start=start, end=end, as_of=min(end, today))


def _figure(ids: Iterable[int]) -> dict[str, Any]:
    ordered = sorted(set(ids))
    return {"count": len(ordered), "ids": ordered}


def _money(value: Decimal) -> Decimal:
    return value.quantize(CENTS, rounding=ROUND_HALF_UP)


def _median(values: Sequence[int]) -> Decimal | None:
    if not values:
        return None
    ordered = sorted(values)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return Decimal(ordered[middle]).quantize(TENTH)
    return (Decimal(ordered[middle - 1] + ordered[middle]) / 2).quantize(TENTH)


def _state_at(app: Application, events: Sequence[ApplicationEvent], as_of: date) -> tuple[str, date]:
    """The status and decision due date at the end of ``as_of``, from the trail (events up to that day)."""
    if app.status in wf.FINAL and app.closed_on is not None and app.closed_on <= as_of:
        return app.status, app.decision_due_on
    status, due = wf.RECEIVED, wf.decision_due_on(app.received_on, wf.periods(app.received_on))
    for event in events:
        if event.to_status in wf.FINAL:  # final later than as_of (a lapse is dated by its lapse day)
            break
        status = event.to_status
        if "decision_due_on" in event.payload:
            due = date.fromisoformat(event.payload["decision_due_on"])
    return status, due


def _outcome(app: Application, status: str) -> str:
    if status == wf.AGREED:
        # SPEC §8: a declined or lapsed counter-offer to a mandatory request puts the request itself in effect
        requested = decision_of(app.decision).requested_in_effect
        return "agreed" if app.decision_outcome == "accept" or requested else "counter_offer_accepted"
    if status == wf.REFUSED:
        return "refused" if app.decision_outcome == "refuse" else "declined"
    if status in (wf.LAPSED, wf.WITHDRAWN):
        return status
    return "open"


def _split(apps: Iterable[Application], key: Mapping[int, str], names: Sequence[str]) -> dict[str, Any]:
    groups: dict[str, list[int]] = {name: [] for name in names}
    for app in apps:
        groups[key[app.id]].append(app.id)
    return {name: _figure(ids) for name, ids in groups.items()}


def _in(day: date | None, p: Period) -> bool:
    return day is not None and p.start <= day <= p.as_of


@dataclass(frozen=True)
class _Quarter:
    """The applications a quarter's report concerns, with each one's state and outcome as of the report's day."""

    period: Period
    apps: list[Application]
    scheduled: dict[int, Decimal]
    state: dict[int, tuple[str, date]]
    outcome: dict[int, str]

    intake: list[Application]
    decided: list[Application]
    late: list[Application]
    overdue: list[Application]
    days_to_decision: dict[int, int]
    timely_ids: list[int]


def _load(uow: UnitOfWork, p: Period) -> _Quarter:
    # every figure concerns an application received by as_of that was not final before the quarter began
    relevant = and_(
        Application.received_on <= p.as_of,
        or_(Application.status.not_in(wf.FINAL), Application.closed_on >= p.start),
    )
    with uow:
        rows = uow.session.execute(
            select(Application, Loan.scheduled_payment)
            .join(Loan, Loan.id == Application.loan_id)
            .where(relevant)
            .order_by(Application.id)
        ).all()
        trail = uow.session.scalars(
            select(ApplicationEvent)
            .join(Application, Application.id == ApplicationEvent.application_id)
            .where(relevant, ApplicationEvent.business_date <= p.as_of)
            .order_by(ApplicationEvent.application_id, ApplicationEvent.seq)
        ).all()
    events: dict[int, list[ApplicationEvent]] = {}
    for event in trail:
        events.setdefault(event.application_id, []).append(event)
    apps = [row[0] for row in rows]
    state = {app.id: _state_at(app, events.get(app.id, []), p.as_of) for app in apps}
    outcome = {app.id: _outcome(app, state[app.id][0]) for app in apps}
    decided = [a for a in apps if _in(a.approved_on, p)]
    late = [a for a in decided if a.approved_on is not None and a.approved_on > a.decision_due_on]
    late_ids = {a.id for a in late}
    return _Quarter(
        period=p,
        apps=apps,
        scheduled={row[0].id: Decimal(row[1]) for row in rows},
        state=state,
        outcome=outcome,
        intake=[a for a in apps if p.start <= a.received_on],
        decided=decided,
        late=late,
        overdue=[a for a in apps if state[a.id][0] in _DECIDING and state[a.id][1] < p.as_of],
        days_to_decision={a.id: (a.approved_on - a.received_on).days for a in decided if a.approved_on is not None},
        timely_ids=[a.id for a in decided if a.id not in late_ids],
    )


def quarterly(uow: UnitOfWork, *, year: int, quarter: int, today: date) -> dict[str, Any]:
    """The report for ``quarter`` of ``year`` as at min(quarter end, ``today``); see ``DEFINITIONS``."""
    p = period(year, quarter, today)
    q = _load(uow, p)
    return {
        "period": {
            "year": p.year,
            "quarter": p.quarter,
            "start": p.start,
            "end": p.end,
            "as_of": p.as_of,
            "complete": p.as_of == p.end,
        },
        "generated_on": today,
        "definitions": dict(DEFINITIONS),
        "intake": _intake(q),
        "decisions": _decisions(q),
        "breaches": _breaches(q),
        "mandatory": _mandatory(q),
        "relief": _relief(q),
        "refusals": _refusals(q),
    }


def _intake(q: _Quarter) -> dict[str, Any]:
    intake = q.intake
    return {
        "total": _figure(a.id for a in intake),
        "by_channel": {channel: _figure(a.id for a in intake if a.channel == channel) for channel in wf.CHANNELS},
        "by_reason": {reason: _figure(a.id for a in intake if reason in a.reasons) for reason in wf.HARDSHIP_REASONS},
        "by_outcome": _split(intake, q.outcome, OUTCOMES),
        "outside_statutory_window": _figure(
            a.id for a in intake if in_statutory_window(a.overdue_since, a.received_on) is False
        ),
    }


def _decisions(q: _Quarter) -> dict[str, Any]:
    decided = q.decided
    share = None
    if decided:
        share = (Decimal(len(q.timely_ids)) / Decimal(len(decided))).quantize(SHARE, rounding=ROUND_HALF_UP)
    return {
        "decided": _figure(a.id for a in decided),
        "timely": _figure(q.timely_ids),
        "late": _figure(a.id for a in q.late),
        "timely_share": share,
        "median_days_to_decision": _median(list(q.days_to_decision.values())),
        "items": [
            {
                "application_id": a.id,
                "received_on": a.received_on,
                "decision_due_on": a.decision_due_on,
                "decided_on": a.approved_on,
                "days_to_decision": q.days_to_decision[a.id],
                "timely": a.id in q.timely_ids,
            }
            for a in decided
        ],
    }


def _breaches(q: _Quarter) -> dict[str, Any]:
    p = q.period
    breaches: list[dict[str, Any]] = [
        {
            "application_id": a.id,
            "kind": LATE_DECISION,
            "received_on": a.received_on,
            "decision_due_on": a.decision_due_on,
            "decided_on": a.approved_on,
            "days_late": q.days_to_decision[a.id] - (a.decision_due_on - a.received_on).days,
        }
        for a in q.late
    ] + [
        {
            "application_id": a.id,
            "kind": OVERDUE_UNDECIDED,
            "received_on": a.received_on,
            "decision_due_on": q.state[a.id][1],
            "decided_on": None,
            "days_late": (p.as_of - q.state[a.id][1]).days,
        }
        for a in q.overdue
    ]
    breaches.sort(key=lambda b: (b["application_id"], b["kind"]))
    return {
        "total": _figure(b["application_id"] for b in breaches),
        "late_decisions": _figure(a.id for a in q.late),
        "overdue_undecided": _figure(a.id for a in q.overdue),
        "items": breaches,
    }


def _mandatory(q: _Quarter) -> dict[str, Any]:
    mandatory = [a for a in q.intake if a.mandatory]
    return {"total": _figure(a.id for a in mandatory), "by_outcome": _split(mandatory, q.outcome, OUTCOMES)}


def _relief(q: _Quarter) -> dict[str, Any]:
    agreed = [a for a in q.apps if a.status == wf.AGREED and _in(a.closed_on, q.period)]
    items: list[dict[str, Any]] = []
    for a in agreed:
        plan = decision_of(a.decision).plan or {}
        max_regular = Decimal(plan["metrics"]["max_regular_payment"])
        items.append(
            {
                "application_id": a.id,
                "loan_id": a.loan_id,
                "outcome": q.outcome[a.id],
                "agreed_on": a.closed_on,
                "scheduled_payment": _money(q.scheduled[a.id]),
                "max_regular_payment": _money(max_regular),
                "payment_reduction": _money(q.scheduled[a.id] - max_regular),
                "forgiven": _money(Decimal(plan["totals"]["forgiven"])),
            }
        )
    reduction_total = sum((i["payment_reduction"] for i in items), Decimal("0.00"))
    return {
        "agreed": _figure(a.id for a in agreed),
        "payment_reduction_total": reduction_total,
        "payment_reduction_average": _money(reduction_total / Decimal(len(agreed))) if agreed else None,
        "forgiven": _figure(i["application_id"] for i in items if i["forgiven"] > 0),
        "forgiven_total": sum((i["forgiven"] for i in items), Decimal("0.00")),
        "items": items,
    }


def _refusals(q: _Quarter) -> dict[str, Any]:
    p = q.period
    refused = [a for a in q.apps if a.status in (wf.REFUSED, wf.LAPSED) and _in(a.closed_on, p)]
    items: list[dict[str, Any]] = [
        {
            "application_id": a.id,
            "kind": q.outcome[a.id],
            "refused_on": a.closed_on,
            "ombudsman_until": a.ombudsman_until,
            # a paper refusal not yet delivered: the period has not started (SPEC §8)
            "within_window": a.ombudsman_until is None or a.ombudsman_until >= p.as_of,
        }
        for a in refused
    ]
    return {
        "total": _figure(a.id for a in refused),
        "by_kind": _split(refused, q.outcome, REFUSAL_KINDS),
        "within_ombudsman_window": _figure(i["application_id"] for i in items if i["within_window"]),
        "items": items,
    }
