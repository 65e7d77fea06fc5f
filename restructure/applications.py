"""Hardship applications from receipt to a final state (SPEC §6). Every transition is one transaction with its event.

Each service takes plain values, the acting user, the business date and a unit of work. Transitions lock the row
(``SELECT … FOR UPDATE`` on PostgreSQL) and the ORM's version column rejects a lost update, so two racing
requests on one application give exactly one success and one conflict.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import select

from restructure import agreement
from restructure import workflow as wf
from restructure.access import Actor, ensure_visible
from restructure.agreement import agree_requested
from restructure.application_events import record_event, transition
from restructure.counter_offers import coverage
from restructure.documents import assessment_document, plan_document
from restructure.errors import Conflict, InvalidInput, NotFound, RuleViolation, SamePerson
from restructure.evaluation import Case, case_of, granted, plan_of
from restructure.orm import Application, Borrower, Loan, User
from restructure.snapshots import (
    incomes_document,
    incomes_mapping,
    params_document,
    plan_params,
)
from restructure.uow import UnitOfWork
from rules.ids import R_MANDATORY, R_MILITARY_SERVICE
from rules.military import REASON as MILITARY_REASON
from schedules.terms import PlanParams


@dataclass(frozen=True)
class NewApplication:
    """What ``POST /applications`` carries, validated by its schema."""

    loan_id: int
    language: str
    reasons: tuple[str, ...]
    statement: str
    requested: Mapping[str, Any]
    incomes: Sequence[Mapping[str, Any]]
    channel: str | None = None
    received_on: date | None = None
    documents: Sequence[Mapping[str, Any]] = field(default_factory=tuple)
    military_service_until: date | None = None
    """SPEC §8 Conscripts: the service end date, with reason ``military_service`` only."""


# --- evaluation: the rules and the engine on a stored application -------------------------------------------------


def _plan_start(loan: Loan, day: date) -> date:
    return max(day, loan.as_of)


def _locked(uow: UnitOfWork, actor: Actor, application_id: int) -> Application:
    app = uow.session.scalars(select(Application).where(Application.id == application_id).with_for_update()).first()
    if app is None:
        raise NotFound("Application not found.")
    ensure_visible(actor, app.borrower_id, "Application")
    return app


# --- receipt -------------------------------------------------------------------------------------------------------


def submit(uow: UnitOfWork, actor: Actor, data: NewApplication, *, today: date, now: datetime) -> Application:
    """Register an application: from the borrower's cabinet today, or by an officer with its real receipt date."""
    errors: dict[str, list[str]] = {}
    if actor.is_borrower:
        channel = data.channel or "cabinet"
        if channel != "cabinet":
            errors["channel"] = ["A borrower applies through the cabinet."]
        if data.received_on not in (None, today):
            errors["received_on"] = ["A cabinet application is received today."]
        received_on = today
    else:
        channel = data.channel or ""
        if channel not in wf.CHANNELS or channel == "cabinet":
            errors["channel"] = ["An officer registers applications received by office, post, email or phone."]
        if data.received_on is None:
            errors["received_on"] = ["The date the application was received is required."]
        elif data.received_on > today:
            errors["received_on"] = ["Cannot be in the future."]
        received_on = data.received_on or today
    errors |= _military_errors(data, received_on)
    requested = plan_params(data.requested)
    with uow:
        loan = uow.session.get(Loan, data.loan_id)
        if loan is None:
            raise NotFound("Loan not found.")
        ensure_visible(actor, loan.borrower_id, "Loan")
        if received_on < loan.issued_on:
            errors["received_on"] = ["Cannot be before the loan was issued."]
        if errors:
            raise InvalidInput("The application cannot be registered.", errors)
        periods = wf.periods(received_on)
        borrower = uow.session.get(Borrower, loan.borrower_id)
        assert borrower is not None  # noqa: S101 - foreign key
        open_one = uow.session.scalar(
            select(Application.id).where(Application.loan_id == loan.id, Application.status.not_in(wf.FINAL))
        )
        if open_one is not None:
            raise Conflict(
                f"Loan already has an open application ({open_one}).",
                related={"application_id": open_one},
            )
        incomes = incomes_mapping(data.incomes)
        case = case_of(
            loan, borrower, incomes, received_on, requested, military_service_until=data.military_service_until
        )
        requested_plan = plan_of(case, requested, _plan_start(loan, received_on), lang=data.language)
        app = Application(
            loan_id=loan.id,
            borrower_id=loan.borrower_id,
            status=wf.RECEIVED,
            channel=channel,
            language=data.language,
            received_on=received_on,
            overdue_since=loan.overdue_since,
            military_service_until=data.military_service_until,
            decision_due_on=wf.decision_due_on(received_on, periods),
            reasons=list(dict.fromkeys(data.reasons)),
            statement=data.statement,
            requested=params_document(requested),
            incomes=incomes_document(incomes),
            documents=[dict(d) | {"received_on": received_on.isoformat()} for d in data.documents],
            assessment=assessment_document(case.assessment, data.language),
            mandatory=case.assessment.mandatory.applies,
            requested_plan=plan_document(requested_plan),
            document_requests=[],
            created_at=now,
            updated_at=now,
        )
        uow.session.add(app)
        uow.session.flush()
        record_event(
            uow,
            app,
            "received",
            actor,
            None,
            {
                "channel": channel,
                "received_on": received_on.isoformat(),
                "reasons": app.reasons,
                "mandatory": app.mandatory,
                "decision_due_on": app.decision_due_on.isoformat(),
            },
            today=today,
            now=now,
        )
        uow.commit()
        return app


