"""The deadline sweeper (SPEC §6): lapses unanswered counter-offers and records decision-deadline breaches.

Idempotent (a second run the same day changes nothing) and safe on several instances at once: rows are claimed
in small batches with ``FOR UPDATE SKIP LOCKED`` on PostgreSQL, each batch in its own transaction.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import Select, select

from restructure import workflow as wf
from restructure.applications import record_event, transition
from restructure.orm import Application
from restructure.uow import UnitOfWork

BATCH = 100


@dataclass
class SweepReport:
    """What one run changed: application ids per kind of change."""

    lapsed: list[int] = field(default_factory=list)
    breaches: list[int] = field(default_factory=list)
    delinquency_late: list[int] = field(default_factory=list)  # loan ids: notice not sent by day 10

    def lines(self) -> list[str]:
        def line(label: str, ids: list[int]) -> str:
            return f"{label}: {len(ids)}" + (f" ({', '.join(map(str, ids))})" if ids else "")

        return [
            line("lapsed counter-offers", self.lapsed),
            line("decision deadlines breached", self.breaches),
            line("delinquency notices not sent by day 10 (loans)", self.delinquency_late),
        ]


def _claim(uow: UnitOfWork, query: Select[Application]) -> list[Application]:
    return list(uow.session.scalars(query.order_by(Application.id).limit(BATCH).with_for_update(skip_locked=True)))


def sweep(uow_factory: Callable[[], UnitOfWork], *, today: date, now: datetime) -> SweepReport:
    """Lapse counter-offers unanswered after their response date; flag undecided applications past their due date."""
    report = SweepReport()
    unanswered = select(Application).where(
        Application.status == wf.AWAITING_BORROWER, Application.response_due_on < today
    )
    while True:
        with uow_factory() as uow:
            batch = _claim(uow, unanswered)
            if not batch:
                break
            for app in batch:
                assert app.response_due_on is not None  # noqa: S101 - set on concurrence
                lapsed_on = wf.lapse_day(app.response_due_on)
                app.ombudsman_until = wf.ombudsman_until(lapsed_on)
                transition(
                    uow,
                    app,
                    wf.LAPSED,
                    "lapsed",
                    None,
                    {
                        "response_due_on": app.response_due_on.isoformat(),
                        "lapsed_on": lapsed_on.isoformat(),
                        "ombudsman_until": app.ombudsman_until.isoformat(),
                    },
                    today=today,
                    now=now,
                )
                app.closed_on = lapsed_on
                report.lapsed.append(app.id)
            uow.commit()
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
                record_event(
                    uow,
                    app,
                    "deadline_breached",
                    None,
                    app.status,
                    {
                        "decision_due_on": app.decision_due_on.isoformat(),
                        "days_late": (today - app.decision_due_on).days,
                    },
                    today=today,
                    now=now,
                )
                report.breaches.append(app.id)
            uow.commit()
    from restructure.delinquency import unsent_late

    report.delinquency_late = unsent_late(uow_factory, today=today)
    return report
