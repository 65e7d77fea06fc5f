"""The what-if simulation (``POST /simulations``): assess a loan, build plans and the recommendation, store nothing.

The loan is an inline snapshot or a stored one; the borrower's circumstances are inline flags, a stored borrower,
or (for a stored loan) its borrower. Every plan — the baseline, each plan asked for (or the presets) — is checked
against the rules of the set in force on ``received_on``: the borrower's consent is assumed only for the plan they
requested and for the baseline.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from restructure.access import Actor, ensure_visible
from restructure.assessing import assessed
from restructure.documents import assessment_document, plan_document, recommendation_document
from restructure.errors import InvalidInput, NotFound
from restructure.loans import LoanData, snapshot_problems
from restructure.orm import Borrower, Loan
from restructure.snapshots import borrower_flags, incomes_mapping, loan_snapshot, plan_params
from restructure.uow import UnitOfWork
from rules.assessment import Assessment, check_assessed
from rules.borrower import BorrowerFlags
from rules.errors import NoRuleSetInForce, RulesError
from rules.penalty import penalty_excess
from rules.recommend import recommend
from rules.ruleset import RuleSet, ruleset_for
from schedules.plan import PlanInputError, build_plans, prepare_loan
from schedules.presets import presets
from schedules.result import PlanResult
from schedules.terms import LoanSnapshot, PlanParams

START_WINDOW = timedelta(days=366)
"""How far after ``received_on`` a simulated restructuring may start."""
NEXT_PAYMENT_WINDOW = timedelta(days=5 * 366)
"""How far after ``as_of`` a snapshot's next payment may fall (keeps every due date computable)."""


@dataclasses.dataclass(frozen=True)
class _Subject:
    """The loan and the borrower's circumstances a simulation runs on."""

    loan: LoanSnapshot
    borrower: BorrowerFlags


def simulate(
    uow: UnitOfWork,
    actor: Actor,
    *,
    start_on: date,
    incomes: Sequence[Mapping[str, Any]],
    today: date,
    loan: Mapping[str, Any] | None = None,
    loan_id: int | None = None,
    received_on: date | None = None,
    borrower: Mapping[str, Any] | None = None,
    borrower_id: int | None = None,
    other_monthly_debt_payments: Decimal | None = None,
    plans: Sequence[Mapping[str, Any]] | None = None,
    discount_rate_pct: Decimal | None = None,
    requested: Mapping[str, Any] | None = None,
    military_service_until: date | None = None,
) -> dict[str, Any]:
    """SPEC §3-§5: ``{"assessment", "baseline", "plans", "recommended"}`` as JSON-ready documents; writes nothing.

    ``loan`` (an inline snapshot) or ``loan_id``, exactly one; ``borrower`` (inline flags) or ``borrower_id``, at
    most one — neither means the stored loan's borrower, or no vulnerability, no assistance and no other debts for
    an inline loan. ``other_monthly_debt_payments`` overrides the borrower's figure. ``plans=None`` offers the
    presets. ``received_on`` defaults to ``today`` and may not be after it; it fixes the application month and the
    rule set. ``discount_rate_pct`` defaults to the set's.
    """
    received = today if received_on is None else received_on
    sources = {"loan": loan is not None, "loan_id": loan_id is not None, "borrower": borrower is not None,
               "borrower_id": borrower_id is not None}
    ruleset = _ruleset(sources, received, start_on, today)
    subject = _subject(
        uow,
        actor,
        loan=loan,
        loan_id=loan_id,
        borrower=borrower,
        borrower_id=borrower_id,
        other_monthly_debt_payments=other_monthly_debt_payments,
        today=today,
    )
    _check_dates(subject.loan, start_on, "loan" if loan is not None else "loan_id")
    income = incomes_mapping(incomes)
    asked = plan_params(requested) if requested is not None else None
    if military_service_until is not None and military_service_until < received:
        raise InvalidInput(
            "The service must not have ended before the application.",
            {"military_service_until": [f"Must be on or after received_on ({received.isoformat()})."]},
        )
    assessment = assessed(
        subject.loan,
        subject.borrower,
        income,
        received,
        asked,
        ruleset=ruleset,
        military_service_until=military_service_until,
    )

    rate = discount_rate_pct if discount_rate_pct is not None else ruleset.discount_rate_pct
    wanted = presets(subject.loan) if plans is None else tuple(plan_params(p) for p in plans)
    checked = _plans(subject.loan, wanted, assessment, ruleset, start_on, asked, rate)
    # checked as an offer the borrower accepts (consent), so a longer term is no violation; its words are rendered
    # at the edge, so the plan is never rebuilt to translate it
    recommendation = recommend(
        subject.loan, assessment, start_on=start_on, requested=asked, ruleset=ruleset, discount_rate_pct=rate
    )
    return {
        "assessment": assessment_document(assessment),
        "baseline": plan_document(checked[0]),
        "plans": [plan_document(plan) for plan in checked[1:]],
        "recommended": recommendation_document(recommendation),
    }


