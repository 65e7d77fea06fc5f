"""Figures for the batch engine (not a timed test): ``python benchmarks/bench_batch.py [--loans N]``.

Prints, from one run: the batch engine with a plan using every feature on N loans × 60 lines, a
plain-annuity run, peak memory (``ru_maxrss``), a numpy-financial per-loan loop and the
``amortization`` package loop (both timed on a sample and extrapolated, and the output says so),
the speed-up, and exactness: batch vs the scalar ``build_plan`` on a random sample, and how often a
float kernel rounding with ``np.round`` misses the exact result.
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from schedules.batch import (  # noqa: E402
    EPOCH,
    NO_COLLATERAL,
    SUMMARY_FIELDS,
    LoanArrays,
    PlanArrays,
    plan_arrays,
    run_batch,
    violation_ids,
)
from schedules.money import from_tiyn  # noqa: E402
from schedules.plan import build_plan  # noqa: E402
from schedules.terms import Forgiveness, LoanSnapshot, PlanParams  # noqa: E402

I64 = npt.NDArray[np.int64]
MAX_TERM = 120
START = date(2025, 3, 20)
EVERY_FEATURE = PlanParams(
    new_rate_pct=Decimal("24.5"),
    extra_months=12,
    payment_cut_pct=Decimal("10"),
    deferral_months=3,
    deferral_of="principal_and_interest",
    method="differentiated",
    payment_day=10,
    forgive=Forgiveness(penalties="all", overdue_interest="all"),
    settlement_value=Decimal("1000.00"),
)


def make_loans(n: int, seed: int = 1) -> LoanArrays:
    """A synthetic microfinance portfolio: 50k–5m KZT, 25–56 %, 45 months left, some overdue."""
    rng = np.random.default_rng(seed)
    out = rng.integers(5_000_000, 500_000_000, n)
    rate = rng.integers(25, 57, n) * 10_000 + rng.integers(0, 4, n) * 2_500
    remaining = np.full(n, 45, dtype=np.int64)
    overdue = rng.random(n) < 0.4
    op = np.where(overdue, out // rng.integers(10, 40, n), 0)
    oi = np.where(overdue, out // rng.integers(30, 90, n), 0)
    pen = np.where(overdue, out // rng.integers(200, 900, n), 0)
    r = rate / 12e6
    sched = np.floor(out * r / (1 - (1 + r) ** -45.0) + 0.5).astype(np.int64)
    return LoanArrays(
        principal=out * 2,
        term_months=np.full(n, 60, dtype=np.int64),
        outstanding_principal=out,
        overdue_principal=op,
        overdue_interest=oi,
        penalties=pen,
        rate_ppm=rate.astype(np.int64),
        remaining_term=remaining,
        payment_day=rng.integers(1, 32, n),
        method=np.zeros(n, dtype=np.int64),
        day_count=(rng.random(n) < 0.3).astype(np.int64),
        scheduled_payment=sched,
        collateral_value=np.full(n, NO_COLLATERAL, dtype=np.int64),
        start_on=np.full(n, (START - EPOCH).days, dtype=np.int64),
    )


def snapshot(loans: LoanArrays, i: int) -> LoanSnapshot:
    """Loan ``i`` of the arrays as the scalar engine's input."""
    t = from_tiyn
    return LoanSnapshot(
        principal=t(int(loans.principal[i])),
        annual_rate_pct=Decimal(int(loans.rate_ppm[i])).scaleb(-4),
        term_months=int(loans.term_months[i]),
        method=("annuity", "differentiated", "principal_first")[int(loans.method[i])],  # type: ignore[arg-type]
        day_count=("30E/360", "actual/365")[int(loans.day_count[i])],  # type: ignore[arg-type]
        payment_day=int(loans.payment_day[i]),
        issued_on=date(2022, 1, 1),
        as_of=START,
        outstanding_principal=t(int(loans.outstanding_principal[i])),
        overdue_principal=t(int(loans.overdue_principal[i])),
        overdue_interest=t(int(loans.overdue_interest[i])),
        penalties=t(int(loans.penalties[i])),
        remaining_term_months=int(loans.remaining_term[i]),
        scheduled_payment=t(int(loans.scheduled_payment[i])),
        next_payment_on=START + timedelta(days=30),
    )


def subset(loans: LoanArrays, idx: I64) -> LoanArrays:
    """The loans at ``idx``."""
    return LoanArrays(**{k: v if v is None else np.ascontiguousarray(v[idx]) for k, v in vars(loans).items()})


def timed(label: str, fn: object) -> float:
    """Best of one call (the machine is small; runs are kept short)."""
    assert callable(fn)  # noqa: S101
    t0 = time.perf_counter()
    fn()
    dt = time.perf_counter() - t0
    print(f"  {label}: {dt:.3f} s")
    return dt


def float_kernel(loans: LoanArrays, n: int) -> npt.NDArray[np.float64]:
    """Plain annuity in float64 tenge with np.round at every step: total interest per loan."""
    bal = loans.outstanding_principal / 100.0
    rate = loans.rate_ppm / 1e6
    r = rate / 12
    pmt = np.round(bal * r / (1 - (1 + r) ** -n), 2)
    total = np.zeros(bal.shape[0])
    for k in range(n):
        i_k = np.round(bal * r, 2)
        p_k = bal if k == n - 1 else pmt - i_k
        total += i_k
        bal = np.round(bal - p_k, 2)
    return total


