"""A block's checks, its plan terms and the debt split, over arrays (scalar ``prepare_loan``, ``_build``'s checks
and ``_split_debt``; SPEC §2, §8).

Each check sets its bit (``schedules.limits.V_*``) in the block's ``violations``; the stages after it
(``schedules/batch_block.py``) compute on clipped values and the bits decide what is kept.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schedules.batch_arrays import FORGIVE_ALL, I64, NO_COLLATERAL, OMITTED, Bool, LoanArrays, PlanArrays
from schedules.batch_pmt import RATE_SCALE
from schedules.limits import (
    MAX_MONTHS,
    MAX_RATE_PPM,
    MAX_TIYN,
    V_DEFERRAL_INVALID,
    V_EXTRA_MONTHS_INVALID,
    V_FORGIVE_EXCEEDS,
    V_FORGIVE_NEGATIVE,
    V_INPUT_INVALID,
    V_INPUT_OUT_OF_RANGE,
    V_NO_WORSE,
    V_PAYMENT_CUT_INVALID,
    V_PAYMENT_DAY_INVALID,
    V_RATE_NEGATIVE,
    V_SETTLEMENT_EXCEEDS_COLLATERAL,
    V_SETTLEMENT_EXCEEDS_DEBT,
    V_SETTLEMENT_NEGATIVE,
)


@dataclass(frozen=True)
class Block:
    """The loans ``[sl.start, sl.stop)`` of one block, the plan, and the block's summary buffers (``out``)."""

    loans: LoanArrays
    plan: PlanArrays
    sl: slice
    m: int
    out: dict[str, I64]

    def g(self, a: I64) -> I64:
        """A plan field for each loan of the block (a 0-d field is broadcast)."""
        return np.broadcast_to(a if a.ndim == 0 else a[self.sl], (self.m,))

    @property
    def viol(self) -> I64:
        """The block's violation bits (a view into ``out``)."""
        return self.out["violations"]


@dataclass(frozen=True)
class Terms:
    """The plan's terms for each loan, clipped into range (the violation bits say which were not)."""

    rate: I64
    method: I64
    pday: I64
    dc: I64
    d: I64
    extra: I64
    has_extra: Bool
    cut: I64
    has_cut: Bool


@dataclass(frozen=True)
class Split:
    """The debt left to reschedule: ``base`` (B, interest-bearing) and ``arrears`` (A, the arrears bucket)."""

    base: I64
    arrears: I64


def loan_checks(b: Block) -> I64:
    """Loan checks (scalar ``prepare_loan``): the first failing one's bit, which empties every plan of the loan."""
    loans, sl = b.loans, b.sl
    cp0 = loans.outstanding_principal[sl]
    op0 = loans.overdue_principal[sl]
    oi0 = loans.overdue_interest[sl]
    pen0 = loans.penalties[sl]
    loan_rate = loans.rate_ppm[sl]
    remaining = loans.remaining_term[sl]
    coll = loans.collateral_value[sl]
    checks: list[tuple[Bool, int]] = [
        ((loans.payment_day[sl] < 1) | (loans.payment_day[sl] > 31), V_PAYMENT_DAY_INVALID),
        ((loans.term_months[sl] < 0) | (loans.term_months[sl] > MAX_MONTHS), V_INPUT_OUT_OF_RANGE),
        ((remaining < 0) | (remaining > MAX_MONTHS), V_INPUT_OUT_OF_RANGE),
    ]
    for amount in (op0, oi0, pen0, cp0, loans.principal[sl]):
        checks += [(amount < 0, V_INPUT_INVALID), (amount > MAX_TIYN, V_INPUT_OUT_OF_RANGE)]
    checks += [(loan_rate < 0, V_RATE_NEGATIVE), (loan_rate > MAX_RATE_PPM, V_INPUT_OUT_OF_RANGE)]
    sp = loans.scheduled_payment[sl]
    checks += [(sp < 0, V_INPUT_INVALID), (sp > MAX_TIYN, V_INPUT_OUT_OF_RANGE)]
    known = coll != NO_COLLATERAL
    checks += [(known & (coll < 0), V_INPUT_INVALID), (coll > MAX_TIYN, V_INPUT_OUT_OF_RANGE)]
    checks.append((op0 + oi0 + pen0 + cp0 > MAX_TIYN, V_INPUT_OUT_OF_RANGE))
    loan_bad = np.zeros(b.m, dtype=np.int64)
    for mask, bit in reversed(checks):
        loan_bad = np.where(mask, bit, loan_bad)
    return loan_bad


