from datetime import date
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from schedules.gesv import gesv_pct
from schedules.npv import npv_tiyn
from schedules.plan import build_plans
from schedules.plan_result import gesv_payments as _gesv_payments
from schedules.plan_result import penalty_parts as _penalty_parts
from schedules.presets import presets
from schedules.terms import Forgiveness, PlanParams
from tests.unit.schedules.loans import BASE_LOAN, START, loan, plan


def _rules(params: PlanParams, **loan_changes: object) -> list[str]:
    r = plan(loan(**loan_changes), params)
    return [v.rule for v in r.violations]


def test_forgiving_more_than_the_bucket_is_a_violation_not_a_crash() -> None:
    r = plan(loan(penalties=Decimal("10.00")), PlanParams(forgive=Forgiveness(penalties=Decimal("10.01"))))
    assert not r.feasible and r.schedule == ()
    assert r.violations[0].rule == "E-FORGIVE-EXCEEDS"
    assert "10.01" in r.violations[0].message and "10.00" in r.violations[0].message


def test_unreachable_payment_cut_is_infeasible() -> None:
    # 90 % of 609.01 → T = 60.90 < 1200·1 % = 12.00? No: at most 3 months can never bring 1 200 under 60.90.
    r = plan(params=PlanParams(payment_cut_pct=Decimal("90")), max_term_months=3)
    assert [v.rule for v in r.violations] == ["E-PAYMENT-CUT-INFEASIBLE"]


def test_a_higher_rate_is_flagged_but_computed() -> None:
    r = plan(params=PlanParams(new_rate_pct=Decimal("24")))
    assert [v.rule for v in r.violations] == ["R-NO-WORSE"]
    assert not r.feasible and len(r.schedule) == 2


def test_bad_inputs_become_violations() -> None:
    assert _rules(PlanParams(payment_cut_pct=Decimal("100"))) == ["E-PAYMENT-CUT-INVALID"]
    assert _rules(PlanParams(payment_day=32)) == ["E-PAYMENT-DAY-INVALID"]
    assert _rules(PlanParams(new_rate_pct=Decimal("-1"))) == ["E-RATE-NEGATIVE"]
    assert _rules(PlanParams(extra_months=-1)) == ["E-EXTRA-MONTHS-INVALID"]
    assert _rules(PlanParams(settlement_value=Decimal("5000.00"))) == ["E-SETTLEMENT-EXCEEDS-DEBT"]
    assert _rules(PlanParams(), outstanding_principal=Decimal("1.005")) == ["E-INPUT-INVALID"]
    assert _rules(PlanParams(extra_months=100)) == ["E-TERM-EXCEEDS-MAX"]


def test_gesv_of_one_payment_a_year_later() -> None:
    # 1 000 lent, 1 100 repaid after 365 days → 10.0 %.
    assert gesv_pct(100_000, [110_000], [365]) == Decimal("10.0")
    assert gesv_pct(0, [110_000], [365]) is None


def test_gesv_excludes_penalties() -> None:
    # 0 % rate: principal and overdue interest repaid without interest → 0.0 %, whatever the penalties.
    r = plan(loan(overdue_interest=Decimal("50.00"), penalties=Decimal("30.00")), PlanParams(new_rate_pct=Decimal(0)))
    assert r.metrics.gesv_pct == Decimal("0.0")


def test_npv_discounts_monthly() -> None:
    # 1 010.00 one month away at 12 % a year (1 % a month) is worth 1 000.00 now.
    assert npv_tiyn(0, [101_000], [1.0], Decimal("12")) == 100_000


def test_concession_of_forgiving_penalties_is_their_discounted_value() -> None:
    # Contract: penalties 20.00 paid now. The plan repays them 10.00 + 10.00 over the 2 instalments; forgiving them
    # all costs the lender exactly 20.00 (due now under the contract).
    snap = loan(penalties=Decimal("20.00"))
    assert plan(snap, PlanParams(forgive=Forgiveness(penalties="all"))).metrics.concession == Decimal("20.00")
    # Spread without interest over the 2 months: 20 − 10/1.01 − 10/1.0201 = 20 − 9.9010 − 9.8030 = 0.2960 → 0.30.
    assert plan(snap).metrics.concession == Decimal("0.30")


