"""One block of the batch engine, stage by stage (the scalar ``_build`` over arrays; SPEC §2).

``run_block`` runs the stages in order: checks, terms and the debt split (``schedules/batch_terms.py``), the
calendar, the deferral lines, the number of amortising instalments, the level amount, the amortising lines per
(method, day count) group, the per-loan figures and, on request, the schedule matrices.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schedules.batch_arrays import (
    ANNUITY,
    DEFER_INTEREST_FREE,
    DEFER_PRINCIPAL_AND_INTEREST,
    DIFFERENTIATED,
    I64,
    PRINCIPAL_FIRST,
    Bool,
    LoanArrays,
    PlanArrays,
)
from schedules.batch_calendar import DC_30E_360, MI_MIN, MI_SPAN, PD_SLOTS, due_ordinal, first_due, period_days_table
from schedules.batch_kernel import DiffDays, amortise_group, cut_search
from schedules.batch_pmt import RATE_SCALE, level_payment
from schedules.batch_result import SCHEDULE_FIELDS, SUMMARY_FIELDS, BlockResult
from schedules.batch_terms import Block, Split, Terms, loan_checks, plan_terms, split_debt
from schedules.limits import (
    KEEPS_SCHEDULE,
    MATURED_MIN_INSTALMENTS,
    MAX_MONTHS,
    V_PAYMENT_CUT_INFEASIBLE,
    V_TERM_EXCEEDS_MAX,
    V_TERM_INVALID,
)


class Workspace:
    """Summary buffers allocated once and reused by every block."""

    def __init__(self, size: int) -> None:
        self.out = {name: np.zeros(size, dtype=np.int64) for name in SUMMARY_FIELDS}


@dataclass(frozen=True)
class _Calendar:
    """First due date (month index ``mi1``) and its days; ``key`` into ``table`` for the later periods' days."""

    mi1: I64
    day1: I64
    key: I64
    table: I64
    den: I64


@dataclass(frozen=True)
class _Deferral:
    """The deferral lines: the interest paid on them (total, largest, first) and, with a schedule, each line's."""

    arrears: I64
    """A' = A + the interest deferred into the arrears bucket."""
    interest: I64
    largest: I64
    first: I64
    lines: I64 | None
    dmax: int


@dataclass(frozen=True)
class _Amortised:
    """The amortising lines: how many exist, their interest, first and largest P + I, the schedule matrices."""

    lines: I64
    interest: I64
    first_pi: I64
    max_pi: I64
    mats: dict[str, I64]
    kmax: int


def run_block(
    ws: Workspace, loans: LoanArrays, plan: PlanArrays, lo: int, hi: int, max_term: int, with_schedule: bool
) -> BlockResult:
    """The results of the loans ``[lo, hi)``, in ``ws``'s buffers."""
    m = hi - lo
    b = Block(loans, plan, slice(lo, hi), m, {k: v[:m] for k, v in ws.out.items()})
    b.viol[:] = 0
    loan_bad = loan_checks(b)
    t = plan_terms(b)
    debt = split_debt(b)
    b.viol[:] = np.where(loan_bad != 0, loan_bad, b.viol)
    cal = _calendar(b, t)
    dfr = _deferral(b, t, debt, cal, with_schedule)
    n, run = _instalments(b, t, debt, cal, dfr.arrears, max_term)
    _level(b, t, debt, n, run)
    am = _amortised(b, t, debt, cal, dfr.arrears, n, run, with_schedule)
    share, last_share, total_n = _figures(b, t, debt, cal, dfr, am, run)
    mats = _matrices(b, t, debt, cal, dfr, am, share, last_share, total_n) if with_schedule else {}
    return BlockResult(lo, hi, **b.out, **mats)


def _calendar(b: Block, t: Terms) -> _Calendar:
    """Calendar: first due date and its days; table key of the later periods."""
    mi1, day1 = first_due(b.loans.start_on[b.sl], t.pday, t.dc)
    key = (t.dc * PD_SLOTS + t.pday) * MI_SPAN + (mi1 - MI_MIN)
    table = period_days_table()
    den = np.where(t.dc == DC_30E_360, 360 * 10**6, 365 * 10**6).astype(np.int64)
    return _Calendar(mi1, day1, key, table, den)


def _deferral(b: Block, t: Terms, debt: Split, cal: _Calendar, with_schedule: bool) -> _Deferral:
    """Deferral lines: interest on the untouched base, paid or deferred into the arrears bucket."""
    m, d, base, rate = b.m, t.d, debt.base, t.rate
    day1, table, key, den = cal.day1, cal.table, cal.key, cal.den
    kind_code = b.g(b.plan.deferral_of)
    pi_kind = kind_code == DEFER_PRINCIPAL_AND_INTEREST
    free_kind = kind_code == DEFER_INTEREST_FREE
    dmax = int(d.max()) if m else 0
    deferred = b.out["deferred"]
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
    return _Deferral(debt.arrears + deferred, def_int, def_max, def_first, def_lines, dmax)


