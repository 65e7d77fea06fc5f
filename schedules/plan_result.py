"""A plan's result from its integer schedule: the lines, totals and metrics (SPEC §4, §5; ``schedules/plan.py``,
"Metrics and totals").

Building the result is a large share of a plan's cost, so the frozen dataclasses are filled without their
``__init__`` (``_frozen``) and the line amounts go through a shared cache.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import repeat
from typing import TypeVar

from schedules.accrual import StartBuckets
from schedules.amortise import IntSchedule
from schedules.gesv import gesv_pct_years
from schedules.money import ZERO, from_tiyn, half_up_div
from schedules.npv import discount_factors, npv_of
from schedules.plan_debt import Debt
from schedules.plan_inputs import Loan
from schedules.result import Metrics, PlanResult, ScheduleLine, Totals, Violation
from schedules.terms import PlanParams

_CENT = Decimal("0.01")
_T = TypeVar("_T")
_LinesMemo = dict[tuple[object, ...], tuple[list[int], list[int]]]


@dataclass(frozen=True, slots=True)
class Shared:
    """What the plans of one loan share in ``build_plans``."""

    ln: Loan
    start_on: date
    max_term_months: int
    discount_rate_pct: Decimal
    contract_npv: int
    memo: dict[int, Decimal] | None
    """The shared tiyn → ``Decimal`` cache of the lines (``None``: no schedule lines)."""
    lines_memo: _LinesMemo
    """The amortising lines shared by plans of the loan (``amortise``)."""
    sb: StartBuckets | None


@dataclass(slots=True)
class Scheduled:
    """A plan's schedule and what ``finish`` needs to turn it into a ``PlanResult``."""

    ctx: Shared
    params: PlanParams
    debt: Debt
    s: IntSchedule | None
    d: int
    dues: Sequence[date]
    first30: int
    years: Sequence[float]
    soft: list[Violation]
    rate: int


def empty_result(params: PlanParams, violations: Sequence[Violation], loan: Loan | None) -> PlanResult:
    """An infeasible plan's result: its violations, no schedule, zero totals and metrics."""
    return PlanResult(
        params=params,
        feasible=False,
        violations=tuple(violations),
        schedule=(),
        totals=Totals(ZERO, ZERO, ZERO, ZERO, ZERO),
        metrics=Metrics(ZERO, ZERO, ZERO, 0, None, None, ZERO, ZERO),
    )


def penalty_parts(arrears: list[int], oi: int, pen: int) -> list[int]:
    """Penalty part of each arrears share: the bucket repays overdue interest, then penalties, then the rest."""
    out = [0] * len(arrears)
    lo, hi = oi, oi + pen
    c = 0
    for i, a in enumerate(arrears):
        nxt = c + a
        if nxt > lo:
            part = (nxt if nxt < hi else hi) - (c if c > lo else lo)
            if part > 0:
                out[i] = part
            if nxt >= hi:
                break
        c = nxt
    return out


