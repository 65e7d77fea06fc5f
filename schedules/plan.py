"""A restructuring plan applied to a loan snapshot: the scalar engine's exact algorithm (SPEC §1, §2, §4, §5).

This docstring is the definition the batch engine (``schedules/batch.py``) reproduces to the tiyn.

Units and bounds
----------------
* Money is integer tiyn (Python ``int``). Inputs must be whole tiyn (``E-INPUT-INVALID`` otherwise, never
  rounded).
* A rate is ``rate_ppm = rate_pct × 10^4`` (an int: rates have at most 4 decimals; the annual fraction is
  ``rate_ppm / 10^6``). Monthly rate ``r = rate_ppm / (12·10^6)``.
* ``half_up(n, d) = (2n + d) // (2d)`` for ``n ≥ 0``; ``floor(n, d) = n // d``.
* Bounds the engine enforces (``E-INPUT-OUT-OF-RANGE``): every amount and the total debt ≤ ``MAX_TIYN =
  2·10^10`` (200 000 000 KZT), ``0 ≤ rate_ppm ≤ 2·10^6`` (200 %), terms ≤ ``MAX_MONTHS = 600``. A period has
  ≤ 31 days, so ``2·balance·rate_ppm·days + 10^6·365 ≤ 2.5·10^18 < 2^62``: the interest numerator fits
  int64.

Interest of a period
--------------------
``interest(bal, days) = half_up(bal · rate_ppm · days, 10^6 · Y)`` with ``Y = 360`` (30E/360) or ``365``
(actual/365); ``days`` per ``schedules/calendar.py`` (30E: whole periods are exactly 30, so interest =
``r/12``).

Level payment (``schedules/annuity.py``)
-----------------------------------------
``level_payment(B, rate_ppm, n)``: with ``a = 12·10^6 + rate_ppm``, ``b = 12·10^6``, exactly ``half_up(B ·
rate_ppm · a^n, b · (a^n − b^n))`` (= half-up of ``B·r/(1−(1+r)^−n)``, the true value, exact rational
arithmetic); ``half_up(B, n)`` when ``rate_ppm = 0``. A float64 PMT gives the same result unless the true
value is within ~1e-6 tiyn of a half tiyn — recompute those exactly.

Debt split, forgiveness, settlement (in this order)
---------------------------------------------------
1. Buckets (tiyn): ``op`` overdue principal, ``oi`` overdue interest, ``pen`` penalties, ``cp`` outstanding
   (current) principal.
2. Forgiveness: each of ``op``, ``oi``, ``pen`` loses its forgiven amount (``"all"`` = the bucket). More
   than the bucket → ``E-FORGIVE-EXCEEDS``; negative → ``E-FORGIVE-NEGATIVE``.
3. Settlement (отступное, LMF Art. 6 p.1-1) ``V``: applied to ``op``, then ``oi``, then ``pen``, then
   ``cp``, each bucket taking ``min(left, bucket)``. ``V`` > the remaining debt →
   ``E-SETTLEMENT-EXCEEDS-DEBT``; ``V`` > the loan's ``collateral_value`` (when known) →
   ``E-SETTLEMENT-EXCEEDS-COLLATERAL``. With ``forgive_shortfall`` every bucket left after ``V`` is forgiven
   (nothing is rescheduled). ``forgive_shortfall`` without ``V`` is ignored.
4. ``B = op + cp`` (interest-bearing), ``A = oi + pen`` (arrears bucket, never bears interest). ``forgiven``
   (Totals) = everything removed in 2 and by ``forgive_shortfall``.

SPEC §8 before step 2 (``schedules/accrual.py``, once per loan and ``start_on``): ``pen`` loses ``penalty_excess``
(R-PENALTY's excess, ``totals.penalty_excess_removed``); a collection agency's period removes its interest and
penalties from ``oi`` / ``pen``; ``ai`` = ``accrued_interest`` + interest on the snapshot's ``op + cp`` from
``as_of`` to ``start_on`` joins the bucket after ``pen`` (``A = oi + pen + ai``; GESV amount ``B + oi + ai``).
Forgiven amounts are checked against the snapshot's buckets and forgive at most what is left of them;
settlement takes ``ai`` last. Deferral kind ``interest_free``: zero instalments, no interest (a conscript's).
A matured loan (``remaining_term_months = 0``) deferred ``d`` months has ``n = max(3, extra_months)``. Payment
cut on ``differentiated``: ``f(n)`` is the largest regular instalment of the method
(``amortise.differentiated_regular``) plus ``floor(A', n)``.

Terms
-----
* ``rate_ppm``: ``new_rate_pct`` or the loan's. Higher than the loan's → violation ``R-NO-WORSE`` (the
  schedule is still computed and returned, ``feasible=False``); negative → ``E-RATE-NEGATIVE``.
* ``d = deferral_months or 0``; ``deferral_of`` defaults to ``"principal"`` when ``d > 0``.
* ``n`` (amortising instalments, after the deferral) = ``remaining_term_months + (extra_months or 0)``, or
  with ``payment_cut_pct`` the value found below. Total instalments ``d + n``.
* ``d + n > max(max_term_months, remaining_term_months)`` → ``E-TERM-EXCEEDS-MAX`` (so the baseline is never
  flagged; the schedule is still returned, ``feasible=False``).
* Payment cut (0 < pct < 100, else ``E-PAYMENT-CUT-INVALID``): ``T = floor(scheduled_payment · (100 − pct) /
  100)`` to the tiyn (exact Decimal). ``A'`` = ``A`` plus the interest deferred by a
  ``principal_and_interest`` deferral (below, it does not depend on ``n``). ``f(n) = level_payment(B, rate,
  n) + floor(A', n)`` (for every method: the "level instalment" of SPEC §4; non-increasing in ``n``). ``n``
  = the smallest ``n ≥ n_min`` with ``f(n) ≤ T`` where ``n_min = remaining_term_months + extra_months`` when
  ``extra_months`` is given, else 1. None with ``n ≤ max_term_months − d`` → ``E-PAYMENT-CUT-INFEASIBLE``
  (empty schedule).
* ``n < 1`` with debt left → ``E-TERM-INVALID``.

Level amount of the method
--------------------------
The plan **keeps the contract's level amount** when it is "contract-preserving": same rate, same method, ``B
== outstanding_principal`` (no overdue principal, nothing forgiven or settled from principal), ``d == 0``,
no payment cut and ``n == remaining_term_months``. Then ``L = scheduled_payment`` (annuity, principal_first)
and the differentiated principal part is ``floor(principal, term_months)`` (the original contract's part).
Otherwise ``L = level_payment(B, rate, n)`` and the part is ``floor(B, n)``. This is why the baseline of a
plain loan started on its previous due date reproduces the contractual schedule exactly.

Schedule
--------
Due dates ``due_1..due_{d+n}`` and period days per ``schedules/calendar.py`` (plan's ``payment_day`` or the
loan's), first period from ``start_on``. ``bal = B``.

* Deferral lines ``k = 1..d``: ``I = interest(bal, days_k)``. ``principal``: payment ``I`` (interest-only);
  ``principal_and_interest``: payment 0 and ``deferred += I``. ``A' = A + deferred``. No arrears share is
  paid.
* Amortising lines ``j = 1..n`` (line number ``k = d + j``), ``I = interest(bal, days_k)``:
  - annuity: ``P = bal`` if ``j == n`` else ``min(bal, max(0, L − I))``; interest paid ``I``.
  - differentiated: ``P = bal`` if ``j == n`` else ``min(bal, part)``; interest paid ``I``.
  - principal_first: ``pot += I``; if ``j == n``: ``P = bal``, interest paid ``= pot``; else ``P = min(bal,
    L)``, interest paid ``= min(L − P, pot)``; ``pot −=`` interest paid. (Interest is shown in the
    ``interest`` column when it is paid.)
  - ``bal −= P``. **Truncation**: only when ``B > 0`` and ``A' == 0``: if after line ``j < n`` ``bal == 0``
    and (principal_first) ``pot == 0``, the schedule ends at ``j`` (``m = j``). Otherwise ``m = n`` always:
    lines after an early pay-off (a short first period, a generous level) carry only their arrears share, so
    the shares (and the payment-cut test) stay those of ``n`` instalments.
* Arrears shares over the ``m`` amortising lines: ``s = floor(A', m)`` on lines ``1..m−1``, the last gets
  ``A' − (m−1)·s``. Line: ``payment = P + interest paid + share``; ``balance = bal``.
* Nothing to schedule (``B == 0`` and ``A' == 0``): empty schedule, feasible.

Metrics and totals
------------------
* Totals: sums of the columns; ``forgiven`` as above.
* ``first_payment`` = line 1's payment (0 under a full deferral); ``max_regular_payment`` = max payment of
  lines ``1..N−1`` (line N's when N == 1); ``instalments`` = N (deferral lines included); ``maturity_on`` =
  due_N.
* ``payment_cut_pct = half_up((S − max_regular) · 10^4, S) / 100`` with ``S = scheduled_payment`` (signed,
  half away from zero; 0.00 when S == 0).
* GESV (``schedules/gesv.py``): amount ``S0 = B + A' − deferred − pen_left`` at t=0 (penalties excluded; the
  deferred interest is not an advance) and ``P_k = payment_k − penalty part_k`` at ``t_k = (due_k −
  start_on).days``. Arrears shares repay the bucket in the statutory order ``oi``, then ``pen``, then
  deferred interest: with cumulative shares ``c_j``, the penalty part of line j is ``max(0, min(c_j, oi+pen)
  − max(c_{j−1}, oi))``. Root ``i`` of ``Σ P_k (1+i)^(−t_k/365) = S0`` by float64 Newton on ``x = ln(1+i)``
  from ``ln(1 + (1 + rate/12)^12 − 1)`` to ``|Δx| < 1e-14`` (an iterate below ``x = −1`` restarts from ``x = 0``
  when ``Σ P_k ≥ S0``); percent ``= Decimal(repr(100·i))`` quantized to 0.1 half-up. ``None`` when ``S0 ==
  0`` or no payments. (``schedules/gesv.py`` gets the same percent faster by Halley's method, falling back to
  this iteration near a rounding tie.)
* NPV (``schedules/npv.py``) at annual ``δ`` (discount_rate_pct/100): ``v = 1 + δ/12``; ``τ_k =
  days30E(start_on, due_1)/30 + (k − 1)`` (months, 30E with the schedule's payment day, regardless of the
  loan's day count); ``npv = t0 + Σ payment_k · v^(−τ_k)`` in float64 summed in line order, then ``floor(x +
  0.5)`` tiyn. ``t0`` = settlement ``V`` for a plan. Contract (``schedules/contract.py``): ``t0 = op + oi +
  pen`` (overdue paid now) + the remaining contractual schedule = this algorithm on the snapshot with ``A =
  0``, ``B = outstanding_principal``, no changes (contract-preserving levels). ``concession = npv(contract)
  − npv(plan)``.

Infeasible plans return ``feasible=False`` with ``Violation``s; the schedule is empty unless stated above.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from schedules.amortise import amortise, differentiated_regular, interest
from schedules.annuity import level_payment, shortest_term
from schedules.calendar import year_days
from schedules.contract import contract_level, contract_npv, contract_schedule
from schedules.limits import (
    E_DEFERRAL_INVALID,
    E_EXTRA_MONTHS_INVALID,
    E_INPUT_INVALID,
    E_PAYMENT_CUT_INFEASIBLE,
    E_PAYMENT_CUT_INVALID,
    E_TERM_EXCEEDS_MAX,
    E_TERM_INVALID,
    MATURED_MIN_INSTALMENTS,
    MAX_MONTHS,
    MAX_RATE_PPM,
    MAX_TIYN,
    R_NO_WORSE,
)
from schedules.money import ZERO, from_tiyn
from schedules.plan_calendar import plan_calendar
from schedules.plan_debt import split_debt, start_of
from schedules.plan_inputs import (
    Loan,
    PlanInputError,
    amount_tiyn,
    check_day,
    prepare_loan,
    rate_ppm,
)
from schedules.plan_result import Scheduled, Shared, empty_result, finish
from schedules.result import PlanResult, Violation
from schedules.terms import DEFERRALS, METHODS, DeferralOf, LoanSnapshot, Method, PlanParams

__all__ = [  # plan.py was the home of these names: they stay importable from here
    "MATURED_MIN_INSTALMENTS",
    "MAX_MONTHS",
    "MAX_RATE_PPM",
    "MAX_TIYN",
    "Loan",
    "PlanInputError",
    "build_plan",
    "build_plans",
    "contract_level",
    "contract_schedule",
    "prepare_loan",
    "rate_ppm",
    "start_of",
]


def _differentiated_regular(base: int, rate: int, yd: int, tail: Sequence[int]) -> Callable[[int], int]:
    """SPEC §8 "Payment cut on any method": the differentiated largest regular instalment over ``n`` lines."""

    def regular(n: int) -> int:
        return differentiated_regular(base, rate, yd, tail[:n])

    return regular


def build_plan(
    loan: LoanSnapshot,
    params: PlanParams,
    *,
    start_on: date,
    max_term_months: int,
    discount_rate_pct: Decimal,
    penalty_excess: Decimal = ZERO,
) -> PlanResult:
    """Apply ``params`` to ``loan`` on ``start_on`` (``PlanParams()`` is the baseline). Never raises on bad plans.

    ``penalty_excess``: penalties above the lawful cap (R-PENALTY), dropped from the arrears bucket (SPEC §8).
    """
    return build_plans(
        loan,
        (params,),
        start_on=start_on,
        max_term_months=max_term_months,
        discount_rate_pct=discount_rate_pct,
        penalty_excess=penalty_excess,
    )[0]


def build_plans(
    loan: LoanSnapshot,
    plans: Sequence[PlanParams],
    *,
    start_on: date,
    max_term_months: int,
    discount_rate_pct: Decimal,
    with_schedule: bool = True,
    penalty_excess: Decimal = ZERO,
) -> tuple[PlanResult, ...]:
    """``build_plan`` for several plans of one loan, sharing the checked loan and the contract's NPV.

    ``with_schedule=False`` leaves ``schedule`` empty (totals and metrics are still computed): for searches over
    many candidate plans, materialising only the chosen one.
    """
    try:
        ln = prepare_loan(loan)
        sb = start_of(ln, start_on, amount_tiyn(penalty_excess, "The penalty excess"))
    except PlanInputError as e:
        return tuple(empty_result(p, [e.violation], None) for p in plans)
    npv = contract_npv(ln, start_on, discount_rate_pct)
    ctx = Shared(ln, start_on, max_term_months, discount_rate_pct, npv, {} if with_schedule else None, {}, sb)
    return tuple(_build(ctx, p) for p in plans)


@dataclass(slots=True)
class _Terms:
    """A plan's terms: its values, or the loan's where it has none."""

    rate: int
    method: Method
    pday: int
    d: int
    kind: DeferralOf
    extra: int | None
    cut: Decimal | None


def _build(ctx: Shared, params: PlanParams) -> PlanResult:
    """One plan: the plan's checks, the debt split, the number of instalments and the level, the schedule."""
    ln = ctx.ln
    hard: list[Violation] = []
    soft: list[Violation] = []
    t = _terms(ln, params, hard, soft)
    debt = split_debt(ln, params, hard, ctx.sb)
    if hard:
        return empty_result(params, hard + soft, ln)

    base = debt.op + debt.cp
    arrears = debt.oi + debt.pen + debt.ai
    if base == 0 and arrears == 0:
        return finish(Scheduled(ctx, params, debt, None, 0, (), 0, (), soft, 0))
    n = _instalments(ctx, t, base, arrears)
    if isinstance(n, Violation):
        return empty_result(params, [n, *soft], ln)
    d = t.d
    if n < 1:
        return empty_result(
            params,
            [Violation(E_TERM_INVALID, "The plan leaves no instalment to repay the debt; extend the term."), *soft],
            ln,
        )
    if d + n > MAX_MONTHS:
        return empty_result(
            params, [Violation(E_TERM_INVALID, f"A schedule of {d + n} months is too long."), *soft], ln
        )
    if d + n > max(ctx.max_term_months, ln.remaining_term_months):
        soft.append(
            Violation(
                E_TERM_EXCEEDS_MAX,
                f"The plan runs {d + n} instalments, more than the maximum of {ctx.max_term_months} months.",
            )
        )
    level = _level(ln, t, base, n)
    dues, days, first30, years = plan_calendar(ctx.start_on, t.pday, d + n, ln.day_count)
    s = amortise(base, arrears, t.rate, year_days(ln.day_count), days, d, t.kind, t.method, level, ctx.lines_memo)
    return finish(Scheduled(ctx, params, debt, s, d, dues, first30, years, soft, t.rate))


