"""The batch engine's kernels over arrays of loans: the payment-cut search and the amortising lines (SPEC §2, §8).

``cut_search`` finds the number of instalments a payment cut needs (``schedules.annuity.shortest_term`` per loan);
``amortise_group`` runs the monthly loop of ``schedules/amortise.py`` over loans of one method and day count.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from schedules.batch_arrays import ANNUITY, I64, PRINCIPAL_FIRST, Bool
from schedules.batch_calendar import period_days_table
from schedules.batch_pmt import level_payment


def _interest(bal: I64, rate_days: I64 | int, den: int, out: I64) -> I64:
    """``half_up(bal · rate_ppm · days, den)`` into ``out``; ``rate_days = rate_ppm · days``."""
    np.multiply(bal, rate_days, out=out)
    out += den >> 1  # den is even: (x + den/2) // den == (2x + den) // (2·den)
    np.floor_divide(out, den, out=out)
    return out


@dataclass(frozen=True)
class DiffDays:
    """What the differentiated regular instalment needs of some loans: deferral, first period, calendar key."""

    d: I64
    day1: I64
    key: I64
    thirty: Bool
    den: I64


def diff_regular(base: I64, rate: I64, n: I64, dd: DiffDays) -> I64:
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


@dataclass(frozen=True)
class _CutTest:
    """The exact test of a payment-cut search: does ``n`` instalments bring loan ``idx``'s payment to its target?"""

    base: I64
    bucket: I64
    rate: I64
    target: I64
    diff_pos: I64
    """Position of each loan in ``regular``'s differentiated loans, −1 for the others."""
    regular: tuple[I64, DiffDays] | None

    def differentiated(self, idx: I64) -> tuple[I64, DiffDays] | None:
        """The differentiated loans among ``idx`` (their positions in ``idx``) and their days; ``None``: none."""
        if self.regular is None:
            return None
        pos = self.diff_pos[idx]
        on = np.flatnonzero(pos >= 0)
        if on.size == 0:
            return None
        dd = self.regular[1]
        p = pos[on]
        return on, DiffDays(dd.d[p], dd.day1[p], dd.key[p], dd.thirty[p], dd.den[p])

    def ok(self, n: I64, idx: I64) -> Bool:
        """``f(n) ≤ target`` for the loans ``idx`` (``f``: the largest regular instalment plus the arrears share)."""
        pay = level_payment(self.base[idx], self.rate[idx], n)
        diff = self.differentiated(idx)
        if diff is not None:
            on, sub = diff
            pay[on] = diff_regular(self.base[idx[on]], self.rate[idx[on]], n[on], sub)
        pay = pay + self.bucket[idx] // n
        return np.asarray(pay <= self.target[idx], dtype=np.bool_)


