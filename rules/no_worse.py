"""R-NO-WORSE: a restructuring never raises the rate, adds fees or worsens terms; a longer term or another method
needs the borrower's consent (LMF Art. 7 p.3 sub 1, 1-2, 8)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from rules.calendar import add_months
from rules.citations import rule_outcome
from rules.ids import R_NO_WORSE
from rules.outcome import RuleOutcome, outcome_key
from schedules.terms import LoanSnapshot, PlanParams

PROBLEM_RATE_RAISED = "rate_raised"
PROBLEM_FEES = "fees"
PROBLEM_LONGER_TERM_WITHOUT_CONSENT = "longer_term_without_consent"
PROBLEM_METHOD_WITHOUT_CONSENT = "method_change_without_consent"
CONSENT_PROBLEMS = frozenset({PROBLEM_LONGER_TERM_WITHOUT_CONSENT, PROBLEM_METHOD_WITHOUT_CONSENT})
"""What a counter-offer cures: the borrower's consent (SPEC §8 "Simulations and consent")."""


def contractual_maturity(loan: LoanSnapshot) -> date:
    """The due date of the last remaining contractual instalment (``next_payment_on`` is the first of them)."""
    if loan.remaining_term_months <= 0:
        return loan.next_payment_on
    return add_months(loan.next_payment_on, loan.remaining_term_months - 1, loan.payment_day)


def _longer(params: PlanParams, loan: LoanSnapshot, plan_maturity: date | None) -> bool:
    if plan_maturity is not None:
        old = contractual_maturity(loan)
        return (plan_maturity.year, plan_maturity.month) > (old.year, old.month)
    return bool(params.extra_months) or bool(params.deferral_months)


def no_worse(
    loan: LoanSnapshot,
    params: PlanParams,
    *,
    consent: bool,
    fees: Decimal = Decimal("0.00"),
    plan_maturity: date | None = None,
) -> RuleOutcome:
    """LMF Art. 7 p.3 sub 1, 1-2, 8: no higher rate, no fees, no longer term or other method without consent.

    ``consent`` is the borrower's request or acceptance of these terms. The term is longer when the plan's last due
    date falls in a later month than the contract's (``plan_maturity``), or, for a request without a schedule,
    when it extends the term or defers payments.
    """
    problems: list[str] = []
    if params.new_rate_pct is not None and params.new_rate_pct > loan.annual_rate_pct:
        problems.append(PROBLEM_RATE_RAISED)
    if fees > 0:
        problems.append(PROBLEM_FEES)
    longer = _longer(params, loan, plan_maturity)
    if longer and not consent:
        problems.append(PROBLEM_LONGER_TERM_WITHOUT_CONSENT)
    if params.method is not None and params.method != loan.method and not consent:
        problems.append(PROBLEM_METHOD_WITHOUT_CONSENT)
    passed = not problems
    old = contractual_maturity(loan)
    moved = 0 if plan_maturity is None else (plan_maturity.year - old.year) * 12 + plan_maturity.month - old.month
    key = outcome_key(R_NO_WORSE, passed)
    if not passed and PROBLEM_LONGER_TERM_WITHOUT_CONSENT in problems and moved > 0:
        # e.g. start_on on the next due date: the first instalment falls a month later, so does the last one
        key = "R-NO-WORSE.failed_maturity_moved"
    return rule_outcome(
        R_NO_WORSE,
        passed,
        {
            "problems": tuple(problems),
            "rate_pct": loan.annual_rate_pct,
            "new_rate_pct": params.new_rate_pct,
            "fees": fees,
            "contract_maturity_on": contractual_maturity(loan).isoformat(),
            "plan_maturity_on": None if plan_maturity is None else plan_maturity.isoformat(),
            "longer_term": longer,
            "consent": consent,
            "maturity_moved_months": moved,
        },
        key=key,
    )