def _military_errors(data: NewApplication, received_on: date) -> dict[str, list[str]]:
    """SPEC §8 Conscripts (LMF Art. 7 p.2 sub 11-2): the service end date comes with reason ``military_service``,
    and only with it, and is after the receipt."""
    called_up = MILITARY_REASON in data.reasons
    until = data.military_service_until
    if called_up and until is None:
        return {"military_service_until": ["Required with reason military_service: the day the service ends."]}
    if not called_up and until is not None:
        return {"military_service_until": ["Only with reason military_service."]}
    if until is not None and until <= received_on:
        return {"military_service_until": [f"Must be after received_on ({received_on.isoformat()})."]}
    return {}


def _case(loan: Loan, borrower: Borrower, app: Application) -> Case:
    """The application's assessment on the loan's current snapshot, with a conscript's service end."""
    return case_of(
        loan,
        borrower,
        incomes_mapping(app.incomes),
        app.received_on,
        plan_params(app.requested),
        military_service_until=app.military_service_until,
    )


# --- documents -----------------------------------------------------------------------------------------------------


def request_documents(
    uow: UnitOfWork,
    actor: Actor,
    application_id: int,
    *,
    items: Sequence[str],
    respond_by: date,
    today: date,
    now: datetime,
) -> Application:
    """Ask the borrower for documents; review is suspended until they arrive (policy p.67, p.75)."""
    if respond_by < today:
        raise InvalidInput("The answer date has passed.", {"respond_by": ["Cannot be before today."]})
    with uow:
        app = _locked(uow, actor, application_id)
        wf.ensure_allowed("request_documents", app.status)
        _ensure_request_allowed(app, today)
        request = {
            "items": list(items),
            "respond_by": respond_by.isoformat(),
            "requested_on": today.isoformat(),
            "requested_by": actor.user_id,
        }
        app.document_requests = [*app.document_requests, request]
        transition(uow, app, wf.AWAITING_DOCUMENTS, "documents_requested", actor, request, today=today, now=now)
        uow.commit()
        return app


def _ensure_request_allowed(app: Application, today: date) -> None:
    """SPEC §8: a request cannot restart a clock already breached; one request, a second only while awaiting."""
    if wf.clock_running(app.status) and today > app.decision_due_on:
        raise Conflict(
            f"The decision was due on {app.decision_due_on}; a document request after that day cannot restart "
            "the clock. Decide on what was provided.",
            state=app.status,
        )
    if app.document_requests and app.status != wf.AWAITING_DOCUMENTS:
        raise Conflict(
            "Documents were already requested once and provided; a second request is allowed only while the "
            "answer to the first is awaited (an incomplete answer).",
            state=app.status,
        )


def receive_documents(
    uow: UnitOfWork,
    actor: Actor,
    application_id: int,
    *,
    items: Sequence[str],
    received_on: date | None,
    today: date,
    now: datetime,
) -> Application:
    """Record the requested documents; the decision is now due 15 days after they arrived (policy p.68, p.72)."""
    with uow:
        app = _locked(uow, actor, application_id)
        wf.ensure_allowed("receive_documents", app.status)
        if actor.is_borrower:
            if received_on not in (None, today):
                raise InvalidInput("Documents from the cabinet arrive today.", {"received_on": ["Must be today."]})
            arrived = today
        else:
            if received_on is None:
                raise InvalidInput("The date the documents arrived is required.", {"received_on": ["Required."]})
            arrived = received_on
        requested_on = date.fromisoformat(app.document_requests[-1]["requested_on"])
        if arrived > today or arrived < requested_on:
            raise InvalidInput(
                "The documents cannot have arrived then.",
                {"received_on": [f"Must fall between the request ({requested_on}) and today ({today})."]},
            )
        app.documents = [*app.documents, *({"name": item, "received_on": arrived.isoformat()} for item in items)]
        previous_due = app.decision_due_on
        app.decision_due_on = wf.decision_due_on(arrived, wf.periods(app.received_on))
        _reassess(uow, app)
        transition(
            uow,
            app,
            wf.UNDER_REVIEW,
            "documents_received",
            actor,
            {
                "items": list(items),
                "received_on": arrived.isoformat(),
                "previous_due_on": previous_due.isoformat(),
                "decision_due_on": app.decision_due_on.isoformat(),
                "mandatory": app.mandatory,
            },
            today=today,
            now=now,
        )
        uow.commit()
        return app


