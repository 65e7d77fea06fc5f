"""The recommended plan: a relief waterfall in the manner of Fannie Mae Flex Modification and HAMP (SPEC §4).

Steps, cumulative, in order: forgive penalties → extend the term (to the set's maximum) → cut the rate (to the set's
floor) → defer principal → forgive overdue interest → forgive overdue principal. Stop at the first plan whose
``dti_recent`` ≤ the set's target. Within the step that reaches the target, search the smallest concession that
does (the fewest months, the smallest rate cut, the smallest amount), by interpolation with a bisection fallback.
A step whose full concession does not lower the largest regular instalment is not kept (same outcome, more
concession). When R-MANDATORY applies, the walk starts from the relief the law requires.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from rules.assessment import Assessment, check_assessed
from rules.mandatory import request_grounds
from rules.military import conscript_plan
from rules.numbers import ratio4
from rules.outcome import Figure
from rules.penalty import penalty_excess
from rules.ruleset import RuleSet, ruleset_by_id
from schedules.money import from_tiyn, to_tiyn
from schedules.plan import build_plan
from schedules.result import PlanResult
from schedules.terms import ALL, Forgiveness, LoanSnapshot, PlanParams

STEP_BASELINE = "baseline"
STEP_MANDATORY = "mandatory"
STEP_MILITARY = "military_service"
STEP_FORGIVE_PENALTIES = "forgive_penalties"
STEP_EXTEND_TERM = "extend_term"
STEP_CUT_RATE = "cut_rate"
STEP_DEFER = "defer"
STEP_FORGIVE_INTEREST = "forgive_interest"
STEP_FORGIVE_PRINCIPAL = "forgive_principal"
STEPS: tuple[str, ...] = (
    STEP_FORGIVE_PENALTIES,
    STEP_EXTEND_TERM,
    STEP_CUT_RATE,
    STEP_DEFER,
    STEP_FORGIVE_INTEREST,
    STEP_FORGIVE_PRINCIPAL,
)

OUTCOME_TARGET_MET = "target_met"
OUTCOME_CONTINUE = "continue"
OUTCOME_NO_EFFECT = "no_effect"
OUTCOME_NOTHING_TO_DO = "nothing_to_do"
OUTCOME_INFEASIBLE = "infeasible"
OUTCOME_SKIPPED = "skipped"

RECOMMENDED_LABEL = "recommended"
_RATE_STEP = Decimal("0.01")


@dataclass(frozen=True)
class WaterfallStep:
    """One step of the walk: what it tried (``params``, cumulative), its figures and why the walk went on or stopped.

    ``outcome``: ``target_met`` (stop), ``continue`` (kept, target not met), ``no_effect`` (not kept: the largest
    instalment did not fall), ``nothing_to_do``, ``infeasible`` (not kept), ``skipped``. ``setting`` is the
    concession this step chose (e.g. ``"extra_months=7"``); ``evaluations`` how many schedules it built.
    ``text_key`` + ``figures`` are worded at the edge (``api/rule_texts.py``).
    """

    step: str
    outcome: str
    kept: bool
    params: PlanParams | None
    setting: str | None
    payment: Decimal | None
    dti_recent: Decimal | None
    concession: Decimal | None
    evaluations: int
    text_key: str
    figures: Mapping[str, Figure]


@dataclass(frozen=True)
class Recommendation:
    """The recommended plan (checked: violations, ``kdn``, ``dti_recent``), the step log, and whether the target was
    met; when it was not, ``plan`` is the plan with the lowest burden found. ``summary_key`` is ``step.target_met``
    or ``step.not_met``."""

    plan: PlanResult
    steps: tuple[WaterfallStep, ...]
    target_met: bool
    target: Decimal
    summary_key: str
    summary_figures: Mapping[str, Figure]


@dataclass
class _Walk:
    loan: LoanSnapshot
    ruleset: RuleSet
    start_on: date
    discount_rate_pct: Decimal
    threshold: Fraction | None  # the largest instalment that meets the target; None: no recent income
    other: Decimal
    avg2: Fraction
    built: int = 0
    excess: Decimal = Decimal("0.00")

    def build(self, params: PlanParams) -> PlanResult:
        self.built += 1
        return build_plan(
            self.loan,
            params,
            start_on=self.start_on,
            max_term_months=self.ruleset.max_term_months,
            discount_rate_pct=self.discount_rate_pct,
            penalty_excess=self.excess,
        )

    def ok(self, plan: PlanResult) -> bool:
        return usable(plan) and self.threshold is not None and plan.metrics.max_regular_payment <= self.threshold

    def dti(self, plan: PlanResult) -> Decimal | None:
        if not plan.schedule or not self.avg2:
            return None
        return ratio4((Fraction(plan.metrics.max_regular_payment) + Fraction(self.other)) / self.avg2)


def usable(plan: PlanResult) -> bool:
    """A plan the walk may keep: a schedule and no engine violation."""
    return plan.feasible and bool(plan.schedule)


def _with_forgiveness(params: PlanParams, **amounts: Decimal | str) -> PlanParams:
    f = params.forgive or Forgiveness()
    return dataclasses.replace(params, forgive=dataclasses.replace(f, **amounts))  # type: ignore[arg-type]


def mandatory_base(requested: PlanParams | None, ruleset: RuleSet) -> tuple[PlanParams, ...]:
    """LMF Art. 9-2 p.3; ARDFM Res. 49/2025: the relief a recommendation must contain when R-MANDATORY applies,
    best first — the request's deferral (at least the set's minimum months) and/or its ≥50% payment cut."""
    grounds = request_grounds(requested, ruleset)
    deferral: PlanParams | None = None
    cut: PlanParams | None = None
    if requested is not None and "deferral" in grounds:
        months = max(requested.deferral_months or 0, ruleset.mandatory_min_months)
        deferral = PlanParams(deferral_months=months, deferral_of=requested.deferral_of or "principal")
    if requested is not None and "payment_cut" in grounds:
        cut = PlanParams(payment_cut_pct=requested.payment_cut_pct)
    options: list[PlanParams] = []
    if deferral is not None and cut is not None:
        options.append(dataclasses.replace(deferral, payment_cut_pct=cut.payment_cut_pct))
    options += [p for p in (deferral, cut) if p is not None]
    if "deferral" in ruleset.mandatory_request_grounds:
        options.append(PlanParams(deferral_months=ruleset.mandatory_min_months, deferral_of="principal"))
    return tuple(dict.fromkeys(options))


def _smallest(
    walk: _Walk, lo_plan: PlanResult, hi: int, hi_plan: PlanResult, at: Callable[[int], PlanParams]
) -> tuple[int, PlanResult]:
    """Smallest ``x`` in 1..hi whose plan meets the target, given that ``hi``'s does and ``0``'s (``lo_plan``) does not.

    Interpolates on the largest instalment (nearly linear in every step's setting), bisecting when a side stalls.
    """
    assert walk.threshold is not None  # noqa: S101 — only called once a plan met the target
    a, fa = 0, Fraction(lo_plan.metrics.max_regular_payment)
    b, fb, b_plan = hi, Fraction(hi_plan.metrics.max_regular_payment), hi_plan
    last_side = 0
    stalls = 0
    while b - a > 1:
        if stalls >= 2 or fa <= fb:
            guess = (a + b) // 2
            stalls = 0
        else:
            guess = a + int((fa - walk.threshold) / (fa - fb) * (b - a))
            guess = min(max(guess, a + 1), b - 1)
        plan = walk.build(at(guess))
        if walk.ok(plan):
            b, fb, b_plan = guess, Fraction(plan.metrics.max_regular_payment), plan
            side = 1
        else:
            if usable(plan):
                fa = Fraction(plan.metrics.max_regular_payment)
            a = guess
            side = -1
        stalls = stalls + 1 if side == last_side else 0
        last_side = side
    return b, b_plan


def recommend(
    loan: LoanSnapshot,
    assessment: Assessment,
    *,
    start_on: date,
    requested: PlanParams | None = None,
    ruleset: RuleSet | None = None,
    discount_rate_pct: Decimal | None = None,
) -> Recommendation:
    """SPEC §4 (Fannie Mae Flex / HAMP waterfall), LMF Art. 9-2 p.3: the recommended plan and its step log.

    The target is ``dti_recent ≤ ruleset.dti_target`` at the assessment's incomes. ``requested`` is the borrower's
    request: when R-MANDATORY applies (``assessment.mandatory.applies``) the walk starts from the relief it requires.
    The set defaults to the assessment's; the discount rate to the set's.
    """
    rs = ruleset if ruleset is not None else ruleset_by_id(assessment.rule_set.id)
    rate = discount_rate_pct if discount_rate_pct is not None else rs.discount_rate_pct
    income = assessment.income
    other = assessment.other_monthly_debt_payments
    avg2 = income.exact_avg2
    threshold = Fraction(rs.dti_target) * avg2 - Fraction(other) if income.sum2 else None
    walk = _Walk(loan, rs, start_on, rate, threshold, other, avg2, excess=penalty_excess(loan, rs))
    steps: list[WaterfallStep] = []
    target = rs.dti_target

    def log(
        step: str, outcome: str, params: PlanParams | None, plan: PlanResult | None, setting: str | None, n: int
    ) -> None:
        steps.append(_logged(walk, target, step, outcome, params, plan, setting, n))

    if assessment.military_service_until is not None:
        # LMF Art. 7 p.2 sub 11-2: the conscript's deferral is the only lawful plan; nothing to walk.
        lawful = conscript_plan(start_on, loan.payment_day, assessment.military_service_until, rs)
        plan = walk.build(lawful)
        log(STEP_MILITARY, OUTCOME_TARGET_MET if walk.ok(plan) else OUTCOME_CONTINUE, lawful, plan, None, 1)
        return _finish(walk, loan, assessment, plan, steps, walk.ok(plan), target, start_on)
    # Start: the baseline, or the relief R-MANDATORY requires.
    current = PlanParams()
    start_step = STEP_BASELINE
    if assessment.mandatory.applies:
        start_step = STEP_MANDATORY
        current = _mandatory_start(walk, requested, rs, log)
    before = walk.built
    current_plan = walk.build(current)
    best = current_plan
    if walk.ok(current_plan):
        log(start_step, OUTCOME_TARGET_MET, current, current_plan, None, walk.built - before)
        return _finish(walk, loan, assessment, current_plan, steps, True, target, start_on)
    log(start_step, OUTCOME_CONTINUE, current, current_plan, None, walk.built - before)

    for step in STEPS:
        spec = _step_spec(step, loan, rs, current, current_plan)
        if isinstance(spec, str):
            log(step, spec, None, None, None, 0)
            continue
        hi, at, describe = spec
        before = walk.built
        full = at(hi)
        full_plan = walk.build(full)
        if not usable(full_plan):
            log(step, OUTCOME_INFEASIBLE, full, full_plan, describe(hi), walk.built - before)
            continue
        if not usable(current_plan) or full_plan.metrics.max_regular_payment < current_plan.metrics.max_regular_payment:
            pass
        else:
            log(step, OUTCOME_NO_EFFECT, full, full_plan, describe(hi), walk.built - before)
            continue
        if walk.ok(full_plan):
            x, plan = (hi, full_plan) if hi == 1 else _smallest(walk, current_plan, hi, full_plan, at)
            log(step, OUTCOME_TARGET_MET, at(x), plan, describe(x), walk.built - before)
            return _finish(walk, loan, assessment, plan, steps, True, target, start_on)
        current, current_plan = full, full_plan
        if _better(full_plan, best):
            best = full_plan
        log(step, OUTCOME_CONTINUE, full, full_plan, describe(hi), walk.built - before)
    return _finish(walk, loan, assessment, best, steps, False, target, start_on)


def _logged(
    walk: _Walk,
    target: Decimal,
    step: str,
    outcome: str,
    params: PlanParams | None,
    plan: PlanResult | None,
    setting: str | None,
    n: int,
) -> WaterfallStep:
    """One line of the step log: what was tried, with what result, after ``n`` plan evaluations."""
    payment = plan.metrics.max_regular_payment if plan is not None and plan.schedule else None
    dti = walk.dti(plan) if plan is not None else None
    concession = plan.metrics.concession if plan is not None and plan.schedule else None
    violations = tuple(v.rule for v in plan.violations) if plan is not None else ()
    return WaterfallStep(
        step=step,
        outcome=outcome,
        kept=outcome in (OUTCOME_TARGET_MET, OUTCOME_CONTINUE),
        params=params,
        setting=setting,
        payment=payment,
        dti_recent=dti,
        concession=concession,
        evaluations=n,
        text_key=f"step.{outcome}",
        figures={
            "step": step,
            "payment": payment,
            "dti_recent": dti,
            "concession": concession,
            "target": target,
            "setting": setting,
            "violations": violations,
        },
    )


def _mandatory_start(
    walk: _Walk, requested: PlanParams | None, rs: RuleSet, log: Callable[..., None]
) -> PlanParams:
    """The first lawful relief R-MANDATORY requires (logging the infeasible ones), else the baseline."""
    for option in mandatory_base(requested, rs):
        before = walk.built
        plan = walk.build(option)
        if usable(plan):
            return option
        log(STEP_MANDATORY, OUTCOME_INFEASIBLE, option, plan, None, walk.built - before)
    return PlanParams()


def _better(a: PlanResult, b: PlanResult) -> bool:
    """Lower burden first; on equal burden, the smaller concession."""
    if not usable(b):
        return usable(a)
    if not usable(a):
        return False
    ka = (a.metrics.max_regular_payment, a.metrics.concession)
    kb = (b.metrics.max_regular_payment, b.metrics.concession)
    return ka < kb


_Spec = tuple[int, Callable[[int], PlanParams], Callable[[int], str]] | str


def _step_spec(step: str, loan: LoanSnapshot, rs: RuleSet, current: PlanParams, plan: PlanResult) -> _Spec:
    """The search domain of a step: (full setting, params at a setting, words for a setting), or why it is not run.

    Settings are integers from 1 (the least concession) to the full one: tiyn, months or hundredths of a percent.
    """
    if step == STEP_FORGIVE_PENALTIES:
        return _forgive_spec(current, "penalties", loan.penalties)
    if step == STEP_FORGIVE_INTEREST:
        return _forgive_spec(current, "overdue_interest", loan.overdue_interest)
    if step == STEP_FORGIVE_PRINCIPAL:
        return _forgive_spec(current, "overdue_principal", loan.overdue_principal)
    if step == STEP_EXTEND_TERM:
        if current.payment_cut_pct is not None:
            return OUTCOME_SKIPPED
        room = rs.max_term_months - loan.remaining_term_months - (current.deferral_months or 0)
        if room <= 0:
            return OUTCOME_NOTHING_TO_DO
        return room, lambda x: dataclasses.replace(current, extra_months=x), lambda x: f"extra_months={x}"
    if step == STEP_CUT_RATE:
        units = int((loan.annual_rate_pct - rs.rate_floor_pct) / _RATE_STEP)
        if units <= 0:
            return OUTCOME_NOTHING_TO_DO

        def rate_at(x: int) -> Decimal:
            return loan.annual_rate_pct - _RATE_STEP * x

        return (
            units,
            lambda x: dataclasses.replace(current, new_rate_pct=rate_at(x)),
            lambda x: f"new_rate_pct={rate_at(x)}",
        )
    if step == STEP_DEFER:
        if current.deferral_months:
            return OUTCOME_NOTHING_TO_DO
        months = rs.mandatory_min_months
        return (
            months,
            lambda x: dataclasses.replace(current, deferral_months=x, deferral_of="principal"),
            lambda x: f"deferral_months={x}",
        )
    raise ValueError(f"unknown step {step!r}")


def _forgive_spec(current: PlanParams, bucket: str, amount: Decimal) -> _Spec:
    full = to_tiyn(amount)
    if full <= 0:
        return OUTCOME_NOTHING_TO_DO

    def value(x: int) -> Decimal | str:
        return ALL if x >= full else from_tiyn(x)

    return (
        full,
        lambda x: _with_forgiveness(current, **{bucket: value(x)}),
        lambda x: f"forgive.{bucket}={value(x)}",
    )


def _finish(
    walk: _Walk,
    loan: LoanSnapshot,
    assessment: Assessment,
    plan: PlanResult,
    steps: list[WaterfallStep],
    met: bool,
    target: Decimal,
    start_on: date,
) -> Recommendation:
    labelled = dataclasses.replace(plan, params=dataclasses.replace(plan.params, label=RECOMMENDED_LABEL))
    checked = check_assessed(labelled, assessment, loan=loan, ruleset=walk.ruleset, start_on=start_on, consent=True)
    return Recommendation(
        plan=checked,
        steps=tuple(steps),
        target_met=met,
        target=target,
        summary_key="step.target_met" if met else "step.not_met",
        summary_figures={
            "step": steps[-1].step if steps else STEP_BASELINE,
            "payment": checked.metrics.max_regular_payment,
            "dti_recent": checked.metrics.dti_recent,
            "target": target,
        },
    )
