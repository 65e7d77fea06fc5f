"""Hardship applications from receipt to a final state (SPEC §6). Every transition is one transaction with its event.

Each service takes plain values, the acting user, the business date and a unit of work. Transitions lock the row
(``SELECT … FOR UPDATE`` on PostgreSQL) and the ORM's version column rejects a lost update, so two racing
requests on one application give exactly one success and one conflict.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from restructure import agreement, decisions
from restructure import workflow as wf
from restructure.access import Actor
from restructure.agreement import agree_requested
from restructure.application_documents import missing_documents, receive_documents, request_documents
from restructure.application_events import record_event, transition
from restructure.application_receipt import NewApplication, submit
from restructure.application_records import case_for, loan_and_borrower, locked, plan_start
from restructure.commands import command
from restructure.counter_offers import coverage
from restructure.decisions import decision_of
from restructure.documents import plan_document
from restructure.errors import Conflict, InvalidInput, RuleViolation, SamePerson
from restructure.evaluation import Case, granted, plan_of, violations_detail
from restructure.orm import Application, User
from restructure.snapshots import (
    params_document,
    plan_params,
)
from restructure.uow import UnitOfWork
from rules.ids import R_MANDATORY, R_MILITARY_SERVICE
from schedules.terms import PlanParams

__all__ = [
    "NewApplication", "Proposal", "agree_requested", "concur", "extend", "missing_documents", "propose",
    "receive_documents", "request_documents", "respond", "submit", "withdraw",
]

# --- the decision and its concurrence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """What ``POST /applications/{id}/decision`` carries."""

    outcome: str
    plan: Mapping[str, Any] | None = None
    reasons: tuple[str, ...] = ()
    comment: str = ""
    start_on: date | None = None


def propose(
    uow: UnitOfWork, actor: Actor, application_id: int, proposal: Proposal, *, today: date, now: datetime
) -> Application:
    """The credit officer proposes accept (the request), a counter-offer (a feasible plan) or a reasoned refusal."""
    with command(uow, locked, wf.ensure_allowed, actor, application_id, "propose") as app:
        _ensure_decidable(app, proposal, today)
        loan, borrower = loan_and_borrower(uow, app)
        start_on = proposal.start_on or plan_start(loan, today)
        if start_on < loan.as_of:
            raise InvalidInput("The plan cannot start before the loan snapshot.", {"start_on": [f"≥ {loan.as_of}."]})
        decision: dict[str, Any] = {
            "outcome": proposal.outcome,
            "reasons": list(proposal.reasons),
            "comment": proposal.comment,
            "params": None,
            "plan": None,
            "start_on": None,
        }
        if proposal.outcome == "refuse":
            decision |= _refusal(app, proposal)
        else:
            decision |= _offer(app, case_for(loan, borrower, app), proposal, start_on)
        app.decision = decision
        app.decision_outcome = proposal.outcome
        app.proposed_by = actor.user_id
        app.proposed_on = today
        transition(
            uow,
            app,
            wf.DECISION_PROPOSED,
            "decision_proposed",
            actor,
            {k: v for k, v in decision.items() if k != "plan"},
            today=today,
            now=now,
        )
    return app


def _ensure_decidable(app: Application, proposal: Proposal, today: date) -> None:
    """While documents are awaited, only a refusal for documents not provided, after the answer date (SPEC §8)."""
    if app.status != wf.AWAITING_DOCUMENTS:
        return
    respond_by = max(date.fromisoformat(r["respond_by"]) for r in app.document_requests)
    if proposal.outcome != "refuse" or "documents_not_provided" not in proposal.reasons or today <= respond_by:
        raise Conflict(
            "While documents are awaited, the only decision is a refusal for documents_not_provided, "
            f"after the answer date ({respond_by}).",
            state=app.status,
        )


def _refusal(app: Application, proposal: Proposal) -> dict[str, Any]:
    """A reasoned refusal where the law allows one; what it adds to the decision document."""
    errors = {}
    if not proposal.reasons:
        errors["reasons"] = ["A refusal needs at least one reason code."]
    if not proposal.comment.strip():
        errors["comment"] = ["A refusal needs an explanation the borrower understands."]
    if errors:
        raise InvalidInput("The refusal is not reasoned.", errors)
    if app.status == wf.AWAITING_DOCUMENTS:
        # SPEC §8: unproven facts; the refusal names what did not arrive
        return {"missing_documents": missing_documents(app)}
    if app.military_service_until is not None:
        raise RuleViolation(
            R_MILITARY_SERVICE,
            "A borrower called up for military service is owed a deferral for the service plus 60 days "
            "without interest (LMF Art. 7 p.2 sub 11-2): refusal is impossible; accept the application.",
        )
    if app.mandatory:
        raise RuleViolation(
            R_MANDATORY,
            "The lender must agree to this application (LMF Art. 9-2 p.3; ARDFM Res. 49/2025): "
            "refusal is impossible. Accept it or counter-offer every requested change with more relief. "
            "Only documents requested and not provided by their answer date allow a refusal.",
        )
    return {}


def _offer(app: Application, case: Case, proposal: Proposal, start_on: date) -> dict[str, Any]:
    """The plan of an accept (the request, as granted) or a counter-offer; it must be feasible."""
    requested = plan_params(app.requested)
    if proposal.outcome == "accept":
        if proposal.plan is not None and plan_params(proposal.plan) != requested:
            raise InvalidInput(
                "Accept means the borrower's requested plan; propose a counter-offer to change it.",
                {"plan": ["Differs from the requested plan."]},
            )
        # SPEC §8: a conscript's deferral, or a short mandatory deferral lengthened to the minimum
        params = granted(case, requested, start_on)
    else:
        if app.military_service_until is not None:
            raise RuleViolation(
                R_MILITARY_SERVICE,
                "A conscript's interest-free deferral for the service plus 60 days is the only lawful plan "
                "(LMF Art. 7 p.2 sub 11-2): accept the application; a counter-offer cannot replace it.",
            )
        if proposal.plan is None:
            raise InvalidInput("A counter-offer needs a plan.", {"plan": ["Required for a counter-offer."]})
        params = plan_params(proposal.plan)
        if app.mandatory:
            _ensure_mandatory_counter_offer(requested, params)
    plan = plan_of(case, params, start_on)
    if not plan.feasible:
        first = plan.violations[0]
        raise RuleViolation(
            first.rule,
            "The plan cannot be offered: " + violations_detail(plan.violations),
        )
    return {"params": params_document(params), "plan": plan_document(plan), "start_on": start_on.isoformat()}


def _ensure_mandatory_counter_offer(requested: PlanParams, offered: PlanParams) -> None:
    """SPEC §8: in a mandatory case a counter-offer contains every requested change and adds relief."""
    covered = coverage(requested, offered)
    if covered.missing:
        raise RuleViolation(
            R_MANDATORY,
            "The lender must grant the requested changes (LMF Art. 9-2 p.3): the counter-offer leaves out or "
            f"reduces {', '.join(covered.missing)}. Accept the request, or offer it with more relief.",
        )
    if not covered.adds_relief:
        raise RuleViolation(
            R_MANDATORY,
            "A counter-offer to a mandatory request must add relief to it (LMF Art. 9-2 p.3); this one adds none: "
            "accept the request instead.",
        )


def concur(
    uow: UnitOfWork, actor: Actor, application_id: int, *, verdict: str, comment: str, today: date, now: datetime
) -> Application:
    """The client-rights officer, a different person, concurs (the decision takes effect) or returns it."""
    action = "approve" if verdict == "approve" else "return"
    with command(uow, locked, wf.ensure_allowed, actor, application_id, action) as app:
        _ensure_other_person(uow, app, actor)
        if verdict == "return":
            _return(uow, app, actor, comment, today=today, now=now)
            return app
        outcome = app.decision_outcome or ""
        periods = wf.periods(app.received_on)
        agreed: dict[str, Any] = {}
        if outcome == "accept":  # SPEC §8: accept takes effect on the concurrence, rebuilt on the latest snapshot
            agreed = _take_effect(uow, app, decisions.ACCEPTED_DECISION, today=today, grant=True)
        app.approved_by = actor.user_id
        app.approved_on = today
        app.decision_timely = today <= app.decision_due_on
        payload: dict[str, Any] = {
            "outcome": outcome,
            "comment": comment,
            "timely": app.decision_timely,
            "decision_due_on": app.decision_due_on.isoformat(),
        }
        payload |= agreed
        # SPEC §8: sent electronically and shown in the cabinet today, which counts as received; a paper
        # application's periods wait for the recorded delivery (restructure.delivery)
        if app.channel != "post":
            app.delivered_on, app.delivery_channel = today, "cabinet"
        payload["delivered_on"] = None if app.delivered_on is None else app.delivered_on.isoformat()
        if outcome == "counter_offer" and app.delivered_on is not None:
            app.response_due_on = wf.response_due_on(app.delivered_on, periods)
            payload["response_due_on"] = app.response_due_on.isoformat()
        if outcome == "refuse" and app.delivered_on is not None:
            app.ombudsman_until = wf.ombudsman_until(app.delivered_on, periods)
            payload["ombudsman_until"] = app.ombudsman_until.isoformat()
        transition(uow, app, wf.OUTCOME_STATUS[outcome], "decision_approved", actor, payload, today=today, now=now)
    return app


def _ensure_other_person(uow: UnitOfWork, app: Application, actor: Actor) -> None:
    """SPEC §8 Who concurs: segregation of duties is by person; no account of the proposer's person concurs."""
    proposer = None if app.proposed_by is None else uow.session.get(User, app.proposed_by)
    me = uow.session.get(User, actor.user_id)
    same = app.proposed_by == actor.user_id or (
        proposer is not None and me is not None and proposer.person_id == me.person_id
    )
    if same:
        raise SamePerson("The person who proposed a decision can never concur with it, with any of their accounts.")