def _reassess(uow: UnitOfWork, app: Application) -> None:
    """SPEC §8: the facts behind the mandatory finding are assessed again when the documents arrive."""
    loan, borrower = _loan_and_borrower(uow, app)
    requested = plan_params(app.requested)
    case = _case(loan, borrower, app)
    requested_plan = plan_of(case, requested, _plan_start(loan, app.received_on), lang=app.language)
    app.assessment = assessment_document(case.assessment, app.language)
    app.mandatory = case.assessment.mandatory.applies
    app.requested_plan = plan_document(requested_plan)


def missing_documents(app: Application) -> list[str]:
    """The requested items that have not arrived (a document counts when it arrived on or after the request)."""
    if not app.document_requests:
        return []
    first = min(date.fromisoformat(r["requested_on"]) for r in app.document_requests)
    arrived = {d.get("name") for d in app.documents if date.fromisoformat(d["received_on"]) >= first}
    asked = dict.fromkeys(item for r in app.document_requests for item in r.get("items", []))
    return [item for item in asked if item not in arrived]


# --- the decision and its concurrence --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Proposal:
    """What ``POST /applications/{id}/decision`` carries."""

    outcome: str
    plan: Mapping[str, Any] | None = None
    reasons: tuple[str, ...] = ()
    comment: str = ""
    start_on: date | None = None


def _loan_and_borrower(uow: UnitOfWork, app: Application) -> tuple[Loan, Borrower]:
    loan = uow.session.get(Loan, app.loan_id)
    borrower = uow.session.get(Borrower, app.borrower_id)
    assert loan is not None and borrower is not None  # noqa: S101 - foreign keys
    return loan, borrower


def propose(
    uow: UnitOfWork, actor: Actor, application_id: int, proposal: Proposal, *, today: date, now: datetime
) -> Application:
    """The credit officer proposes accept (the request), a counter-offer (a feasible plan) or a reasoned refusal."""
    with uow:
        app = _locked(uow, actor, application_id)
        wf.ensure_allowed("propose", app.status)
        if app.status == wf.AWAITING_DOCUMENTS:
            respond_by = max(date.fromisoformat(r["respond_by"]) for r in app.document_requests)
            if proposal.outcome != "refuse" or "documents_not_provided" not in proposal.reasons or today <= respond_by:
                raise Conflict(
                    "While documents are awaited, the only decision is a refusal for documents_not_provided, "
                    f"after the answer date ({respond_by}).",
                    state=app.status,
                )
        loan, borrower = _loan_and_borrower(uow, app)
        start_on = proposal.start_on or _plan_start(loan, today)
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
            errors = {}
            if not proposal.reasons:
                errors["reasons"] = ["A refusal needs at least one reason code."]
            if not proposal.comment.strip():
                errors["comment"] = ["A refusal needs an explanation the borrower understands."]
            if errors:
                raise InvalidInput("The refusal is not reasoned.", errors)
            if app.status == wf.AWAITING_DOCUMENTS:
                # SPEC §8: unproven facts; the refusal names what did not arrive
                decision["missing_documents"] = missing_documents(app)
            elif app.military_service_until is not None:
                raise RuleViolation(
                    R_MILITARY_SERVICE,
                    "A borrower called up for military service is owed a deferral for the service plus 60 days "
                    "without interest (LMF Art. 7 p.2 sub 11-2): refusal is impossible; accept the application.",
                )
            elif app.mandatory:
                raise RuleViolation(
                    R_MANDATORY,
                    "The lender must agree to this application (LMF Art. 9-2 p.3; ARDFM Res. 49/2025): "
                    "refusal is impossible. Accept it or counter-offer every requested change with more relief. "
                    "Only documents requested and not provided by their answer date allow a refusal.",
                )
        else:
            requested = plan_params(app.requested)
            case = _case(loan, borrower, app)
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
            plan = plan_of(case, params, start_on, lang=app.language)
            if not plan.feasible:
                first = plan.violations[0]
                raise RuleViolation(
                    first.rule,
                    "The plan cannot be offered: " + "; ".join(f"{v.rule}: {v.message}" for v in plan.violations),
                )
            decision |= {
                "params": params_document(params),
                "plan": plan_document(plan),
                "start_on": start_on.isoformat(),
            }
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
        uow.commit()
        return app


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
    with uow:
        app = _locked(uow, actor, application_id)
        wf.ensure_allowed("approve" if verdict == "approve" else "return", app.status)
        _ensure_other_person(uow, app, actor)
        if verdict == "return":
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
            transition(
                uow,
                app,
                wf.UNDER_REVIEW,
                "decision_returned",
                actor,
                {"comment": comment, "returned": returned},
                today=today,
                now=now,
            )
            uow.commit()
            return app
        outcome = app.decision_outcome or ""
        periods = wf.periods(app.received_on)
        if outcome == "accept":  # SPEC §8: accept takes effect on the concurrence, rebuilt on the latest snapshot
            decision = app.decision or {}
            app.decision = decision | agreement.rebuilt(
                uow,
                app,
                decision.get("params") or app.requested,
                _day(decision.get("start_on")),
                on=today,
                basis=agreement.ACCEPTED_DECISION,
                grant=True,
            )
        app.approved_by = actor.user_id
        app.approved_on = today
        app.decision_timely = today <= app.decision_due_on
        payload: dict[str, Any] = {
            "outcome": outcome,
            "comment": comment,
            "timely": app.decision_timely,
            "decision_due_on": app.decision_due_on.isoformat(),
        }
        if outcome == "accept":
            payload |= {k: (app.decision or {}).get(k) for k in ("start_on", "agreed_on", "snapshot_as_of")}
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
        uow.commit()
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