def cut_search(
    base: I64,
    bucket: I64,
    rate: I64,
    target: I64,
    n_min: I64,
    n_max: I64,
    regular: tuple[I64, DiffDays] | None = None,
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
    test = _CutTest(base, bucket, rate, target, diff_pos, regular)

    every = np.arange(m, dtype=np.int64)
    live = every[n_max >= n_min]
    live = live[test.ok(n_max[live], live)]
    if live.size == 0:
        return out
    cand = _guess(test, live, n_min[live], n_max[live])
    # Walk from the guess (a few exact checks), keeping: not ok(lo_k) (or lo_k = n_min − 1), ok(hi_k).
    lo_k = n_min[live] - 1
    hi_k = n_max[live].copy()
    pending = np.arange(live.size)
    for _ in range(4):
        if pending.size == 0:
            break
        c = cand[pending]
        good = test.ok(c, live[pending])
        hi_k[pending[good]] = np.minimum(hi_k[pending[good]], c[good])
        lo_k[pending[~good]] = np.maximum(lo_k[pending[~good]], c[~good])
        cand[pending] = np.where(good, c - 1, c + 1)
        pending = pending[hi_k[pending] != lo_k[pending] + 1]
    out[live] = hi_k
    if pending.size:
        out[live[pending]] = _bisect(test, live[pending], lo_k[pending] + 1, hi_k[pending].copy())
    return out


def _guess(test: _CutTest, live: I64, n_min: I64, n_max: I64) -> I64:
    """The closed-form first guess of ``n`` for the loans ``live`` (``n_min`` / ``n_max``: theirs)."""
    b = test.base[live].astype(np.float64)
    a = test.bucket[live].astype(np.float64)
    t = test.target[live].astype(np.float64)
    r = test.rate[live].astype(np.float64) / (12.0 * 10**6)
    lo = n_min.astype(np.float64)
    hi = n_max.astype(np.float64)
    guess = np.ones(live.size)
    with np.errstate(divide="ignore", invalid="ignore"):
        for _ in range(4):
            room = t - a / guess
            flat = (b + a) / t
            annuity = -np.log1p(-b * r / room) / np.log1p(r)
            guess = np.where(r == 0.0, flat, np.where(room > b * r, annuity, hi))
            guess = np.clip(np.nan_to_num(guess, nan=hi[0] if hi.size else 1.0), lo, hi)
    diff = test.differentiated(live)
    if diff is not None:
        # differentiated: part + interest + share ≤ T with the interest of a whole month on B (30 days; 31 for
        # actual/365), an upper bound of every line's: n ≥ (B + A) / (T − I) is at or just above the answer
        on, dd = diff
        days = np.where(dd.thirty, 30, 31)
        i1 = (test.base[live[on]] * test.rate[live[on]] * days + (dd.den >> 1)) // dd.den
        room = t[on] - i1.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            g2 = np.where(room > 0, (b[on] + a[on]) / room, hi[on])
        guess[on] = np.clip(np.nan_to_num(g2, nan=1.0, posinf=1.0), lo[on], hi[on])
    return np.asarray(np.clip(np.ceil(guess - 1e-9), lo, hi), dtype=np.int64)


def _bisect(test: _CutTest, idx: I64, lo_i: I64, hi_i: I64) -> I64:
    """Smallest ``n`` in ``[lo_i, hi_i]`` passing the test, for the loans ``idx`` (``hi_i`` passes)."""
    while True:
        open_ = np.flatnonzero(lo_i < hi_i)
        if open_.size == 0:
            break
        mid = (lo_i[open_] + hi_i[open_]) // 2
        res = test.ok(mid, idx[open_])
        hi_i[open_[res]] = mid[res]
        lo_i[open_[~res]] = mid[~res] + 1
    return lo_i


@dataclass
class GroupLines:
    """What the amortisation kernel returns for one group of loans (in the group's order)."""

    m: I64
    interest: I64
    first_pi: I64
    max_pi: I64
    principal: I64 | None = None
    paid: I64 | None = None
    balance: I64 | None = None


def amortise_group(
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
) -> GroupLines:
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
        paid = _pay_line(method, nl, b_s, i_s, p_s, t_s, al, level[s], pot[s])
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
    return GroupLines(m, tot, first_pi, max_pi, sched_p, sched_i, sched_b)


def _pay_line(method: int, nl: int, b_s: I64, i_s: I64, p_s: I64, t_s: I64, al: Bool, level: I64, pot: I64) -> I64:
    """One line's principal into ``p_s`` and the interest paid (returned) of the running loans; the first ``nl``
    pay their planned last line (the balance, and the pot). Updates ``pot`` and, for principal_first, ``al``."""
    if method == PRINCIPAL_FIRST:
        al |= pot > 0
        pot += i_s
        np.minimum(level, b_s, out=p_s)
        p_s[:nl] = b_s[:nl]
        np.subtract(level, p_s, out=t_s)
        np.minimum(t_s, pot, out=t_s)
        t_s[:nl] = pot[:nl]
        pot -= t_s
        return t_s
    if method == ANNUITY:
        np.subtract(level, i_s, out=p_s)
        np.maximum(p_s, 0, out=p_s)
        np.minimum(p_s, b_s, out=p_s)
    else:
        np.minimum(level, b_s, out=p_s)
    p_s[:nl] = b_s[:nl]
    return i_s