def test_presets_are_labelled_and_all_feasible_for_a_plain_loan() -> None:
    snap = loan(
        principal=Decimal("500000.00"),
        outstanding_principal=Decimal("500000.00"),
        annual_rate_pct=Decimal("36"),
        term_months=60,
        remaining_term_months=60,
        scheduled_payment=Decimal("18069.73"),
        penalties=Decimal("1500.00"),
    )
    ps = presets(snap)
    assert [p.label for p in ps] == [
        "rate_cut",
        "term_extension",
        "payment_cut_50",
        "principal_deferral_3m",
        "full_deferral_3m",
        "method_change",
        "penalty_forgiveness",
    ]
    assert ps[0].new_rate_pct == Decimal("18.0000")
    results = build_plans(snap, (PlanParams(), *ps), start_on=START, max_term_months=120, discount_rate_pct=Decimal(20))
    # At 36 % the monthly interest on 500 000 is 15 000 > half the instalment (9 034.86): no term reaches it.
    assert [v.rule for v in results[3].violations] == ["E-PAYMENT-CUT-INFEASIBLE"]
    assert all(r.feasible for i, r in enumerate(results) if i != 3), [r.violations for r in results]
    cut = build_plans(snap, ps[2:3], start_on=START, max_term_months=120, discount_rate_pct=Decimal(20))[0]
    assert not cut.feasible
    lower = plan(snap, PlanParams(new_rate_pct=Decimal("12"), payment_cut_pct=Decimal("50")), max_term_months=120)
    assert lower.feasible and lower.metrics.payment_cut_pct >= Decimal("50")
    # Baseline: the 1 500.00 penalties add 25.00 a month: (18 069.73 − 18 094.73)/18 069.73 = −0.14 %.
    assert results[0].metrics.payment_cut_pct == Decimal("-0.14")


def test_baseline_of_a_mid_life_loan_reproduces_the_rest_of_its_schedule() -> None:
    whole = plan(
        loan(
            principal=Decimal("100000.00"),
            outstanding_principal=Decimal("100000.00"),
            term_months=12,
            remaining_term_months=12,
            scheduled_payment=Decimal("8884.88"),
        )
    )
    fifth = whole.schedule[4]
    rest = plan(
        loan(
            principal=Decimal("100000.00"),
            outstanding_principal=fifth.balance,
            term_months=12,
            remaining_term_months=7,
            scheduled_payment=Decimal("8884.88"),
            as_of=fifth.due_on,  # SPEC §8: an older snapshot would add the interest from as_of to start_on
        ),
        start_on=fifth.due_on,
    )
    assert [line.payment for line in rest.schedule] == [line.payment for line in whole.schedule[5:]]
    assert [line.interest for line in rest.schedule] == [line.interest for line in whole.schedule[5:]]
    assert BASE_LOAN.payment_day == 15 and fifth.due_on == date(2024, 6, 15)


def test_gesv_of_a_schedule_paid_almost_entirely_at_the_end_is_finite() -> None:
    # principal_first with a 0.01 level at 199.9999 %: 1 000 000.00 and five years of simple interest
    # (10 999 991.51) fall due on 2029-01-15, 1 827 days out; 59 payments of 0.01 before it. Hand check:
    # 10.99999151^(365/1827) − 1 = 0.6145 → 61.5 %. Newton from the rate's guess (535 %) overshot far to the
    # left and math.exp overflowed (build_plan raised OverflowError).
    r = plan(
        loan(
            principal=Decimal("1000000.00"),
            outstanding_principal=Decimal("1000000.00"),
            annual_rate_pct=Decimal("199.9999"),
            term_months=60,
            remaining_term_months=60,
            method="principal_first",
            scheduled_payment=Decimal("0.01"),
        )
    )
    assert r.feasible and r.schedule[-1].payment == Decimal("10999991.51")
    assert r.metrics.gesv_pct == Decimal("61.5")
    days = [31 * k for k in range(1, 60)] + [1827]
    assert gesv_pct(100_000_000, [1] * 59 + [1_099_999_151], days, guess=5.35) == Decimal("61.5")


@given(
    d=st.integers(0, 4),
    m=st.integers(1, 30),
    bucket=st.integers(0, 10**6),
    oi_share=st.floats(0, 1),
    pen_share=st.floats(0, 1),
)
def test_gesv_payments_take_the_same_penalty_parts_as_the_line_by_line_walk(
    d: int, m: int, bucket: int, oi_share: float, pen_share: float
) -> None:
    oi = int(bucket * oi_share)
    pen = int((bucket - oi) * pen_share)
    share = bucket // m
    arrears = [0] * d + [share] * (m - 1) + [bucket - share * (m - 1)]
    pay = [a + 1_000 * (k + 1) for k, a in enumerate(arrears)]
    want = [p - q for p, q in zip(pay, _penalty_parts(arrears, oi, pen), strict=True)]
    assert _gesv_payments(pay, arrears, d, oi, pen) == want
