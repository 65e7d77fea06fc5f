"""An application's append-only event trail, and the one way its status changes (SPEC §6).

The commands (``restructure/applications.py``), the deadline sweeper and delivery all write through here, so the
sweeper does not import the workflow's commands. Each call runs inside the caller's transaction: the status change
and its event commit together or not at all.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from restructure import workflow as wf
from restructure.access import Actor
from restructure.orm import Application, ApplicationEvent
from restructure.trails import append_event
from restructure.uow import UnitOfWork

# --- events --------------------------------------------------------------------------------------------------------


def record_event(
    uow: UnitOfWork,
    app: Application,
    kind: str,
    actor: Actor | None,
    from_status: str | None,
    payload: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
) -> None:
    append_event(uow, ApplicationEvent, "application_id", app, kind, actor, from_status, payload, today=today, now=now)


def transition(
    uow: UnitOfWork,
    app: Application,
    to_status: str,
    kind: str,
    actor: Actor | None,
    payload: Mapping[str, Any],
    *,
    today: date,
    now: datetime,
) -> None:
    from_status = app.status
    app.status = to_status
    app.updated_at = now
    if to_status in wf.FINAL:
        app.closed_on = today
    record_event(uow, app, kind, actor, from_status, payload, today=today, now=now)