def _instalments(b: Block, t: Terms, debt: Split, cal: _Calendar, arrears_p: I64, max_term: int) -> tuple[I64, Bool]:
    """Amortising instalments n: the remaining term (+ extension), or the payment-cut search; and which loans run."""
    viol, d, base = b.viol, t.d, debt.base
    remaining = b.loans.remaining_term[b.sl]
    n = remaining + np.where(t.has_extra, t.extra, 0)
    matured = (remaining == 0) & (d > 0)
    n = np.where(matured, np.maximum(MATURED_MIN_INSTALMENTS, np.where(t.has_extra, t.extra, 0)), n)
    has_debt = (base > 0) | (arrears_p > 0)
    searching = np.flatnonzero(t.has_cut & has_debt & (viol & ~KEEPS_SCHEDULE == 0))
    if searching.size:
        full = 100 * RATE_SCALE
        target = b.loans.scheduled_payment[b.sl][searching] * (full - t.cut[searching]) // full
        n_min = np.where(t.has_extra[searching], n[searching], 1)
        n_max = max_term - d[searching]
        diff = np.flatnonzero(t.method[searching] == DIFFERENTIATED)
        regular = None
        if diff.size:
            di = searching[diff]
            regular = (diff, DiffDays(d[di], cal.day1[di], cal.key[di], t.dc[di] == DC_30E_360, cal.den[di]))
        found = cut_search(base[searching], arrears_p[searching], t.rate[searching], target, n_min, n_max, regular)
        n[searching] = found
        viol[searching] |= np.where(found == 0, V_PAYMENT_CUT_INFEASIBLE, 0)
    ok_so_far = viol & ~KEEPS_SCHEDULE == 0
    viol |= np.where(ok_so_far & has_debt & ((n < 1) | (d + n > MAX_MONTHS)), V_TERM_INVALID, 0)
    ok_so_far = viol & ~KEEPS_SCHEDULE == 0
    too_long = ok_so_far & has_debt & (d + n > np.maximum(max_term, remaining))
    viol |= np.where(too_long, V_TERM_EXCEEDS_MAX, 0)
    run = (viol & ~KEEPS_SCHEDULE == 0) & has_debt
    return np.where(run, np.maximum(n, 1), 1), run


