"""SPEC §8 Effective day and rebasing: a plan takes effect on the day of agreement, rebuilt on the loan's latest
snapshot with ``start_on = max(plan start_on, agreement day)``.

The agreement day is the concurrence for ``accept`` and the borrower's acceptance for a counter-offer (and, in a
mandatory case, the decline or the lapse that puts the requested plan into effect). The rebuilt schedule is what
the decision stores, the notice shows and the core system receives; its first due date is strictly after the
agreement day. A snapshot whose ``next_payment_on`` is on or before that day is stale: nothing changes until the
core system sends a newer one (``PUT /loans/{id}/snapshot``).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from restructure import workflow as wf
from restructure.access import Actor
from restructure.application_events import transition
from restructure.application_records import case_for
from restructure.decisions import REQUESTED_AFTER_DECLINE
from restructure.documents import plan_document
from restructure.errors import RuleViolation, StaleSnapshot
from restructure.evaluation import granted, plan_of, violations_detail
from restructure.orm import Application, Borrower, Loan
from restructure.snapshots import params_document, plan_params
from restructure.uow import UnitOfWork


def ensure_fresh(loan: Loan, on: date) -> None:
    """SPEC §8: a snapshot already past its next due date cannot carry an agreement on ``on``."""
    if loan.next_payment_on <= on:
        raise StaleSnapshot(
            f"The loan snapshot of {loan.as_of} expects a payment on {loan.next_payment_on}, on or before the "
            f"agreement day {on}: the core system must send a newer snapshot (PUT /loans/{loan.id}/snapshot).",
            related={"loan_id": loan.id, "snapshot_as_of": loan.as_of.isoformat(),
                     "next_payment_on": loan.next_payment_on.isoformat()},
        )


def rebuilt(
    uow: UnitOfWork,
    app: Application,
    params: Mapping[str, Any],
    planned_start: date | None,
    *,
    on: date,
    basis: str,
    grant: bool = False,
) -> dict[str, Any]:
    """The decision fields of the plan ``params`` agreed on ``on``, rebuilt on the latest snapshot.

    With ``grant`` (the lender's accept, or a mandatory request put into effect) the plan is what the law makes the
    lender grant from the rebuilt start (``evaluation.granted``: a conscript's deferral, a mandatory minimum)."""
    # lock the snapshot: a newer one arriving at the same instant waits, so the plan is built on the latest
    loan = uow.session.scalars(
        select(Loan).where(Loan.id == app.loan_id).with_for_update().execution_options(populate_existing=True)
    ).first()
    borrower = uow.session.get(Borrower, app.borrower_id)
    assert loan is not None and borrower is not None  # noqa: S101 - foreign keys
    ensure_fresh(loan, on)
    start_on = max(planned_start or on, on, loan.as_of)
    plan_params_ = plan_params(params)
    case = case_for(loan, borrower, app)
    if grant:
        plan_params_ = granted(case, plan_params_, start_on)
    plan = plan_of(case, plan_params_, start_on)
    if not plan.feasible:
        first = plan.violations[0]
        raise RuleViolation(
            first.rule,
            f"Rebuilt on the snapshot of {loan.as_of} from {start_on}, the plan is no longer lawful: "
            + violations_detail(plan.violations),
        )
    return {
        "params": params_document(plan_params_),
        "plan": plan_document(plan),
        "start_on": start_on.isoformat(),
        "agreed_on": on.isoformat(),
        "agreed_as": basis,
        "snapshot_as_of": loan.as_of.isoformat(),
        "offered_start_on": None if planned_start is None else planned_start.isoformat(),
    }


def agree_requested(
    uow: UnitOfWork, app: Application, actor: Actor | None, *, on: date, basis: str, today: date, now: datetime
) -> None:
    """SPEC §8 Mandatory cases: a declined or lapsed counter-offer is never a refusal; the requested plan takes
    effect on ``on``, rebuilt on the latest snapshot (raises ``StaleSnapshot`` and changes nothing if stale)."""
    decision = app.decision or {}
    agreed = rebuilt(uow, app, app.requested, None, on=on, basis=basis, grant=True)
    app.decision = decision | agreed | {"counter_offer": {k: decision.get(k) for k in ("params", "start_on")}}
    kind = "counter_offer_declined" if basis == REQUESTED_AFTER_DECLINE else "counter_offer_lapsed"
    transition(
        uow,
        app,
        wf.AGREED,
        kind,
        actor,
        {"requested_plan_agreed": True, **{k: agreed[k] for k in ("start_on", "agreed_on", "snapshot_as_of")}},
        today=today,
        now=now,
    )
    app.closed_on = on
