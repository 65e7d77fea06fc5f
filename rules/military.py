"""R-MILITARY-SERVICE: a borrower called up for military service gets a deferral for the service period plus 60 days
with no interest accrued in it (LMF Art. 7 p.2 sub 11-2; SPEC §8 "Conscripts"). It is the only lawful plan, and a
refusal is blocked as under R-MANDATORY."""

from __future__ import annotations

from datetime import date, timedelta

from rules.citations import rule_outcome
from rules.ids import R_MILITARY_SERVICE
from rules.outcome import RuleOutcome
from rules.ruleset import RuleSet
from schedules.calendar import due_dates
from schedules.terms import PlanParams

REASON = "military_service"
MAX_DEFERRAL_MONTHS = 600
"""The engine's longest deferral (``schedules.plan.MAX_MONTHS``)."""
LABEL = "military_service"


def deferral_end(service_until: date, ruleset: RuleSet) -> date:
    """LMF Art. 7 p.2 sub 11-2: the last day of the deferral, service end + 60 days (a period of N days from D ends on
    D + N). Raises ``OverflowError`` near ``date.max`` (callers answer 422)."""
    extra = ruleset.military_service.extra_days if ruleset.military_service is not None else 60
    return service_until + timedelta(days=extra)


def conscript_plan(start_on: date, payment_day: int, service_until: date, ruleset: RuleSet) -> PlanParams:
    """The only lawful plan: an ``interest_free`` deferral over every due date up to the first one on or after the
    deferral's end (so no interest accrues until then), then the loan's remaining schedule."""
    end = deferral_end(service_until, ruleset)
    first = due_dates(start_on, payment_day, 1)[0]
    span = max(0, (end.year - first.year) * 12 + end.month - first.month)
    if span > MAX_DEFERRAL_MONTHS:
        raise OverflowError("the service ends too far in the future")
    dues = due_dates(start_on, payment_day, span + 2)
    months = next(k for k, due in enumerate(dues, start=1) if due >= end)
    return PlanParams(deferral_months=months, deferral_of="interest_free", label=LABEL)


def is_conscript_plan(params: PlanParams, lawful: PlanParams) -> bool:
    """The plan is the lawful conscript plan (the same deferral, nothing less)."""
    return (
        params.deferral_of == "interest_free"
        and (params.deferral_months or 0) >= (lawful.deferral_months or 0)
    )


def _key(params: PlanParams | None, passed: bool) -> str:
    if params is None:
        return "R-MILITARY-SERVICE.applies"
    return "R-MILITARY-SERVICE.plan_ok" if passed else "R-MILITARY-SERVICE.plan_not_lawful"


def military_outcome(
    service_until: date, start_on: date, payment_day: int, ruleset: RuleSet, params: PlanParams | None = None
) -> RuleOutcome:
    """LMF Art. 7 p.2 sub 11-2: on an application (``params=None``) the deferral the law requires; on a plan, whether
    it is that deferral."""
    lawful = conscript_plan(start_on, payment_day, service_until, ruleset)
    passed = True if params is None else is_conscript_plan(params, lawful)
    return rule_outcome(
        R_MILITARY_SERVICE,
        passed,
        {
            "service_until": service_until.isoformat(),
            "deferral_until": deferral_end(service_until, ruleset).isoformat(),
            "deferral_months": lawful.deferral_months,
            "extra_days": ruleset.military_service.extra_days if ruleset.military_service is not None else 60,
        },
        key=_key(params, passed),
    )