def _day(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value))


# --- the borrower's side -------------------------------------------------------------------------------------------


def respond(
    uow: UnitOfWork, actor: Actor, application_id: int, *, answer: str, today: date, now: datetime
) -> Application:
    """The borrower accepts or declines a counter-offer within its response period."""
    with uow:
        app = _locked(uow, actor, application_id)
        wf.ensure_allowed("respond", app.status)
        # a paper counter-offer not yet recorded as delivered has no period yet; answering it shows receipt
        if app.response_due_on is not None and today > app.response_due_on:
            raise Conflict(
                f"The counter-offer could be answered until {app.response_due_on}; it has lapsed.", state=app.status
            )
        if answer == "accept":  # SPEC §8: the acceptance is the agreement day; rebuilt on the latest snapshot
            decision = app.decision or {}
            app.decision = decision | agreement.rebuilt(
                uow,
                app,
                decision.get("params") or {},
                _day(decision.get("start_on")),
                on=today,
                basis=agreement.COUNTER_OFFER_ACCEPTED,
            )
            transition(
                uow,
                app,
                wf.AGREED,
                "counter_offer_accepted",
                actor,
                {k: app.decision.get(k) for k in ("start_on", "agreed_on", "snapshot_as_of")},
                today=today,
                now=now,
            )
        elif app.mandatory:  # SPEC §8: declining a counter-offer to a mandatory request puts the request in effect
            agree_requested(uow, app, actor, on=today, basis=agreement.REQUESTED_AFTER_DECLINE, today=today, now=now)
        else:
            app.ombudsman_until = wf.ombudsman_until(today, wf.periods(app.received_on))
            transition(
                uow,
                app,
                wf.REFUSED,
                "counter_offer_declined",
                actor,
                {"ombudsman_until": app.ombudsman_until.isoformat()},
                today=today,
                now=now,
            )
        uow.commit()
        return app


def extend(
    uow: UnitOfWork, actor: Actor, application_id: int, *, response_due_on: date, today: date, now: datetime
) -> Application:
    """Both sides agreed to extend the counter-offer's response period (LMF Art. 9-2 p.3)."""
    with uow:
        app = _locked(uow, actor, application_id)
        wf.ensure_allowed("extend", app.status)
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
        record_event(
            uow,
            app,
            "response_period_extended",
            actor,
            app.status,
            {"previous": previous.isoformat(), "response_due_on": response_due_on.isoformat()},
            today=today,
            now=now,
        )
        uow.commit()
        return app


def withdraw(
    uow: UnitOfWork, actor: Actor, application_id: int, *, reason: str, today: date, now: datetime
) -> Application:
    """The borrower withdraws the application at any time before a final state."""
    with uow:
        app = _locked(uow, actor, application_id)
        wf.ensure_allowed("withdraw", app.status)
        transition(uow, app, wf.WITHDRAWN, "withdrawn", actor, {"reason": reason}, today=today, now=now)
        uow.commit()
        return app