def _level(b: Block, t: Terms, debt: Split, n: I64, run: Bool) -> None:
    """Level amount (into ``level``): the contract's when the plan preserves it, else recomputed on B over n."""
    loans, sl, base, rate = b.loans, b.sl, debt.base, t.rate
    loan_method = loans.method[sl]
    term = np.maximum(loans.term_months[sl], 1)
    contract_level = np.where(
        loan_method == DIFFERENTIATED,
        np.where(loans.term_months[sl] > 0, loans.principal[sl] // term, 0),
        loans.scheduled_payment[sl],
    )
    preserving = (
        (rate == loans.rate_ppm[sl])
        & (t.method == loan_method)
        & (base == loans.outstanding_principal[sl])
        & (t.d == 0)
        & ~t.has_cut
        & (n == loans.remaining_term[sl])
        & (contract_level > 0)
    )
    is_diff = t.method == DIFFERENTIATED
    level = b.out["level"]
    level[:] = 0
    need_pmt = np.flatnonzero(run & ~is_diff & ~preserving)
    if need_pmt.size:
        level[need_pmt] = level_payment(base[need_pmt], rate[need_pmt], n[need_pmt])
    level[:] = np.where(run & is_diff, base // n, level)
    level[:] = np.where(run & preserving, contract_level, level)


def _amortised(
    b: Block, t: Terms, debt: Split, cal: _Calendar, arrears_p: I64, n: I64, run: Bool, with_schedule: bool
) -> _Amortised:
    """Amortising lines per (method, day count) group, each sorted by n."""
    m, d, dc, base = b.m, t.d, t.dc, debt.base
    days0 = np.where(d == 0, cal.day1, 0)
    later = np.flatnonzero(d > 0)
    if later.size:
        days0[later] = np.where(dc[later] == DC_30E_360, 30, cal.table[cal.key[later] + d[later]])
    key_d = cal.key + d
    # Truncation (an early pay-off ends the schedule) only without an arrears bucket: otherwise every
    # one of the n lines stays and carries its arrears share (scalar ``amortise``).
    keep_all = (base == 0) | (arrears_p != 0)
    level = b.out["level"]
    kmax = int((d + n).max()) if with_schedule and m else 0
    mats = {name: np.zeros((m, kmax), dtype=np.int64) for name in SCHEDULE_FIELDS} if with_schedule else {}
    zeros = np.zeros((4, m), dtype=np.int64)
    am = _Amortised(zeros[0], zeros[1], zeros[2], zeros[3], mats, kmax)
    for meth in (ANNUITY, DIFFERENTIATED, PRINCIPAL_FIRST):
        for dcode in (DC_30E_360, 1):
            idx = np.flatnonzero(run & (t.method == meth) & (dc == dcode))
            if idx.size == 0:
                continue
            idx = idx[np.argsort(n[idx], kind="stable")]
            res = amortise_group(
                meth,
                dcode == DC_30E_360,
                base[idx],
                t.rate[idx],
                level[idx],
                n[idx],
                days0[idx],
                key_d[idx],
                360 * 10**6 if dcode == DC_30E_360 else 365 * 10**6,
                keep_all[idx],
                with_schedule,
            )
            am.lines[idx] = res.m
            am.interest[idx] = res.interest
            am.first_pi[idx] = res.first_pi
            am.max_pi[idx] = res.max_pi
            if res.principal is not None and res.paid is not None and res.balance is not None:
                width = res.principal.shape[1]
                cols = d[idx][:, None] + np.arange(width)[None, :]
                rows = np.broadcast_to(idx[:, None], cols.shape)
                inside = np.arange(width)[None, :] < am.lines[idx][:, None]
                rr, cc = rows[inside], cols[inside]
                am.mats["principal"][rr, cc] = res.principal[inside]
                am.mats["interest"][rr, cc] = res.paid[inside]
                am.mats["balance"][rr, cc] = res.balance[inside]
    return am


def _figures(
    b: Block, t: Terms, debt: Split, cal: _Calendar, dfr: _Deferral, am: _Amortised, run: Bool
) -> tuple[I64, I64, I64]:
    """Arrears shares over the m lines scheduled, then the per-loan figures; returns the shares and the lines."""
    out, d, arrears_p, lines_m = b.out, t.d, dfr.arrears, am.lines
    mm = np.maximum(lines_m, 1)
    share = arrears_p // mm
    last_share = arrears_p - share * (mm - 1)
    total_n = np.where(run, d + lines_m, 0)
    first_am = am.first_pi + np.where(lines_m >= 2, share, last_share)
    first = np.where(d > 0, dfr.first, first_am)
    reg = np.maximum(np.where(d > 0, dfr.largest, 0), np.where(lines_m >= 2, am.max_pi + share, 0))
    only = total_n == 1
    reg = np.where(only, first, reg)
    out["instalments"][:] = total_n
    out["first_payment"][:] = np.where(run, first, 0)
    out["max_regular_payment"][:] = np.where(run, reg, 0)
    last_mi = cal.mi1 + np.maximum(total_n, 1) - 1
    out["maturity_on"][:] = np.where(run, due_ordinal(last_mi, t.pday), -1)
    tot_int = np.where(run, dfr.interest + am.interest, 0)
    b_f = np.where(run, debt.base, 0)
    a_f = np.where(run, arrears_p, 0)
    out["total_principal"][:] = b_f
    out["total_interest"][:] = tot_int
    out["total_arrears"][:] = a_f
    out["total_payment"][:] = b_f + tot_int + a_f
    out["deferred"][~run] = 0
    emptied = b.viol & ~KEEPS_SCHEDULE != 0  # the scalar's empty result: every total is 0
    out["forgiven"][emptied] = 0
    out["settled"][emptied] = 0
    out["penalty_excess_removed"][emptied] = 0
    return share, last_share, total_n


def _matrices(
    b: Block,
    t: Terms,
    debt: Split,
    cal: _Calendar,
    dfr: _Deferral,
    am: _Amortised,
    share: I64,
    last_share: I64,
    total_n: I64,
) -> dict[str, I64]:
    """The ``schedule_*`` matrices: deferral and amortising lines, arrears shares and due dates."""
    mats, kmax, d, dmax = am.mats, am.kmax, t.d, dfr.dmax
    cols = np.arange(kmax, dtype=np.int64)[None, :]
    exists = cols < total_n[:, None]
    amort = exists & (cols >= d[:, None])
    lastc = cols == (total_n - 1)[:, None]
    arr = np.where(amort, np.where(lastc, last_share[:, None], share[:, None]), 0)
    if dfr.lines is not None and dmax:
        in_def = exists[:, :dmax] & (cols[:, :dmax] < d[:, None])
        mats["interest"][:, :dmax] = np.where(in_def, dfr.lines, mats["interest"][:, :dmax])
        mats["balance"][:, :dmax] = np.where(in_def, debt.base[:, None], mats["balance"][:, :dmax])
    mats["arrears"][:] = arr
    mats["payment"][:] = mats["principal"] + mats["interest"] + arr
    due = due_ordinal(cal.mi1[:, None] + cols, np.broadcast_to(t.pday[:, None], (b.m, kmax)))
    extra_mats = {"schedule_due_on": np.where(exists, due, -1)}
    for name in SCHEDULE_FIELDS:
        extra_mats["schedule_" + name] = np.where(exists, mats[name], 0)
    return extra_mats
