"""Compute time of the recommended plan for a 60-month loan (target < 5 ms).

Run: ``python benchmarks/bench_recommend.py``. Times ``rules.recommend.recommend`` (the whole waterfall, the final
plan check included) with ``time.perf_counter`` over repetitions, for incomes at which each step is the one that
reaches the target, and one at which none does.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.income import month_of, months_before
from rules.recommend import recommend

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.builders import loan_snapshot  # noqa: E402

START = date(2025, 10, 1)
LOAN = loan_snapshot(
    principal=Decimal("1500000.00"),
    annual_rate_pct=Decimal("38.00"),
    term_months=60,
    method="annuity",
    day_count="30E/360",
    payment_day=10,
    issued_on=date(2025, 9, 10),
    as_of=START,
    outstanding_principal=Decimal("1500000.00"),
    overdue_principal=Decimal("60000.00"),
    overdue_interest=Decimal("45000.00"),
    penalties=Decimal("8000.00"),
    remaining_term_months=60,
    scheduled_payment=Decimal("57946.85"),
    next_payment_on=date(2025, 10, 10),
    overdue_since=date(2025, 9, 10),
)
REPEAT = 200


def _incomes(recent: int) -> dict[date, Decimal]:
    window = months_before(month_of(START), 12)
    return {m: Decimal(recent if i >= 10 else 150_000) for i, m in enumerate(window)}


def main() -> None:
    print(f"60-month loan, {REPEAT} repetitions each (perf_counter)")
    print(f"{'recent income':>14} {'stopped at':>18} {'met':>5} {'builds':>6} {'median ms':>10} {'p95 ms':>8}")
    for recent in (140_000, 118_000, 105_000, 90_000, 75_000, 40_000):
        a = assess(LOAN, BorrowerFlags(), _incomes(recent), START)
        rec = recommend(LOAN, a, start_on=START)
        times = []
        for _ in range(REPEAT):
            t0 = time.perf_counter()
            recommend(LOAN, a, start_on=START)
            times.append((time.perf_counter() - t0) * 1000)
        times.sort()
        builds = sum(s.evaluations for s in rec.steps)
        print(
            f"{recent:>14} {rec.steps[-1].step:>18} {rec.target_met!s:>5} {builds:>6} "
            f"{statistics.median(times):>10.3f} {times[int(0.95 * len(times)) - 1]:>8.3f}"
        )


if __name__ == "__main__":
    main()
