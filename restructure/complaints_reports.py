"""The quarterly analysis of complaints (SPEC §9; ACF 8.1-8.4; client-rights policy p.77, p.79): counts by channel,
kind, category and outcome; timeliness; overdue and still open; extensions; refusals by reason; systemic categories;
complaints linked to restructuring applications. Every figure carries the complaint ids behind it."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import select

from restructure import complaints_workflow as cw
from restructure.complaints_orm import Complaint
from restructure.orm import Application
from restructure.reports import period
from restructure.uow import UnitOfWork
from rules import complaints as rules

DEFINITIONS = {
    "scope": "Complaints received in the quarter (received_on between from and as_of).",
    "answered_in_time": "Answered (signed) or refused on the merits on or before answer_due_on.",
    "answered_late": "Answered or refused after answer_due_on (recorded, never blocked).",
    "open": "Still awaiting an answer today.",
    "overdue_open": "Still awaiting an answer and past answer_due_on as of as_of.",
    "extensions": "Extended by the director (ACF 6.1).",
    "extension_notices_late": "The client was not told of the extension within 3 days (ACF 6.1).",
    "systemic": "A category recorded systemic_threshold or more times in the quarter (ACF 8.1, 8.4).",
    "linked_to_restructuring": "Complaints that name a restructuring application.",
}


def _figure(ids: Iterable[int]) -> dict[str, Any]:
    ordered = sorted(set(ids))
    return {"count": len(ordered), "ids": ordered}


def _by(items: list[Complaint], key: Callable[[Complaint], str | None]) -> dict[str, dict[str, Any]]:
    groups: dict[str, list[int]] = defaultdict(list)
    for c in items:
        value = key(c)
        if value is not None:
            groups[value].append(c.id)
    return {name: _figure(ids) for name, ids in sorted(groups.items())}


def quarterly_complaints(uow: UnitOfWork, *, year: int, quarter: int, today: Any) -> dict[str, Any]:
    """The analysis for ``quarter`` of ``year`` as at min(quarter end, ``today``)."""
    p = period(year, quarter, today)
    with uow:
        items = list(
            uow.session.scalars(
                select(Complaint)
                .where(Complaint.received_on >= p.start, Complaint.received_on <= p.as_of)
                .order_by(Complaint.id)
            )
        )
        linked_ids = {c.application_id for c in items if c.application_id}
        statuses = (
            dict(
                uow.session.execute(
                    select(Application.id, Application.status).where(Application.id.in_(linked_ids))
                ).all()
            )
            if linked_ids
            else {}
        )
    first = rules.all_complaint_rules()[0]
    ruleset = rules.complaint_rules_for(max(p.as_of, first.effective_from))
    decided = [c for c in items if c.timely is not None]
    systemic = rules.systemic_categories(ruleset, (c.category for c in items))
    linked = [c for c in items if c.application_id]
    return {
        "period": {"year": p.year, "quarter": p.quarter, "from": p.start, "to": p.end, "as_of": p.as_of},
        "total": _figure(c.id for c in items),
        "by_channel": _by(items, lambda c: c.channel),
        "by_kind": _by(items, lambda c: c.kind),
        "by_category": _by(items, lambda c: c.category or "uncategorised"),
        "by_status": _by(items, lambda c: c.status),
        "by_outcome": _by(items, lambda c: c.outcome if c.status in (cw.ANSWERED, cw.CLOSED) else None),
        "answered_in_time": _figure(c.id for c in decided if c.timely),
        "answered_late": _figure(c.id for c in decided if not c.timely),
        "open": _figure(c.id for c in items if cw.clock_running(c.status)),
        "overdue_open": _figure(c.id for c in items if cw.overdue(c.status, c.answer_due_on, p.as_of)),
        "extensions": _figure(c.id for c in items if c.extension),
        "extension_notices_late": _figure(c.id for c in items if c.notice_late_recorded_on is not None),
        "forwarding_late": _figure(c.id for c in items if c.forwarding_late),
        "forwarded_to_authorities": _figure(c.id for c in items if c.forwarded_to_authorities),
        "refusals_by_reason": _by(items, lambda c: c.refusal_reason),
        "systemic": {
            "threshold": ruleset.systemic_threshold,
            "citation": ruleset.cite("systemic_threshold"),
            "categories": {name: _figure(c.id for c in items if c.category == name) for name in systemic},
        },
        "linked_to_restructuring": {
            **_figure(c.id for c in linked),
            "items": [
                {
                    "complaint_id": c.id,
                    "application_id": c.application_id,
                    "application_status": statuses.get(c.application_id or 0),
                }
                for c in linked
            ],
        },
        "rule_set": ruleset.id,
        "definitions": DEFINITIONS,
    }
