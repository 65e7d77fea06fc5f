"""Small cases checked with a calculator; each comment says how the figure is derived.

Default loan (``loans.BASE_LOAN``): 1 200.00 at 12 % (1 % a month), 2 instalments, 30E/360, on the 15th,
started on 2024-01-15 (a due-date anniversary, so the first period is a whole month).
"""

from datetime import date
from decimal import Decimal

from schedules.plan import contract_schedule
from schedules.terms import Forgiveness, PlanParams
from tests.unit.schedules.loans import BASE_LOAN, column, loan, plan


def test_baseline_annuity_reproduces_the_contract() -> None:
    # PMT 609.01; interest 1200·1% = 12.00; principal 597.01; balance 602.99;
    # interest 602.99·1% = 6.0299 → 6.03; last pays the balance: 602.99 + 6.03 = 609.02.
    r = plan()
    assert r.feasible and r.violations == ()
    assert column(r, "payment") == ["609.01", "609.02"]
    assert column(r, "interest") == ["12.00", "6.03"]
    assert column(r, "principal") == ["597.01", "602.99"]
    assert column(r, "balance") == ["602.99", "0.00"]
    assert [line.due_on for line in r.schedule] == [date(2024, 2, 15), date(2024, 3, 15)]
    assert r.schedule == contract_schedule(BASE_LOAN, start_on=date(2024, 1, 15))
    assert r.totals.payment == Decimal("1218.03") and r.totals.interest == Decimal("18.03")
    assert r.metrics.payment_cut_pct == Decimal("0.00")
    assert r.metrics.concession == Decimal("0.00")


def test_differentiated_parts_round_down_and_the_last_takes_the_rest() -> None:
    # 1 000.00 / 3 = 333.333… → 333.33, 333.33, last 333.34; interest 10.00, 666.67·1% = 6.67, 333.34·1% = 3.33.
    r = plan(
        loan(
            principal=Decimal("1000.00"),
            outstanding_principal=Decimal("1000.00"),
            term_months=3,
            remaining_term_months=3,
            method="differentiated",
            scheduled_payment=Decimal("343.33"),
        )
    )
    assert column(r, "principal") == ["333.33", "333.33", "333.34"]
    assert column(r, "interest") == ["10.00", "6.67", "3.33"]
    assert column(r, "payment") == ["343.33", "340.00", "336.67"]


def test_rate_cut_to_zero_splits_the_base_evenly() -> None:
    # 0 %: PMT = 1200/2 = 600.00, no interest.
    r = plan(params=PlanParams(new_rate_pct=Decimal("0")))
    assert column(r, "payment") == ["600.00", "600.00"]
    assert r.totals.interest == Decimal("0.00")
    assert r.metrics.gesv_pct == Decimal("0.0")


def test_30e_broken_first_period_from_start_on() -> None:
    # Start 2024-01-15, paid on the 1st: first due 2024-02-01, 30E days = 30 + 1 − 15 = 16;
    # interest = 1000·0.36·16/360 = 16.00; one instalment pays 1 016.00.
    r = plan(
        loan(
            outstanding_principal=Decimal("1000.00"),
            annual_rate_pct=Decimal("36"),
            remaining_term_months=1,
            payment_day=1,
            scheduled_payment=Decimal("1030.00"),
        )
    )
    assert column(r, "interest") == ["16.00"]
    assert column(r, "payment") == ["1016.00"]
    assert r.schedule[0].due_on == date(2024, 2, 1)


def test_actual_365_uses_calendar_days() -> None:
    # 3 650.00 at 10 %, 2023-01-01, on the 1st. PMT(3650, 10%/12, 2) = 1847.84 (npf.pmt).
    # Jan: 3650·0.10·31/365 = 31.00, principal 1816.84, balance 1833.16.
    # Feb (28 days): 1833.16·0.10·28/365 = 14.0626 → 14.06; last = 1833.16 + 14.06 = 1847.22.
    r = plan(
        loan(
            outstanding_principal=Decimal("3650.00"),
            annual_rate_pct=Decimal("10"),
            day_count="actual/365",
            payment_day=1,
            scheduled_payment=Decimal("1847.84"),
        ),
        start_on=date(2023, 1, 1),
    )
    assert column(r, "interest") == ["31.00", "14.06"]
    assert column(r, "payment") == ["1847.84", "1847.22"]


