"""The deadline sweeper (SPEC §6): lapses unanswered counter-offers and records decision-deadline breaches.

Idempotent (a second run the same day changes nothing) and safe on several instances at once: rows are claimed
in small batches with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, each batch in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select

from restructure import decisions
from restructure import workflow as wf
from restructure.agreement import agree_requested
from restructure.application_events import record_event, transition
from restructure.complaints_deadlines import sweep_complaints
from restructure.errors import RuleViolation, StaleSnapshot
from restructure.orm import Application
from restructure.uow import UnitOfWork

BATCH = 100


@dataclass
class SweepReport:
    """What one run changed: application ids per kind of change."""

    lapsed: list[int] = field(default_factory=list)
    breaches: list[int] = field(default_factory=list)
    requested_agreed: list[int] = field(default_factory=list)
    """Lapsed counter-offers to mandatory requests: the requested plan took effect (SPEC §8)."""
    waiting_for_snapshot: list[int] = field(default_factory=list)
    """Mandatory lapses left for the next run: the loan snapshot is stale or the rebuilt plan is not lawful."""
    more: list[str] = field(default_factory=list)  # lines from the other registers' sweeps (complaints)
    delinquency_late: list[int] = field(default_factory=list)  # loan ids: notice not sent by day 10

    def lines(self) -> list[str]:
        def line(label: str, ids: list[int]) -> str:
            return f"{label}: {len(ids)}" + (f" ({', '.join(map(str, ids))})" if ids else "")

        return [
            line("lapsed counter-offers", self.lapsed),
            line("requested plans agreed after a lapse (mandatory)", self.requested_agreed),
            line("mandatory lapses waiting for a fresh snapshot", self.waiting_for_snapshot),
            line("decision deadlines breached", self.breaches),
            line("delinquency notices not sent by day 10 (loans)", self.delinquency_late),
            *self.more,
        ]


def _claim(uow: UnitOfWork, query: Select[Application]) -> list[Application]:
    return list(uow.session.scalars(query.order_by(Application.id).limit(BATCH).with_for_update(skip_locked=True)))


def sweep(uow_factory: Callable[[], UnitOfWork], *, today: date, now: datetime) -> SweepReport:
    """Lapse counter-offers unanswered after their response date; flag undecided applications past their due date.

    A counter-offer whose period has not started (a paper application, delivery not yet recorded) never lapses.
    A lapsed counter-offer to a mandatory request puts the requested plan in effect on the lapse day (SPEC §8).
    """
    report = SweepReport()
    _lapse(uow_factory, report, today=today, now=now)
    _breaches(uow_factory, report, today=today, now=now)
    report.more.extend(sweep_complaints(uow_factory, today=today, now=now).lines())
    from restructure.delinquency import unsent_late

    report.delinquency_late = unsent_late(uow_factory, today=today)
    return report


def _lapse(uow_factory: Callable[[], UnitOfWork], report: SweepReport, *, today: date, now: datetime) -> None:
    """Counter-offers unanswered after their response date lapse, claimed in batches (each batch one transaction)."""
    while True:
        unanswered = select(Application).where(
            Application.status == wf.AWAITING_BORROWER,
            Application.response_due_on.is_not(None),
            Application.response_due_on < today,
            Application.id.not_in(report.waiting_for_snapshot),
        )
        with uow_factory() as uow:
            batch = _claim(uow, unanswered)
            if not batch:
                break
            for app in batch:
                _lapse_one(uow, app, report, today=today, now=now)
            uow.commit()


def _lapse_one(uow: UnitOfWork, app: Application, report: SweepReport, *, today: date, now: datetime) -> None:
    assert app.response_due_on is not None  # noqa: S101 - filtered by the query
    lapsed_on = wf.lapse_day(app.response_due_on)
    if app.mandatory:
        try:  # agree_requested checks and rebuilds before it changes anything
            agree_requested(uow, app, None, on=lapsed_on, basis=decisions.REQUESTED_AFTER_LAPSE, today=today, now=now)
        except (StaleSnapshot, RuleViolation):
            report.waiting_for_snapshot.append(app.id)
            return
        report.requested_agreed.append(app.id)
        return
    # SPEC §8: after a lapse the ombudsman's 15 days count from the last day to answer
    app.ombudsman_until = wf.ombudsman_until(app.response_due_on, wf.periods(app.received_on))
    payload = {
        "response_due_on": app.response_due_on.isoformat(),
        "lapsed_on": lapsed_on.isoformat(),
        "ombudsman_until": app.ombudsman_until.isoformat(),
    }
    transition(uow, app, wf.LAPSED, "lapsed", None, payload, today=today, now=now)
    app.closed_on = lapsed_on
    report.lapsed.append(app.id)


def _breaches(uow_factory: Callable[[], UnitOfWork], report: SweepReport, *, today: date, now: datetime) -> None:
    """Undecided applications past their due date get one breach event each."""
    running = [s for s in wf.UNDECIDED if wf.clock_running(s)]
    late = select(Application).where(
        Application.status.in_(running), Application.decision_due_on < today, Application.breach_recorded_on.is_(None)
    )
    while True:
        with uow_factory() as uow:
            batch = _claim(uow, late)
            if not batch:
                break
            for app in batch:
                app.breach_recorded_on = today
                app.updated_at = now
                payload = {
                    "decision_due_on": app.decision_due_on.isoformat(),
                    "days_late": (today - app.decision_due_on).days,
                }
                record_event(uow, app, "deadline_breached", None, app.status, payload, today=today, now=now)
                report.breaches.append(app.id)
            uow.commit()