def _return(uow: UnitOfWork, app: Application, actor: Actor, comment: str, *, today: date, now: datetime) -> None:
    """The rights officer returns the proposal for review, saying why; the trail keeps what was returned."""
    if not comment.strip():
        raise InvalidInput("Say why the decision is returned.", {"comment": ["Required to return."]})
    returned = {
        "decision": app.decision,
        "proposed_by": app.proposed_by,
        "proposed_on": None if app.proposed_on is None else app.proposed_on.isoformat(),
    }
    app.decision = None
    app.decision_outcome = None
    app.proposed_by = None
    app.proposed_on = None
    payload = {"comment": comment, "returned": returned}
    transition(uow, app, wf.UNDER_REVIEW, "decision_returned", actor, payload, today=today, now=now)


def _take_effect(uow: UnitOfWork, app: Application, basis: str, *, today: date, grant: bool = False) -> dict[str, Any]:
    """SPEC §8: the decided plan takes effect today, rebuilt on the loan's latest snapshot (the request's plan when
    the decision stored none); what the event records of it."""
    stored = decision_of(app.decision)
    params = stored.params or (app.requested if grant else {})
    agreed = agreement.rebuilt(uow, app, params, stored.start_on, on=today, basis=basis, grant=grant)
    app.decision = (app.decision or {}) | agreed
    return {k: agreed[k] for k in ("start_on", "agreed_on", "snapshot_as_of")}