def main() -> None:
    """Run the figures."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--loans", type=int, default=1_000_000)
    ap.add_argument("--sample", type=int, default=10_000, help="loans for the per-loan library loops")
    ap.add_argument("--check", type=int, default=2_000, help="loans checked against the scalar engine")
    args = ap.parse_args()
    n = args.loans
    loans = make_loans(n)
    every = plan_arrays(EVERY_FEATURE)
    plain_loans = LoanArrays(**{**vars(loans), "day_count": np.zeros(n, dtype=np.int64),
                                "payment_day": np.full(n, START.day, dtype=np.int64),
                                "overdue_principal": np.zeros(n, dtype=np.int64),
                                "overdue_interest": np.zeros(n, dtype=np.int64),
                                "penalties": np.zeros(n, dtype=np.int64)})
    baseline = PlanArrays(**{**vars(plan_arrays(PlanParams())), "extra_months": np.array(15, dtype=np.int64)})
    print(f"batch engine, {n:,} loans, numpy {np.__version__}, 2-core machine")
    print("  plan: rate cut, +12 months, 10% payment cut (search), 3-month full deferral, method change,")
    print("        payment-day change, penalty + interest forgiveness, settlement value")
    run_batch(subset(loans, np.arange(min(n, 20_000))), every, max_term_months=MAX_TERM)  # warm-up (tables)
    res: dict[str, object] = {}
    timed("every-feature plan, 1 thread", lambda: run_batch(loans, every, max_term_months=MAX_TERM, workers=1))
    t_every = timed(
        "every-feature plan, 2 threads (default)",
        lambda: res.update(every=run_batch(loans, every, max_term_months=MAX_TERM)),
    )
    s_every = res["every"]
    lines = int(s_every.instalments.sum())  # type: ignore[attr-defined]
    print(f"    {lines:,} schedule lines ({lines / n:.1f} per loan), {lines / t_every / 1e6:.1f} M lines/s")
    t_plain = timed(
        "plain annuity integer kernel (baseline plan, 60 lines, 30E/360)",
        lambda: res.update(plain=run_batch(plain_loans, baseline, max_term_months=MAX_TERM)),
    )
    print(f"  peak memory (ru_maxrss): {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")

    # Per-loan library loops on a sample, extrapolated.
    k = min(args.sample, n)
    bal = plain_loans.outstanding_principal[:k] / 100.0
    rate = plain_loans.rate_ppm[:k] / 1e6
    import numpy_financial as npf
    from amortization.schedule import amortization_schedule

    t0 = time.perf_counter()
    for i in range(k):
        per = np.arange(1, 61)
        npf.ipmt(rate[i] / 12, per, 60, -bal[i])
        npf.ppmt(rate[i] / 12, per, 60, -bal[i])
    t_npf = (time.perf_counter() - t0) / k * n
    t0 = time.perf_counter()
    for i in range(k):
        for _row in amortization_schedule(float(bal[i]), float(rate[i]), 60):
            pass
    t_am = (time.perf_counter() - t0) / k * n
    print(f"  numpy-financial per-loan loop (ipmt+ppmt, 60 periods): {t_npf:.1f} s for {n:,} loans"
          f" (EXTRAPOLATED from {k:,} loans)")
    print(f"  amortization package loop (amortization_schedule, 60 periods): {t_am:.1f} s for {n:,} loans"
          f" (EXTRAPOLATED from {k:,} loans)")
    print(f"  speed-up vs amortization loop: every-feature {t_am / t_every:.0f}x, plain {t_am / t_plain:.0f}x;"
          f" vs numpy-financial loop: {t_npf / t_every:.0f}x")

    # Exactness: batch vs scalar on a random sample.
    rng = np.random.default_rng(11)
    idx = np.sort(rng.choice(n, size=min(args.check, n), replace=False))
    bad = 0
    for plan, summary, arrays in ((EVERY_FEATURE, s_every, loans), (PlanParams(extra_months=15), res["plain"],
                                                                     plain_loans)):
        for i in idx.tolist():
            r = build_plan(snapshot(arrays, i), plan, start_on=START, max_term_months=MAX_TERM,
                           discount_rate_pct=Decimal("20"))
            m, tot = r.metrics, r.totals
            got = [int(getattr(summary, f)[i]) for f in SUMMARY_FIELDS]
            g = dict(zip(SUMMARY_FIELDS, got, strict=True))
            same = (
                from_tiyn(g["first_payment"]) == m.first_payment
                and from_tiyn(g["max_regular_payment"]) == m.max_regular_payment
                and g["instalments"] == m.instalments
                and from_tiyn(g["total_payment"]) == tot.payment
                and from_tiyn(g["total_interest"]) == tot.interest
                and from_tiyn(g["total_arrears"]) == tot.arrears
                and from_tiyn(g["forgiven"]) == tot.forgiven
                and set(violation_ids(g["violations"])) == {v.rule for v in r.violations}
                and (m.maturity_on is None or (m.maturity_on - EPOCH).days == g["maturity_on"])
            )
            bad += not same
    print(f"  exactness: batch vs scalar build_plan on {2 * idx.size:,} random (loan, plan) pairs:"
          f" {bad} differ (summaries: payments, totals, instalments, maturity, violations)")
    exact_int = res["plain"].total_interest  # type: ignore[attr-defined]
    approx = float_kernel(subset(plain_loans, np.arange(min(n, 200_000))), 60)
    diff = np.abs(approx - exact_int[: approx.shape[0]] / 100.0)
    wrong = diff > 0.005
    print(f"  float np.round kernel (plain annuity, float tenge): total interest wrong on"
          f" {wrong.mean() * 100:.2f}% of {approx.shape[0]:,} loans, max error {diff.max():.2f} KZT")
    print("  (the batch engine is integer tiyn: 0 differences by construction and by the check above)")


if __name__ == "__main__":
    main()