def test_payment_day_31_uses_feb_29_and_whole_months_stay_r_over_12() -> None:
    # Paid on the 31st from 2024-01-31: dues Feb 29, Mar 31; each period is a whole 30E month → 12.00 interest.
    r = plan(loan(payment_day=31), start_on=date(2024, 1, 31))
    assert [line.due_on for line in r.schedule] == [date(2024, 2, 29), date(2024, 3, 31)]
    assert column(r, "interest") == ["12.00", "6.03"]


def test_arrears_bucket_is_repaid_in_equal_shares_without_interest() -> None:
    # Overdue interest 100.01 → shares floor(100.01/2) = 50.00, last 50.01; added to 609.01 and 609.02.
    r = plan(loan(overdue_interest=Decimal("100.01")))
    assert column(r, "arrears") == ["50.00", "50.01"]
    assert column(r, "payment") == ["659.01", "659.03"]
    assert column(r, "interest") == ["12.00", "6.03"]


def test_overdue_principal_joins_the_interest_bearing_base() -> None:
    # B = 1100 outstanding + 100 overdue = 1200 → PMT recomputed = 609.01 (same figures as the contract).
    r = plan(loan(outstanding_principal=Decimal("1100.00"), overdue_principal=Decimal("100.00")))
    assert column(r, "payment") == ["609.01", "609.02"]
    assert r.totals.principal == Decimal("1200.00")


def test_principal_deferral_gives_interest_only_instalments_then_the_annuity() -> None:
    # 3 months interest-only: 1200·1% = 12.00 each; then PMT(1200, 2) = 609.01, 609.02. Maturity +3 months.
    r = plan(params=PlanParams(deferral_months=3, deferral_of="principal"))
    assert column(r, "payment") == ["12.00", "12.00", "12.00", "609.01", "609.02"]
    assert column(r, "principal") == ["0.00", "0.00", "0.00", "597.01", "602.99"]
    assert r.metrics.maturity_on == date(2024, 6, 15)


def test_full_deferral_moves_the_interest_to_the_arrears_bucket() -> None:
    # 2 months of zero instalments; interest 12.00 + 12.00 = 24.00 goes to the bucket (never capitalised),
    # repaid 12.00 + 12.00 with PMT(1200, 2): 621.01, 621.02. The balance stays 1 200.00 during the deferral.
    r = plan(params=PlanParams(deferral_months=2, deferral_of="principal_and_interest"))
    assert column(r, "payment") == ["0.00", "0.00", "621.01", "621.02"]
    assert column(r, "arrears") == ["0.00", "0.00", "12.00", "12.00"]
    assert column(r, "balance")[:2] == ["1200.00", "1200.00"]
    assert r.metrics.first_payment == Decimal("0.00")


def test_term_extension_recomputes_the_level_payment() -> None:
    # 2 + 1 months: PMT(1200, 3) = 12/(1 − 1.01^−3) = 408.0266 → 408.03.
    # 12.00/396.03 → 803.97; 8.0397 → 8.04/399.99 → 403.98; 4.0398 → 4.04, last 403.98 + 4.04 = 408.02.
    r = plan(params=PlanParams(extra_months=1))
    assert column(r, "payment") == ["408.03", "408.03", "408.02"]
    assert column(r, "interest") == ["12.00", "8.04", "4.04"]


def test_payment_cut_takes_the_smallest_term_reaching_the_target() -> None:
    # T = floor(609.01·0.5) = 304.50. PMT(1200, 4) = 307.54 > T; PMT(1200, 5) = 247.2478 → 247.25 ≤ T → n = 5.
    # Cut achieved = (609.01 − 247.25)/609.01 = 59.40 %.
    r = plan(params=PlanParams(payment_cut_pct=Decimal("50")))
    assert r.metrics.instalments == 5
    assert r.metrics.first_payment == Decimal("247.25")
    assert r.metrics.max_regular_payment == Decimal("247.25")
    assert r.metrics.payment_cut_pct == Decimal("59.40")