def _terms(ln: Loan, params: PlanParams, hard: list[Violation], soft: list[Violation]) -> _Terms:
    """The plan's terms and their checks: errors go to ``hard`` (no schedule), R-NO-WORSE to ``soft``."""
    rate = ln.rate_ppm
    if params.new_rate_pct is not None:
        try:
            rate = rate_ppm(params.new_rate_pct, "The new rate")
        except PlanInputError as e:
            hard.append(e.violation)
        else:
            if rate > ln.rate_ppm:
                soft.append(
                    Violation(
                        R_NO_WORSE,
                        f"The new rate {params.new_rate_pct}% is higher than the loan's "
                        f"{from_tiyn(ln.rate_ppm // 100)}%; a restructuring may never raise the rate.",
                    )
                )
    method: Method = params.method if params.method is not None else ln.method
    if method not in METHODS:
        hard.append(Violation(E_INPUT_INVALID, f"Unknown repayment method {method!r}."))
    pday = params.payment_day if params.payment_day is not None else ln.payment_day
    try:
        check_day(pday, "The new payment day")
    except PlanInputError as e:
        hard.append(e.violation)
    d = params.deferral_months or 0
    kind = params.deferral_of or "principal"
    if not 0 <= d <= MAX_MONTHS:
        hard.append(Violation(E_DEFERRAL_INVALID, f"A deferral of {d} months is not possible."))
    if kind not in DEFERRALS:
        hard.append(Violation(E_INPUT_INVALID, f"Unknown deferral kind {kind!r}."))
    extra = params.extra_months
    if extra is not None and not 0 <= extra <= MAX_MONTHS:
        hard.append(Violation(E_EXTRA_MONTHS_INVALID, f"A term extension of {extra} months is not possible."))
    cut = params.payment_cut_pct
    if cut is not None:
        try:
            cut_ok = Decimal(0) < Decimal(cut) < Decimal(100)
        except (InvalidOperation, TypeError):
            cut_ok = False
        if not cut_ok:
            hard.append(Violation(E_PAYMENT_CUT_INVALID, f"A payment cut must be between 0% and 100% (got {cut}%)."))
    return _Terms(rate, method, pday, d, kind, extra, cut)