def plan_terms(b: Block) -> Terms:
    """Plan checks (hard ones empty the plan; R-NO-WORSE and E-TERM-EXCEEDS-MAX keep it) and the terms."""
    loans, sl, g, viol = b.loans, b.sl, b.g, b.viol
    plan = b.plan
    loan_rate = loans.rate_ppm[sl]
    new_rate = g(plan.new_rate_ppm)
    has_rate = new_rate != OMITTED
    viol |= np.where(has_rate & (new_rate < 0), V_RATE_NEGATIVE, 0)
    viol |= np.where(has_rate & (new_rate > MAX_RATE_PPM), V_INPUT_OUT_OF_RANGE, 0)
    viol |= np.where(has_rate & (new_rate >= 0) & (new_rate <= MAX_RATE_PPM) & (new_rate > loan_rate), V_NO_WORSE, 0)
    rate = np.clip(np.where(has_rate, new_rate, loan_rate), 0, MAX_RATE_PPM)
    pm = g(plan.method)
    method = np.where(pm != OMITTED, pm, loans.method[sl])
    ppd = g(plan.payment_day)
    pday = np.where(ppd != OMITTED, ppd, loans.payment_day[sl])
    viol |= np.where((pday < 1) | (pday > 31), V_PAYMENT_DAY_INVALID, 0)
    pday = np.clip(pday, 1, 31)
    d = g(plan.deferral_months)
    viol |= np.where((d < 0) | (d > MAX_MONTHS), V_DEFERRAL_INVALID, 0)
    d = np.clip(d, 0, MAX_MONTHS).astype(np.int64)
    extra = g(plan.extra_months)
    has_extra = extra != OMITTED
    viol |= np.where(has_extra & ((extra < 0) | (extra > MAX_MONTHS)), V_EXTRA_MONTHS_INVALID, 0)
    cut = g(plan.payment_cut_ppm)
    has_cut = cut != OMITTED
    viol |= np.where(has_cut & ((cut <= 0) | (cut >= 100 * RATE_SCALE)), V_PAYMENT_CUT_INVALID, 0)
    return Terms(rate, method, pday, loans.day_count[sl], d, extra, has_extra, cut, has_cut)


def split_debt(b: Block) -> Split:
    """Forgiveness, settlement in the statutory order, the split into B and A (scalar ``_split_debt``).

    Forgiveness is checked against the snapshot's buckets and applied to what the law leaves (SPEC §8). Sets the
    block's ``forgiven``, ``settled`` and ``penalty_excess_removed``.
    """
    loans, sl, g, viol, out, m = b.loans, b.sl, b.g, b.viol, b.out, b.m
    cp0 = loans.outstanding_principal[sl]
    op0 = loans.overdue_principal[sl]
    oi0 = loans.overdue_interest[sl]
    pen0 = loans.penalties[sl]
    coll = loans.collateral_value[sl]
    oi_l = oi0 if loans.lawful_overdue_interest is None else loans.lawful_overdue_interest[sl]
    pen_l = pen0 if loans.lawful_penalties is None else loans.lawful_penalties[sl]
    ai = np.zeros(m, dtype=np.int64) if loans.accrued is None else loans.accrued[sl].copy()
    excess = out["penalty_excess_removed"]
    excess[:] = 0 if loans.penalty_excess is None else loans.penalty_excess[sl]
    op, oi, pen, cp = op0.copy(), oi_l.copy(), pen_l.copy(), cp0.copy()
    forgiven = out["forgiven"]
    forgiven[:] = 0
    for bucket, raw, asked in (
        (op, op0, g(b.plan.forgive_overdue_principal)),
        (oi, oi0, g(b.plan.forgive_overdue_interest)),
        (pen, pen0, g(b.plan.forgive_penalties)),
    ):
        amount_given = asked != FORGIVE_ALL
        negative = amount_given & (asked < 0)
        exceeds = amount_given & ~negative & (asked > raw)
        viol |= np.where(negative, V_FORGIVE_NEGATIVE, 0) | np.where(exceeds, V_FORGIVE_EXCEEDS, 0)
        f = np.minimum(np.where(amount_given, np.where(negative | exceeds, 0, asked), raw), bucket)
        bucket -= f
        forgiven += f
    sv = g(b.plan.settlement_value)
    has_sv = sv != OMITTED
    debt_left = op + oi + pen + cp + ai
    sv_neg = has_sv & (sv < 0)
    sv_debt = has_sv & ~sv_neg & (sv > debt_left)
    sv_coll = has_sv & ~sv_neg & ~sv_debt & (coll != NO_COLLATERAL) & (sv > coll)
    viol |= np.where(sv_neg, V_SETTLEMENT_NEGATIVE, 0) | np.where(sv_debt, V_SETTLEMENT_EXCEEDS_DEBT, 0)
    viol |= np.where(sv_coll, V_SETTLEMENT_EXCEEDS_COLLATERAL, 0)
    applied = has_sv & ~sv_neg & ~sv_debt & ~sv_coll
    value = np.where(applied, sv, 0)
    settled = out["settled"]
    settled[:] = 0
    for bucket in (op, oi, pen, cp, ai):
        take = np.minimum(value, bucket)
        bucket -= take
        value = value - take
        settled += take
    base = cp + op
    arrears = oi + pen + ai
    shortfall = (g(b.plan.forgive_shortfall) != 0) & applied
    forgiven += np.where(shortfall, base + arrears, 0)
    base[shortfall] = 0
    arrears[shortfall] = 0
    return Split(base, arrears)