# --- the borrower's side -------------------------------------------------------------------------------------------


def respond(
    uow: UnitOfWork, actor: Actor, application_id: int, *, answer: str, today: date, now: datetime
) -> Application:
    """The borrower accepts or declines a counter-offer within its response period."""
    with command(uow, locked, wf.ensure_allowed, actor, application_id, "respond") as app:
        # a paper counter-offer not yet recorded as delivered has no period yet; answering it shows receipt
        if app.response_due_on is not None and today > app.response_due_on:
            raise Conflict(
                f"The counter-offer could be answered until {app.response_due_on}; it has lapsed.", state=app.status
            )
        if answer == "accept":  # SPEC §8: the acceptance is the agreement day; rebuilt on the latest snapshot
            agreed = _take_effect(uow, app, decisions.COUNTER_OFFER_ACCEPTED, today=today)
            transition(uow, app, wf.AGREED, "counter_offer_accepted", actor, agreed, today=today, now=now)
        elif app.mandatory:  # SPEC §8: declining a counter-offer to a mandatory request puts the request in effect
            agree_requested(uow, app, actor, on=today, basis=decisions.REQUESTED_AFTER_DECLINE, today=today, now=now)
        else:
            app.ombudsman_until = wf.ombudsman_until(today, wf.periods(app.received_on))
            declined = {"ombudsman_until": app.ombudsman_until.isoformat()}
            transition(uow, app, wf.REFUSED, "counter_offer_declined", actor, declined, today=today, now=now)
    return app


def extend(
    uow: UnitOfWork, actor: Actor, application_id: int, *, response_due_on: date, today: date, now: datetime
) -> Application:
    """Both sides agreed to extend the counter-offer's response period (LMF Art. 9-2 p.3)."""
    with command(uow, locked, wf.ensure_allowed, actor, application_id, "extend") as app:
        if app.response_due_on is None:
            raise Conflict(
                "The counter-offer's response period starts when its delivery is recorded; record it first.",
                state=app.status,
            )
        if response_due_on <= app.response_due_on or response_due_on < today:
            raise InvalidInput(
                "An extension moves the response date later.",
                {"response_due_on": [f"Must be after {app.response_due_on} and not before today."]},
            )
        previous = app.response_due_on
        app.response_due_on = response_due_on
        app.updated_at = now
        extended = {"previous": previous.isoformat(), "response_due_on": response_due_on.isoformat()}
        record_event(uow, app, "response_period_extended", actor, app.status, extended, today=today, now=now)
    return app


def withdraw(
    uow: UnitOfWork, actor: Actor, application_id: int, *, reason: str, today: date, now: datetime
) -> Application:
    """The borrower withdraws the application at any time before a final state."""
    with command(uow, locked, wf.ensure_allowed, actor, application_id, "withdraw") as app:
        transition(uow, app, wf.WITHDRAWN, "withdrawn", actor, {"reason": reason}, today=today, now=now)
    return app