def gesv_payments(pay: list[int], arrears: list[int], d: int, oi: int, pen: int) -> list[int]:
    """``payment − penalty part`` of each line (``penalty_parts``), using the shares' shape.

    The arrears column is ``d`` zeros, then ``m − 1`` equal shares ``s`` and the last share: the cumulative
    share before amortising line ``j`` is ``j·s``, so only the lines overlapping ``[oi, oi + pen)`` are visited.
    """
    out = pay[:]
    m = len(pay) - d
    s = arrears[d] if m > 1 else 0
    lo, hi = oi, oi + pen
    j = min(lo // s, m - 1) if s else m - 1
    while j < m:
        c0 = j * s
        if c0 >= hi:
            break
        c1 = c0 + (s if j < m - 1 else arrears[-1])
        part = (c1 if c1 < hi else hi) - (c0 if c0 > lo else lo)
        if part > 0:
            out[d + j] -= part
        j += 1
    return out


def cut_pct(scheduled: int, paid: int) -> Decimal:
    """``payment_cut_pct``: how far ``paid`` is below the ``scheduled`` payment, in percent to 0.01."""
    if scheduled <= 0:
        return ZERO
    return from_tiyn(half_up_div((scheduled - paid) * 10_000, scheduled))


def schedule_lines(s: IntSchedule, dues: Sequence[date], memo: dict[int, Decimal]) -> tuple[ScheduleLine, ...]:
    """The schedule's lines; ``memo`` (tiyn → ``Decimal``) is shared by the plans of one ``build_plans`` call."""
    # ``_CENT * t`` is ``from_tiyn(t)`` exactly (same digits, exponent −2), four times faster. The payment and
    # arrears columns repeat a few values (the level, the share): those go through ``memo``.
    cent = _CENT
    for t in set(s.payment).union(s.arrears).difference(memo):
        memo[t] = cent * t
    get = memo.__getitem__
    mul = cent.__mul__
    cols = (map(get, s.payment), map(mul, s.principal), map(mul, s.interest), map(get, s.arrears), map(mul, s.balance))
    count = len(s.payment)
    # Frozen dataclass construction through __init__ costs ~1 µs a line; setting __dict__ gives the same object.
    out = list(map(object.__new__, repeat(ScheduleLine, count)))
    dicts = [
        {"n": k, "due_on": due, "payment": p, "principal": pr, "interest": it, "arrears": ar, "balance": b}
        for k, due, p, pr, it, ar, b in zip(range(1, count + 1), dues, *cols, strict=False)
    ]
    deque(map(object.__setattr__, out, repeat("__dict__"), dicts), 0)
    return tuple(out)


def finish(x: Scheduled) -> PlanResult:
    """The plan's result: lines, totals and metrics (GESV, NPV, concession) of its schedule."""
    ctx, params, debt, s, d, soft = x.ctx, x.params, x.debt, x.s, x.d, x.soft
    ln = ctx.ln
    ft = _CENT.__mul__  # = from_tiyn on ints, faster
    if s is None or not s.payment:
        npv = debt.settled
        return PlanResult(
            params=params,
            feasible=not soft,
            violations=tuple(soft),
            schedule=(),
            totals=Totals(ZERO, ZERO, ZERO, ZERO, ft(debt.forgiven), ft(debt.excess)),
            metrics=Metrics(
                ZERO, ZERO, cut_pct(ln.scheduled_payment, 0), 0, None, None, ft(npv), ft(ctx.contract_npv - npv)
            ),
        )
    pay = s.payment
    count = len(pay)
    lines = schedule_lines(s, x.dues, ctx.memo) if ctx.memo is not None else ()
    max_regular = max(pay[:-1]) if count > 1 else pay[0]
    base = debt.op + debt.cp
    amount = base + debt.oi + debt.ai
    gesv_pay = gesv_payments(pay, s.arrears, d, debt.oi, debt.pen) if debt.pen else pay
    gesv = gesv_pct_years(amount, gesv_pay, x.years[:count], guess=(1 + x.rate / 12e6) ** 12 - 1)
    npv = npv_of(debt.settled, pay, discount_factors(x.first30, count, ctx.discount_rate_pct))
    totals = _frozen(
        Totals,
        {
            "payment": ft(sum(pay)),
            "principal": ft(sum(s.principal)),
            "interest": ft(sum(s.interest)),
            "arrears": ft(sum(s.arrears)),
            "forgiven": ft(debt.forgiven),
            "penalty_excess_removed": ft(debt.excess),
        },
    )
    metrics = _frozen(
        Metrics,
        {
            "first_payment": ft(pay[0]),
            "max_regular_payment": ft(max_regular),
            "payment_cut_pct": cut_pct(ln.scheduled_payment, max_regular),
            "instalments": count,
            "maturity_on": x.dues[count - 1],
            "gesv_pct": gesv,
            "npv": ft(npv),
            "concession": ft(ctx.contract_npv - npv),
            "kdn": None,
            "dti_recent": None,
        },
    )
    return _frozen(
        PlanResult,
        {
            "params": params,
            "feasible": not soft,
            "violations": tuple(soft),
            "schedule": lines,
            "totals": totals,
            "metrics": metrics,
            "needs_consent": False,
        },
    )


def _frozen(cls: type[_T], values: dict[str, object]) -> _T:
    """``cls(**values)`` for a frozen (non-slots) dataclass given every field in order, without ``__init__``'s
    per-field ``object.__setattr__`` (the same object: ``==``, ``repr``, ``replace`` and pickling agree)."""
    obj = object.__new__(cls)
    object.__setattr__(obj, "__dict__", values)
    return obj
