"""The batch amortisation engine: the plan engine vectorised over many loans (SPEC §2).

Input is structure-of-arrays (:class:`LoanArrays` + :class:`PlanArrays`, built from
``LoanSnapshot`` / ``PlanParams`` by :func:`to_arrays`); :func:`iter_blocks` streams results block
by block into reused buffers, so memory stays bounded at any portfolio size; :func:`run_batch`
collects the per-loan summaries.

Semantics are those of the scalar engine, documented in ``schedules/plan.py`` (forgiveness, then
settlement; contract-preserving level amounts; payment-cut search; deferral; annuity /
differentiated / principal_first lines, ended early by a pay-off only when there is no arrears
bucket; arrears shares over the lines scheduled), and the batch result equals ``build_plan``'s
to the tiyn.

Exactness: every amount is int64 tiyn and every rounding is integer arithmetic. Interest =
half-up(balance × rate_ppm × days / (10^6 × 360|365)), rate_ppm the annual percent × 10^4. Bound:
``balance × rate_ppm × days < 2^62`` (:data:`MAX_INTEREST_PRODUCT`): with the scalar engine's
input limits (amounts ≤ 2·10^10 tiyn, rate ≤ 2·10^6 ppm, periods ≤ 31 days) the product is
≤ 1.24·10^18; loans outside the limits get ``E-INPUT-OUT-OF-RANGE`` and are not computed. The
level payment is float64 with near-ties recomputed exactly (:mod:`schedules.batch_pmt`).

Kernel: loans of a block are grouped by (method, day count) and sorted by their number of
amortising instalments, so at line ``j`` the loans still running are a suffix and those paying
their planned last instalment a contiguous run: no masks in the monthly loop.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, fields

import numpy as np
import numpy.typing as npt

from schedules.batch_arrays import (
    ANNUITY,
    DEFER_INTEREST_FREE,
    DEFER_PRINCIPAL,
    DEFER_PRINCIPAL_AND_INTEREST,
    DEFERRAL_CODES,
    DIFFERENTIATED,
    EPOCH,
    FORGIVE_ALL,
    METHOD_CODES,
    NO_COLLATERAL,
    OMITTED,
    PRINCIPAL_FIRST,
    LoanArrays,
    PlanArrays,
    loan_arrays,
    plan_arrays,
    to_arrays,
)
from schedules.batch_calendar import (
    DC_30E_360,
    MI_MIN,
    MI_SPAN,
    PD_SLOTS,
    due_ordinal,
    first_due,
    period_days_table,
)
from schedules.batch_pmt import RATE_SCALE, level_payment
from schedules.batch_result import SCHEDULE_FIELDS, SUMMARY_FIELDS, BatchSummary, BlockResult
from schedules.limits import (
    KEEPS_SCHEDULE,
    MATURED_MIN_INSTALMENTS,
    MAX_INTEREST_PRODUCT,
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
    V_PAYMENT_CUT_INFEASIBLE,
    V_PAYMENT_CUT_INVALID,
    V_PAYMENT_DAY_INVALID,
    V_RATE_NEGATIVE,
    V_SETTLEMENT_EXCEEDS_COLLATERAL,
    V_SETTLEMENT_EXCEEDS_DEBT,
    V_SETTLEMENT_NEGATIVE,
    V_TERM_EXCEEDS_MAX,
    V_TERM_INVALID,
    VIOLATION_IDS,
    violation_ids,
)

__all__ = [  # batch.py was the home of the array, result and limit names: they stay importable from here
    "ANNUITY",
    "DEFERRAL_CODES",
    "DEFER_INTEREST_FREE",
    "DEFER_PRINCIPAL",
    "DEFER_PRINCIPAL_AND_INTEREST",
    "DIFFERENTIATED",
    "EPOCH",
    "FORGIVE_ALL",
    "KEEPS_SCHEDULE",
    "MATURED_MIN_INSTALMENTS",
    "MAX_INTEREST_PRODUCT",
    "MAX_MONTHS",
    "MAX_RATE_PPM",
    "MAX_TIYN",
    "METHOD_CODES",
    "NO_COLLATERAL",
    "OMITTED",
    "PRINCIPAL_FIRST",
    "SCHEDULE_FIELDS",
    "SUMMARY_FIELDS",
    "VIOLATION_IDS",
    "V_DEFERRAL_INVALID",
    "V_EXTRA_MONTHS_INVALID",
    "V_FORGIVE_EXCEEDS",
    "V_FORGIVE_NEGATIVE",
    "V_INPUT_INVALID",
    "V_INPUT_OUT_OF_RANGE",
    "V_NO_WORSE",
    "V_PAYMENT_CUT_INFEASIBLE",
    "V_PAYMENT_CUT_INVALID",
    "V_PAYMENT_DAY_INVALID",
    "V_RATE_NEGATIVE",
    "V_SETTLEMENT_EXCEEDS_COLLATERAL",
    "V_SETTLEMENT_EXCEEDS_DEBT",
    "V_SETTLEMENT_NEGATIVE",
    "V_TERM_EXCEEDS_MAX",
    "V_TERM_INVALID",
    "BatchSummary",
    "BlockResult",
    "LoanArrays",
    "PlanArrays",
    "cut_search",
    "iter_blocks",
    "loan_arrays",
    "plan_arrays",
    "run_batch",
    "to_arrays",
    "violation_ids",
]

I64 = npt.NDArray[np.int64]
Bool = npt.NDArray[np.bool_]


def _part(a: I64, sl: slice) -> I64:
    return a if a.ndim == 0 else a[sl]


def _interest(bal: I64, rate_days: I64 | int, den: int, out: I64) -> I64:
    """``half_up(bal · rate_ppm · days, den)`` into ``out``; ``rate_days = rate_ppm · days``."""
    np.multiply(bal, rate_days, out=out)
    out += den >> 1  # den is even: (x + den/2) // den == (2x + den) // (2·den)
    np.floor_divide(out, den, out=out)
    return out


@dataclass(frozen=True)
class _DiffDays:
    """What the differentiated regular instalment needs of some loans: deferral, first period, calendar key."""

    d: I64
    day1: I64
    key: I64
    thirty: Bool
    den: I64


def _diff_regular(base: I64, rate: I64, n: I64, dd: _DiffDays) -> I64:
    """``schedules.amortise.differentiated_regular`` for each loan: max over lines 1..n−1 (line 1 if n = 1) of
    ``floor(B/n) + interest(B − j·part, days of line d + j)``.

    Lines 1 and 2 are computed for every loan; with 30E/360 no later line can exceed line 2 (30 days on a lower
    balance). Actual/365 loans scan on while a 31-day month on the balance left could exceed the largest found.
    """
    part = base // n
    half = dd.den >> 1
    table = period_days_table()
    days0 = np.where(dd.d == 0, dd.day1, np.where(dd.thirty, 30, table[dd.key + dd.d]))
    best = part + (base * rate * days0 + half) // dd.den
    bal = base - part
    two = n > 2
    days1 = np.where(dd.thirty, 30, table[dd.key + dd.d + 1])
    second = part + (bal * rate * days1 + half) // dd.den
    best = np.asarray(np.where(two, np.maximum(best, second), best), dtype=np.int64)
    bal = bal - part
    live = np.flatnonzero(~dd.thirty & two & (base > 0))
    j = 2
    while live.size:
        b_l, r_l, den_l, h_l = bal[live], rate[live], dd.den[live], half[live]
        bound = part[live] + (b_l * r_l * 31 + h_l) // den_l
        keep = (j < n[live] - 1) & (bound > best[live])
        live = live[keep]
        if live.size == 0:
            break
        b_l, r_l, den_l, h_l = b_l[keep], r_l[keep], den_l[keep], h_l[keep]
        days = table[dd.key[live] + dd.d[live] + j]
        best[live] = np.maximum(best[live], part[live] + (b_l * r_l * days + h_l) // den_l)
        bal[live] -= part[live]
        j += 1
    return np.asarray(best, dtype=np.int64)


def cut_search(
    base: I64,
    bucket: I64,
    rate: I64,
    target: I64,
    n_min: I64,
    n_max: I64,
    regular: tuple[I64, _DiffDays] | None = None,
) -> I64:
    """Smallest ``n`` in ``[n_min, n_max]`` with ``PMT(base, n) + floor(bucket / n) ≤ target``; 0 if none.

    The left side never increases with n (PMT falls; half-up rounding and floor are monotone), so a
    closed-form guess ``n = −ln(1 − B·r/(T − A/n)) / ln(1+r)`` (iterated for the arrears share) is
    settled by exact integer checks of ``n`` and ``n − 1``; loans the guess misses fall back to a
    vectorised bisection. The answer therefore equals a linear scan's, and the scalar engine's.
    """
    m = base.shape[0]
    n_min = np.maximum(n_min, 1)
    out = np.zeros(m, dtype=np.int64)
    if m == 0:
        return out

    # SPEC §8: loans at ``regular[0]`` (differentiated) compare their own largest regular instalment.
    diff_pos = np.full(m, -1, dtype=np.int64)
    if regular is not None:
        diff_pos[regular[0]] = np.arange(regular[0].size)

    def ok(n: I64, idx: I64) -> Bool:
        pay = level_payment(base[idx], rate[idx], n)
        if regular is not None:
            pos = diff_pos[idx]
            on = np.flatnonzero(pos >= 0)
            if on.size:
                dd = regular[1]
                p = pos[on]
                sub = _DiffDays(dd.d[p], dd.day1[p], dd.key[p], dd.thirty[p], dd.den[p])
                pay[on] = _diff_regular(base[idx[on]], rate[idx[on]], n[on], sub)
        pay = pay + bucket[idx] // n
        return np.asarray(pay <= target[idx], dtype=np.bool_)

    every = np.arange(m, dtype=np.int64)
    live = every[n_max >= n_min]
    live = live[ok(n_max[live], live)]
    if live.size == 0:
        return out
    b = base[live].astype(np.float64)
    a = bucket[live].astype(np.float64)
    t = target[live].astype(np.float64)
    r = rate[live].astype(np.float64) / (12.0 * 10**6)
    lo = n_min[live].astype(np.float64)
    hi = n_max[live].astype(np.float64)
    guess = np.ones(live.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(4):
            room = t - a / guess
            flat = (b + a) / t
            annuity = -np.log1p(-b * r / room) / np.log1p(r)
            guess = np.where(r == 0.0, flat, np.where(room > b * r, annuity, hi))
            guess = np.clip(np.nan_to_num(guess, nan=hi[0] if hi.size else 1.0), lo, hi)
    if regular is not None:
        # differentiated: part + interest + share ≤ T with the interest of a whole month on B (30 days; 31 for
        # actual/365), an upper bound of every line's: n ≥ (B + A) / (T − I) is at or just above the answer
        pos = diff_pos[live]
        on = np.flatnonzero(pos >= 0)
        if on.size:
            dd = regular[1]
            p = pos[on]
            days = np.where(dd.thirty[p], 30, 31)
            i1 = (base[live[on]] * rate[live[on]] * days + (dd.den[p] >> 1)) // dd.den[p]
            room = t[on] - i1.astype(np.float64)
            with np.errstate(divide="ignore", invalid="ignore"):
                g2 = np.where(room > 0, (b[on] + a[on]) / room, hi[on])
            guess[on] = np.clip(np.nan_to_num(g2, nan=1.0, posinf=1.0), lo[on], hi[on])
    cand = np.asarray(np.clip(np.ceil(guess - 1e-9), lo, hi), dtype=np.int64)
    # Walk from the guess (a few exact checks), keeping: not ok(lo_k) (or lo_k = n_min − 1), ok(hi_k).
    lo_k = n_min[live] - 1
    hi_k = n_max[live].copy()
    pending = np.arange(live.size)
    for _ in range(4):
        if pending.size == 0:
            break
        c = cand[pending]
        good = ok(c, live[pending])
        hi_k[pending[good]] = np.minimum(hi_k[pending[good]], c[good])
        lo_k[pending[~good]] = np.maximum(lo_k[pending[~good]], c[~good])
        cand[pending] = np.where(good, c - 1, c + 1)
        pending = pending[hi_k[pending] != lo_k[pending] + 1]
    out[live] = hi_k
    if pending.size:
        lo_i = lo_k[pending] + 1
        hi_i = hi_k[pending].copy()
        while True:
            open_ = np.flatnonzero(lo_i < hi_i)
            if open_.size == 0:
                break
            mid = (lo_i[open_] + hi_i[open_]) // 2
            res = ok(mid, live[pending[open_]])
            hi_i[open_[res]] = mid[res]
            lo_i[open_[~res]] = mid[~res] + 1
        out[live[pending]] = lo_i
    return out


@dataclass
class _Lines:
    """What the amortisation kernel returns for one group of loans (in the group's order)."""

    m: I64
    interest: I64
    first_pi: I64
    max_pi: I64
    principal: I64 | None = None
    paid: I64 | None = None
    balance: I64 | None = None


def _amortise(
    method: int,
    thirty: bool,
    base: I64,
    rate: I64,
    level: I64,
    n: I64,
    days0: I64,
    key: I64,
    den: int,
    keep_all: Bool,
    with_schedule: bool,
) -> _Lines:
    """Amortising lines of loans of one method and day count (inputs sorted by ``n`` ascending).

    Follows ``schedules/amortise.py``: annuity ``P = clip(L − I, 0, bal)``, differentiated
    ``P = min(L, bal)``, principal_first ``pot += I; P = min(L, bal); paid = min(L − P, pot)``;
    the planned last line takes the balance (and the pot). A line exists while debt is left before
    it (truncation), or always where ``keep_all`` (an arrears bucket to share over all ``n`` lines):
    ``m`` counts those lines. ``max_pi`` is the largest principal + interest paid over the lines
    before the last existing one.
    """
    g = base.shape[0]
    nmax = int(n[-1]) if g else 0
    bounds = np.searchsorted(n, np.arange(nmax + 1), side="right")
    bal = base.copy()
    pot = np.zeros(g, dtype=np.int64)
    m = np.zeros(g, dtype=np.int64)
    tot = np.zeros(g, dtype=np.int64)
    max_pi = np.zeros(g, dtype=np.int64)
    prev = np.zeros(g, dtype=np.int64)
    first_pi = np.zeros(g, dtype=np.int64)
    i_buf = np.empty(g, dtype=np.int64)
    p_buf = np.empty(g, dtype=np.int64)
    t_buf = np.empty(g, dtype=np.int64)
    alive = np.empty(g, dtype=np.bool_)
    rate30 = rate * 30
    table = period_days_table()
    sched_p = sched_i = sched_b = None
    if with_schedule:
        sched_p = np.zeros((g, nmax), dtype=np.int64)
        sched_i = np.zeros((g, nmax), dtype=np.int64)
        sched_b = np.zeros((g, nmax), dtype=np.int64)
    for j in range(nmax):
        a = int(bounds[j])
        nl = int(bounds[j + 1]) - a  # loans [a, a + nl) pay their planned last line now
        s = slice(a, g)
        b_s, i_s, p_s, t_s, al = bal[s], i_buf[s], p_buf[s], t_buf[s], alive[s]
        if j == 0:
            np.multiply(rate[s], days0[s], out=t_s)
            _interest(b_s, t_s, den, i_s)
        elif thirty:
            _interest(b_s, rate30[s], den, i_s)
        else:
            np.add(key[s], j, out=t_s)
            np.take(table, t_s, out=t_s)
            t_s *= rate[s]
            _interest(b_s, t_s, den, i_s)
        np.greater(b_s, 0, out=al)
        al |= keep_all[s]
        if method == PRINCIPAL_FIRST:
            al |= pot[s] > 0
            pot[s] += i_s
            np.minimum(level[s], b_s, out=p_s)
            p_s[:nl] = b_s[:nl]
            np.subtract(level[s], p_s, out=t_s)
            np.minimum(t_s, pot[s], out=t_s)
            t_s[:nl] = pot[a : a + nl]
            pot[s] -= t_s
            paid = t_s
        elif method == ANNUITY:
            np.subtract(level[s], i_s, out=p_s)
            np.maximum(p_s, 0, out=p_s)
            np.minimum(p_s, b_s, out=p_s)
            p_s[:nl] = b_s[:nl]
            paid = i_s
        else:
            np.minimum(level[s], b_s, out=p_s)
            p_s[:nl] = b_s[:nl]
            paid = i_s
        b_s -= p_s
        m[s] += al
        tot[s] += paid
        np.multiply(prev[s], al, out=prev[s])  # fold the previous line: it was not the last one
        np.maximum(max_pi[s], prev[s], out=max_pi[s])
        np.add(p_s, paid, out=prev[s])
        if j == 0:
            first_pi[:] = prev
        if sched_p is not None and sched_i is not None and sched_b is not None:
            sched_p[s, j] = p_s
            sched_i[s, j] = paid
            sched_b[s, j] = b_s
    return _Lines(m, tot, first_pi, max_pi, sched_p, sched_i, sched_b)


class _Workspace:
    """Summary buffers allocated once and reused by every block."""

    def __init__(self, size: int) -> None:
        self.out = {name: np.zeros(size, dtype=np.int64) for name in SUMMARY_FIELDS}


def _block(
    ws: _Workspace,
    loans: LoanArrays,
    plan: PlanArrays,
    lo_: int,
    hi_: int,
    max_term: int,
    with_schedule: bool,
) -> BlockResult:
    sl = slice(lo_, hi_)
    m = hi_ - lo_
    out = {k: v[:m] for k, v in ws.out.items()}
    viol = out["violations"]
    viol[:] = 0

    def g(a: I64) -> I64:
        return np.broadcast_to(_part(a, sl), (m,))

    # Loan checks (scalar ``prepare_loan``): the first failing one empties every plan of the loan.
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
    loan_bad = np.zeros(m, dtype=np.int64)
    for mask, bit in reversed(checks):
        loan_bad = np.where(mask, bit, loan_bad)

    # Plan checks (hard ones empty the plan; R-NO-WORSE and E-TERM-EXCEEDS-MAX keep it).
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
    dc = loans.day_count[sl]
    d = g(plan.deferral_months)
    viol |= np.where((d < 0) | (d > MAX_MONTHS), V_DEFERRAL_INVALID, 0)
    d = np.clip(d, 0, MAX_MONTHS).astype(np.int64)
    extra = g(plan.extra_months)
    has_extra = extra != OMITTED
    viol |= np.where(has_extra & ((extra < 0) | (extra > MAX_MONTHS)), V_EXTRA_MONTHS_INVALID, 0)
    cut = g(plan.payment_cut_ppm)
    has_cut = cut != OMITTED
    viol |= np.where(has_cut & ((cut <= 0) | (cut >= 100 * RATE_SCALE)), V_PAYMENT_CUT_INVALID, 0)

    # Forgiveness, settlement in the statutory order, the split into B and A (scalar ``_split_debt``).
    # Forgiveness is checked against the snapshot's buckets and applied to what the law leaves (SPEC §8).
    oi_l = oi0 if loans.lawful_overdue_interest is None else loans.lawful_overdue_interest[sl]
    pen_l = pen0 if loans.lawful_penalties is None else loans.lawful_penalties[sl]
    ai = np.zeros(m, dtype=np.int64) if loans.accrued is None else loans.accrued[sl].copy()
    excess = out["penalty_excess_removed"]
    excess[:] = 0 if loans.penalty_excess is None else loans.penalty_excess[sl]
    op, oi, pen, cp = op0.copy(), oi_l.copy(), pen_l.copy(), cp0.copy()
    forgiven = out["forgiven"]
    forgiven[:] = 0
    for bucket, raw, asked in (
        (op, op0, g(plan.forgive_overdue_principal)),
        (oi, oi0, g(plan.forgive_overdue_interest)),
        (pen, pen0, g(plan.forgive_penalties)),
    ):
        amount_given = asked != FORGIVE_ALL
        negative = amount_given & (asked < 0)
        exceeds = amount_given & ~negative & (asked > raw)
        viol |= np.where(negative, V_FORGIVE_NEGATIVE, 0) | np.where(exceeds, V_FORGIVE_EXCEEDS, 0)
        f = np.minimum(np.where(amount_given, np.where(negative | exceeds, 0, asked), raw), bucket)
        bucket -= f
        forgiven += f
    sv = g(plan.settlement_value)
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
    shortfall = (g(plan.forgive_shortfall) != 0) & applied
    forgiven += np.where(shortfall, base + arrears, 0)
    base[shortfall] = 0
    arrears[shortfall] = 0
    viol[:] = np.where(loan_bad != 0, loan_bad, viol)

    # Calendar: first due date and its days; table key of the later periods.
    mi1, day1 = first_due(loans.start_on[sl], pday, dc)
    key = (dc * PD_SLOTS + pday) * MI_SPAN + (mi1 - MI_MIN)
    table = period_days_table()
    den = np.where(dc == DC_30E_360, 360 * 10**6, 365 * 10**6).astype(np.int64)

    # Deferral lines: interest on the untouched base, paid or deferred into the arrears bucket.
    kind_code = g(plan.deferral_of)
    pi_kind = kind_code == DEFER_PRINCIPAL_AND_INTEREST
    free_kind = kind_code == DEFER_INTEREST_FREE
    dmax = int(d.max()) if m else 0
    deferred = out["deferred"]
    deferred[:] = 0
    def_int = np.zeros(m, dtype=np.int64)
    def_max = np.zeros(m, dtype=np.int64)
    def_first = np.zeros(m, dtype=np.int64)
    def_lines = np.zeros((m, dmax), dtype=np.int64) if with_schedule else None
    for k in range(dmax):
        sel = np.flatnonzero(k < d)
        days = day1[sel] if k == 0 else table[key[sel] + k]
        i_k = (base[sel] * rate[sel] * days + (den[sel] >> 1)) // den[sel]
        i_k[free_kind[sel]] = 0
        paid = np.where(pi_kind[sel], 0, i_k)
        deferred[sel] += i_k - paid
        def_int[sel] += paid
        def_max[sel] = np.maximum(def_max[sel], paid)
        if k == 0:
            def_first[sel] = paid
        if def_lines is not None:
            def_lines[sel, k] = paid
    arrears_p = arrears + deferred

    # Amortising instalments n: the remaining term (+ extension), or the payment-cut search.
    n = remaining + np.where(has_extra, extra, 0)
    matured = (remaining == 0) & (d > 0)
    n = np.where(matured, np.maximum(MATURED_MIN_INSTALMENTS, np.where(has_extra, extra, 0)), n)
    has_debt = (base > 0) | (arrears_p > 0)
    searching = np.flatnonzero(has_cut & has_debt & (viol & ~KEEPS_SCHEDULE == 0))
    if searching.size:
        full = 100 * RATE_SCALE
        target = loans.scheduled_payment[sl][searching] * (full - cut[searching]) // full
        n_min = np.where(has_extra[searching], n[searching], 1)
        n_max = max_term - d[searching]
        diff = np.flatnonzero(method[searching] == DIFFERENTIATED)
        regular = None
        if diff.size:
            di = searching[diff]
            regular = (diff, _DiffDays(d[di], day1[di], key[di], dc[di] == DC_30E_360, den[di]))
        found = cut_search(base[searching], arrears_p[searching], rate[searching], target, n_min, n_max, regular)
        n[searching] = found
        viol[searching] |= np.where(found == 0, V_PAYMENT_CUT_INFEASIBLE, 0)
    ok_so_far = viol & ~KEEPS_SCHEDULE == 0
    viol |= np.where(ok_so_far & has_debt & ((n < 1) | (d + n > MAX_MONTHS)), V_TERM_INVALID, 0)
    ok_so_far = viol & ~KEEPS_SCHEDULE == 0
    too_long = ok_so_far & has_debt & (d + n > np.maximum(max_term, remaining))
    viol |= np.where(too_long, V_TERM_EXCEEDS_MAX, 0)
    run = (viol & ~KEEPS_SCHEDULE == 0) & has_debt
    n = np.where(run, np.maximum(n, 1), 1)

    # Level amount: the contract's when the plan preserves it, else recomputed on B over n.
    loan_method = loans.method[sl]
    term = np.maximum(loans.term_months[sl], 1)
    contract_level = np.where(
        loan_method == DIFFERENTIATED,
        np.where(loans.term_months[sl] > 0, loans.principal[sl] // term, 0),
        loans.scheduled_payment[sl],
    )
    preserving = (
        (rate == loan_rate)
        & (method == loan_method)
        & (base == cp0)
        & (d == 0)
        & ~has_cut
        & (n == remaining)
        & (contract_level > 0)
    )
    is_diff = method == DIFFERENTIATED
    level = out["level"]
    level[:] = 0
    need_pmt = np.flatnonzero(run & ~is_diff & ~preserving)
    if need_pmt.size:
        level[need_pmt] = level_payment(base[need_pmt], rate[need_pmt], n[need_pmt])
    level[:] = np.where(run & is_diff, base // n, level)
    level[:] = np.where(run & preserving, contract_level, level)

    # Amortising lines per (method, day count) group, each sorted by n.
    days0 = np.where(d == 0, day1, 0)
    later = np.flatnonzero(d > 0)
    if later.size:
        days0[later] = np.where(dc[later] == DC_30E_360, 30, table[key[later] + d[later]])
    key_d = key + d
    # Truncation (an early pay-off ends the schedule) only without an arrears bucket: otherwise every
    # one of the n lines stays and carries its arrears share (scalar ``amortise``).
    keep_all = (base == 0) | (arrears_p != 0)
    lines_m = np.zeros(m, dtype=np.int64)
    am_int = np.zeros(m, dtype=np.int64)
    first_pi = np.zeros(m, dtype=np.int64)
    max_pi = np.zeros(m, dtype=np.int64)
    kmax = int((d + n).max()) if with_schedule and m else 0
    mats = {name: np.zeros((m, kmax), dtype=np.int64) for name in SCHEDULE_FIELDS} if with_schedule else {}
    for meth in (ANNUITY, DIFFERENTIATED, PRINCIPAL_FIRST):
        for dcode in (DC_30E_360, 1):
            idx = np.flatnonzero(run & (method == meth) & (dc == dcode))
            if idx.size == 0:
                continue
            idx = idx[np.argsort(n[idx], kind="stable")]
            res = _amortise(
                meth,
                dcode == DC_30E_360,
                base[idx],
                rate[idx],
                level[idx],
                n[idx],
                days0[idx],
                key_d[idx],
                360 * 10**6 if dcode == DC_30E_360 else 365 * 10**6,
                keep_all[idx],
                with_schedule,
            )
            lines_m[idx] = res.m
            am_int[idx] = res.interest
            first_pi[idx] = res.first_pi
            max_pi[idx] = res.max_pi
            if res.principal is not None and res.paid is not None and res.balance is not None:
                width = res.principal.shape[1]
                cols = d[idx][:, None] + np.arange(width)[None, :]
                rows = np.broadcast_to(idx[:, None], cols.shape)
                inside = np.arange(width)[None, :] < lines_m[idx][:, None]
                rr, cc = rows[inside], cols[inside]
                mats["principal"][rr, cc] = res.principal[inside]
                mats["interest"][rr, cc] = res.paid[inside]
                mats["balance"][rr, cc] = res.balance[inside]

    # Arrears shares over the m lines scheduled, then the per-loan figures.
    mm = np.maximum(lines_m, 1)
    share = arrears_p // mm
    last_share = arrears_p - share * (mm - 1)
    total_n = np.where(run, d + lines_m, 0)
    first_am = first_pi + np.where(lines_m >= 2, share, last_share)
    first = np.where(d > 0, def_first, first_am)
    reg = np.maximum(np.where(d > 0, def_max, 0), np.where(lines_m >= 2, max_pi + share, 0))
    only = total_n == 1
    reg = np.where(only, first, reg)
    out["instalments"][:] = total_n
    out["first_payment"][:] = np.where(run, first, 0)
    out["max_regular_payment"][:] = np.where(run, reg, 0)
    last_mi = mi1 + np.maximum(total_n, 1) - 1
    out["maturity_on"][:] = np.where(run, due_ordinal(last_mi, pday), -1)
    tot_int = np.where(run, def_int + am_int, 0)
    b_f = np.where(run, base, 0)
    a_f = np.where(run, arrears_p, 0)
    out["total_principal"][:] = b_f
    out["total_interest"][:] = tot_int
    out["total_arrears"][:] = a_f
    out["total_payment"][:] = b_f + tot_int + a_f
    deferred[~run] = 0
    emptied = viol & ~KEEPS_SCHEDULE != 0  # the scalar's empty result: every total is 0
    forgiven[emptied] = 0
    settled[emptied] = 0
    excess[emptied] = 0

    extra_mats: dict[str, I64] = {}
    if with_schedule:
        cols = np.arange(kmax, dtype=np.int64)[None, :]
        exists = cols < total_n[:, None]
        amort = exists & (cols >= d[:, None])
        lastc = cols == (total_n - 1)[:, None]
        arr = np.where(amort, np.where(lastc, last_share[:, None], share[:, None]), 0)
        if def_lines is not None and dmax:
            in_def = exists[:, :dmax] & (cols[:, :dmax] < d[:, None])
            mats["interest"][:, :dmax] = np.where(in_def, def_lines, mats["interest"][:, :dmax])
            mats["balance"][:, :dmax] = np.where(in_def, base[:, None], mats["balance"][:, :dmax])
        mats["arrears"][:] = arr
        mats["payment"][:] = mats["principal"] + mats["interest"] + arr
        due = due_ordinal(mi1[:, None] + cols, np.broadcast_to(pday[:, None], (m, kmax)))
        extra_mats["schedule_due_on"] = np.where(exists, due, -1)
        for name in SCHEDULE_FIELDS:
            extra_mats["schedule_" + name] = np.where(exists, mats[name], 0)
    return BlockResult(lo_, hi_, **out, **extra_mats)


def iter_blocks(
    loans: LoanArrays,
    plan: PlanArrays,
    *,
    max_term_months: int,
    block_size: int = 32768,
    with_schedule: bool = False,
    workers: int = 1,
) -> Iterator[BlockResult]:
    """Yield per-block results over the portfolio, in order; summary buffers are reused.

    A yielded block stays valid until the next one is asked for. With ``workers > 1`` the next
    blocks are computed by a thread pool meanwhile (numpy releases the GIL in its loops), each in
    its own buffers: memory is ``workers`` blocks of work, whatever the portfolio size.
    """
    for f in fields(plan):
        a = getattr(plan, f.name)
        if a.ndim not in (0, 1) or (a.ndim == 1 and a.shape[0] != loans.size):
            raise ValueError(f"plan field {f.name} must be a scalar or one value per loan")
    period_days_table()  # build the shared tables before any thread reads them
    size = min(block_size, max(loans.size, 1))
    starts = list(range(0, loans.size, block_size))

    def job(ws: _Workspace, lo: int) -> BlockResult:
        return _block(ws, loans, plan, lo, min(lo + block_size, loans.size), max_term_months, with_schedule)

    if workers <= 1:
        ws = _Workspace(size)
        for lo in starts:
            yield job(ws, lo)
        return
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        spaces = [_Workspace(size) for _ in range(workers)]
        pending: deque[Future[BlockResult]] = deque()
        for i, lo in enumerate(starts[:workers]):
            pending.append(pool.submit(job, spaces[i], lo))
        for i in range(len(starts)):
            yield pending.popleft().result()
            nxt = i + workers
            if nxt < len(starts):
                pending.append(pool.submit(job, spaces[i % workers], starts[nxt]))
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def run_batch(
    loans: LoanArrays, plan: PlanArrays, *, max_term_months: int, block_size: int = 32768, workers: int = 2
) -> BatchSummary:
    """Summaries for every loan, streamed block by block (memory: the summaries plus the blocks' work)."""
    res = {name: np.zeros(loans.size, dtype=np.int64) for name in SUMMARY_FIELDS}
    blocks = iter_blocks(loans, plan, max_term_months=max_term_months, block_size=block_size, workers=workers)
    for block in blocks:
        for name in SUMMARY_FIELDS:
            res[name][block.start : block.stop] = getattr(block, name)
    return BatchSummary(**res)