def _instalments(ctx: Shared, t: _Terms, base: int, arrears: int) -> int | Violation:
    """Amortising instalments: the remaining term (+ extension), or with a payment cut the shortest term that
    brings the payment down to the target (``E-PAYMENT-CUT-INFEASIBLE`` when none does)."""
    ln = ctx.ln
    n_default = ln.remaining_term_months + (t.extra or 0)
    if ln.remaining_term_months == 0 and t.d:
        n_default = max(MATURED_MIN_INSTALMENTS, t.extra or 0)
    cut = t.cut
    if cut is None:
        return n_default
    yd = year_days(ln.day_count)
    deferred_pre = 0
    if t.d and t.kind == "principal_and_interest" and base:
        ddays = plan_calendar(ctx.start_on, t.pday, t.d, ln.day_count)[1]
        deferred_pre = sum(interest(base, t.rate, x, yd) for x in ddays)
    num, den = Decimal(cut).as_integer_ratio()  # exact: floor(S · (100 − cut) / 100), S and T ≥ 0
    target = ln.scheduled_payment * (100 * den - num) // (100 * den)
    n_min = n_default if t.extra is not None else 1
    regular = None
    if t.method == "differentiated":
        tail = plan_calendar(ctx.start_on, t.pday, max(ctx.max_term_months, t.d + 1), ln.day_count)[1][t.d :]
        regular = _differentiated_regular(base, t.rate, yd, tail)
    found = shortest_term(base, arrears + deferred_pre, t.rate, target, n_min, ctx.max_term_months - t.d, regular)
    if found is None:
        return Violation(
            E_PAYMENT_CUT_INFEASIBLE,
            f"No schedule of at most {ctx.max_term_months} instalments brings the payment down to "
            f"{from_tiyn(target)} KZT ({cut}% below the scheduled {from_tiyn(ln.scheduled_payment)} KZT).",
        )
    return found


def _level(ln: Loan, t: _Terms, base: int, n: int) -> int:
    """The level amount: the contract's when the plan preserves it, else recomputed on B over n."""
    preserving = (
        t.rate == ln.rate_ppm
        and t.method == ln.method
        and base == ln.outstanding_principal
        and t.d == 0
        and t.cut is None
        and n == ln.remaining_term_months
        and contract_level(ln) > 0
    )
    if preserving:
        return contract_level(ln)
    if t.method == "differentiated":
        return base // n
    return level_payment(base, t.rate, n)
