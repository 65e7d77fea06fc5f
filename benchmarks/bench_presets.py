"""One simulation of all presets for a 60-month loan: the baseline + the 7 presets, through ``build_plans``.

Run: ``python benchmarks/bench_presets.py``. Prints the time per simulation (all 8 plans, with schedules,
totals, GESV, NPV and concession) and per plan; target < 1 ms per simulation. Wall-clock time and this
thread's CPU time (``time.thread_time``: the compute, less disturbed when other processes share the cores)
are both reported.
"""

from __future__ import annotations

import statistics
import sys
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

from schedules.plan import build_plans
from schedules.presets import presets
from schedules.terms import PlanParams

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.builders import loan_snapshot  # noqa: E402

LOAN = loan_snapshot(
    principal=Decimal("1500000.00"),
    annual_rate_pct=Decimal("24"),
    term_months=72,
    method="annuity",
    day_count="30E/360",
    payment_day=10,
    issued_on=date(2024, 1, 10),
    as_of=date(2025, 1, 20),
    outstanding_principal=Decimal("1300000.00"),
    overdue_principal=Decimal("45000.00"),
    overdue_interest=Decimal("52000.00"),
    penalties=Decimal("7500.00"),
    remaining_term_months=60,
    scheduled_payment=Decimal("37398.11"),
    next_payment_on=date(2025, 2, 10),
)
START = date(2025, 1, 20)


def simulate(with_schedule: bool = True) -> None:
    build_plans(
        LOAN,
        (PlanParams(), *presets(LOAN)),
        start_on=START,
        max_term_months=120,
        discount_rate_pct=Decimal("20"),
        with_schedule=with_schedule,
    )


def measure(with_schedule: bool, rounds: int = 15, reps: int = 200) -> tuple[list[float], list[float]]:
    """Seconds per simulation, wall clock and thread CPU time, one sample per round."""
    for _ in range(100):
        simulate(with_schedule)
    wall, cpu = [], []
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.thread_time()
        for _ in range(reps):
            simulate(with_schedule)
        wall.append((time.perf_counter() - t0) / reps)
        cpu.append((time.thread_time() - c0) / reps)
    return wall, cpu


def main() -> None:
    plans = (PlanParams(), *presets(LOAN))
    for r in build_plans(LOAN, plans, start_on=START, max_term_months=120, discount_rate_pct=Decimal("20")):
        m = r.metrics
        print(
            f"{r.params.label or 'baseline':24} feasible={r.feasible!s:5} n={m.instalments:3} "
            f"first={m.first_payment:>10} max={m.max_regular_payment:>10} cut={m.payment_cut_pct:>6}% "
            f"gesv={m.gesv_pct}% concession={m.concession}"
        )
    n = len(plans)
    for with_schedule, what in ((True, "full PlanResults (Decimal schedule lines)"), (False, "figures only")):
        wall, cpu = measure(with_schedule)
        print(f"\none simulation (baseline + {n - 1} presets, 60-month loan), {what}, 15×200 runs:")
        for label, samples in (("wall", wall), ("cpu ", cpu)):
            best, median = min(samples), statistics.median(samples)
            print(
                f"  {label} median {median * 1e3:.3f} ms, best {best * 1e3:.3f} ms, per plan {median / n * 1e6:.0f} µs"
            )
        print("  target < 1 ms (cpu median):", "met" if statistics.median(cpu) < 1e-3 else "NOT met")


if __name__ == "__main__":
    main()