def _ruleset(sources: Mapping[str, bool], received: date, start_on: date, today: date) -> RuleSet:
    """The rule set in force on ``received``, once the request's sources and dates are consistent."""
    errors: dict[str, list[str]] = {}
    if sources["loan"] == sources["loan_id"]:
        errors["loan"] = ["Give either loan (an inline snapshot) or loan_id, exactly one."]
    if sources["borrower"] and sources["borrower_id"]:
        errors["borrower"] = ["Give either borrower (inline flags) or borrower_id, not both."]
    if received > today:
        errors["received_on"] = ["Cannot be in the future."]
    if start_on > received + START_WINDOW:
        errors["start_on"] = [f"Cannot be more than {START_WINDOW.days} days after received_on."]
    try:
        ruleset = ruleset_for(received)
    except NoRuleSetInForce:
        errors.setdefault("received_on", []).append(f"No rule set was in force on {received.isoformat()}.")
    if errors:
        raise InvalidInput("The simulation request is not possible.", errors)
    return ruleset


def _plans(
    loan: LoanSnapshot,
    wanted: Sequence[PlanParams],
    assessment: Assessment,
    ruleset: RuleSet,
    start_on: date,
    asked: PlanParams | None,
    rate: Decimal,
) -> list[PlanResult]:
    """The baseline and each wanted plan, built together and checked against the rules; the borrower's consent is
    assumed only for the baseline and the plan they asked for."""
    built = build_plans(
        loan,
        (PlanParams(), *wanted),
        start_on=start_on,
        max_term_months=ruleset.max_term_months,
        discount_rate_pct=rate,
        penalty_excess=penalty_excess(loan, ruleset),
    )
    return [
        check_assessed(
            plan,
            assessment,
            loan=loan,
            ruleset=ruleset,
            start_on=start_on,
            consent=plan.params in (PlanParams(), asked),
        )
        for plan in built
    ]


def _subject(
    uow: UnitOfWork,
    actor: Actor,
    *,
    loan: Mapping[str, Any] | None,
    loan_id: int | None,
    borrower: Mapping[str, Any] | None,
    borrower_id: int | None,
    other_monthly_debt_payments: Decimal | None,
    today: date,
) -> _Subject:
    """Load what is stored (checking visibility) and check what is inline; reads only."""
    flags_source: Borrower | Mapping[str, Any] = borrower if borrower is not None else {}
    with uow:
        if loan is not None:
            snapshot = _inline_snapshot(loan, today)
            owner = None
        else:
            row = uow.session.get(Loan, loan_id)
            if row is None:
                raise NotFound("Loan not found.")
            ensure_visible(actor, row.borrower_id, "Loan")
            snapshot = loan_snapshot(row)
            owner = row.borrower_id
        if borrower_id is not None or (borrower is None and owner is not None):
            wanted = borrower_id if borrower_id is not None else owner
            stored = uow.session.get(Borrower, wanted)
            if stored is None:
                raise InvalidInput(
                    "The borrower is not registered.", {"borrower_id": [f"No borrower with id {wanted}."]}
                )
            ensure_visible(actor, stored.id, "Borrower")
            flags_source = stored
        try:
            flags = borrower_flags(flags_source, other_monthly_debt_payments)
        except RulesError as e:
            raise InvalidInput("The borrower's circumstances are not possible.", {"borrower": [str(e)]}) from None
    where = "loan" if loan is not None else "loan_id"
    try:
        prepare_loan(snapshot)
    except PlanInputError as e:
        raise InvalidInput("The loan is outside what the schedule engine accepts.", {where: [str(e)]}) from None
    return _Subject(loan=snapshot, borrower=flags)


def _inline_snapshot(loan: Mapping[str, Any], today: date) -> LoanSnapshot:
    """An inline snapshot, checked like ``POST /loans`` checks a stored one (errors under ``loan.``)."""
    data = LoanData(borrower_id=0, contract_number="", **loan)
    problems = snapshot_problems(data, today=today)
    if problems:
        raise InvalidInput(
            "The loan snapshot is not possible.",
            {f"loan.{field}": messages for field, messages in problems.items()},
        )
    return loan_snapshot(loan)


def _check_dates(loan: LoanSnapshot, start_on: date, where: str) -> None:
    """Dates the rules and the engine can compute with: a next payment within reach, a start after issue."""
    errors: dict[str, list[str]] = {}
    if loan.next_payment_on > loan.as_of + NEXT_PAYMENT_WINDOW:
        field = "loan.next_payment_on" if where == "loan" else where
        errors[field] = ["The next payment must fall within five years after as_of."]
    if start_on < loan.issued_on:
        errors["start_on"] = ["Cannot be before the loan was issued."]
    if errors:
        raise InvalidInput("The simulation dates are not possible.", errors)