def test_payment_cut_counts_the_arrears_share() -> None:
    # Overdue interest 200.00: n = 5 gives 247.25 + 40.00 = 287.25 ≤ 304.50, n = 4 gives 307.54 + 50.00 → n = 5.
    # With 600.00 of arrears: n = 5 → 247.25 + 120.00 = 367.25 > T; n = 6: PMT = 207.06, + 100.00 = 307.06 > T;
    # n = 7: PMT = 12/(1 − 1.01^−7) = 178.3459 → 178.35, + floor(600/7) = 85.71 → 264.06 ≤ T → n = 7.
    assert (
        plan(loan(overdue_interest=Decimal("200.00")), PlanParams(payment_cut_pct=Decimal("50"))).metrics.instalments
        == 5
    )
    r = plan(loan(overdue_interest=Decimal("600.00")), PlanParams(payment_cut_pct=Decimal("50")))
    assert r.metrics.instalments == 7
    assert r.metrics.first_payment == Decimal("264.06")


def test_method_change_to_differentiated() -> None:
    # 1200/2 = 600.00 parts; interest 12.00, then 600·1% = 6.00.
    r = plan(params=PlanParams(method="differentiated"))
    assert column(r, "payment") == ["612.00", "606.00"]


def test_principal_first_pays_principal_then_the_accrued_interest() -> None:
    # L = 609.01 all to principal (interest 12.00 accrues) → balance 590.99; last: interest 5.9099 → 5.91,
    # pays 590.99 + (12.00 + 5.91) = 608.90.
    r = plan(loan(method="principal_first"))
    assert column(r, "principal") == ["609.01", "590.99"]
    assert column(r, "interest") == ["0.00", "17.91"]
    assert column(r, "payment") == ["609.01", "608.90"]


def test_payment_day_change_shortens_the_first_period() -> None:
    # New day 25: first due 2024-01-25, 10 days: 1200·0.12·10/360 = 4.00; level kept at 609.01 → principal
    # 605.01, balance 594.99; then 5.9499 → 5.95 and the last pays 594.99 + 5.95 = 600.94.
    r = plan(params=PlanParams(payment_day=25))
    assert [line.due_on for line in r.schedule] == [date(2024, 1, 25), date(2024, 2, 25)]
    assert column(r, "payment") == ["609.01", "600.94"]


def test_penalty_forgiveness_shrinks_the_bucket() -> None:
    # Overdue interest 30.00 + penalties 20.00; forgiving all penalties leaves 30.00 → 15.00 + 15.00.
    r = plan(
        loan(overdue_interest=Decimal("30.00"), penalties=Decimal("20.00")),
        PlanParams(forgive=Forgiveness(penalties="all")),
    )
    assert column(r, "arrears") == ["15.00", "15.00"]
    assert r.totals.forgiven == Decimal("20.00")


def test_overdue_principal_forgiveness_lowers_the_base() -> None:
    # 1100 outstanding + 100 overdue − 100 forgiven = 1100 = the outstanding principal, so the contract's level
    # payment on it is kept: PMT(1100, 2) = 11/(1 − 1.01^−2) = 558.26. Without the forgiveness B = 1200 and the
    # level is recomputed: 609.01.
    snap = loan(
        outstanding_principal=Decimal("1100.00"),
        overdue_principal=Decimal("100.00"),
        scheduled_payment=Decimal("558.26"),
    )
    assert plan(snap).schedule[0].payment == Decimal("609.01")
    r = plan(
        snap,
        PlanParams(forgive=Forgiveness(overdue_principal=Decimal("100.00"))),
    )
    assert r.totals.principal == Decimal("1100.00")
    assert r.schedule[0].payment == Decimal("558.26")


def test_settlement_follows_the_statutory_order() -> None:
    # Debt: overdue principal 100, overdue interest 50, penalty 25, current 1 000. 200.00 of collateral pays
    # 100 + 50 + 25 and 25 of current principal → 975.00 rescheduled, no arrears; PMT(975, 2) = 494.82.
    snap = loan(
        outstanding_principal=Decimal("1000.00"),
        overdue_principal=Decimal("100.00"),
        overdue_interest=Decimal("50.00"),
        penalties=Decimal("25.00"),
    )
    r = plan(snap, PlanParams(settlement_value=Decimal("200.00")))
    assert r.totals.principal == Decimal("975.00")
    assert r.totals.arrears == Decimal("0.00")
    assert r.schedule[0].payment == Decimal("494.82")
    # With the shortfall forgiven nothing is rescheduled and the 975.00 is forgiven.
    r2 = plan(snap, PlanParams(settlement_value=Decimal("200.00"), forgive_shortfall=True))
    assert r2.feasible and r2.schedule == ()
    assert r2.totals.forgiven == Decimal("975.00")
    assert r2.metrics.npv == Decimal("200.00")
