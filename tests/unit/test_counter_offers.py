"""SPEC §8 Mandatory cases: what a counter-offer to a mandatory request must keep and add (pure)."""

from decimal import Decimal

from restructure.counter_offers import coverage
from schedules.terms import Forgiveness, PlanParams

REQUEST = PlanParams(deferral_months=3, deferral_of="principal")


def test_the_request_itself_covers_everything_but_adds_no_relief():
    same = coverage(REQUEST, REQUEST)
    assert (same.missing, same.adds_relief, same.allowed) == ((), False, False)


def test_a_longer_or_fuller_deferral_or_an_extra_change_adds_relief():
    assert coverage(REQUEST, PlanParams(deferral_months=4, deferral_of="principal")).allowed
    assert coverage(REQUEST, PlanParams(deferral_months=3, deferral_of="principal_and_interest")).allowed
    assert coverage(REQUEST, PlanParams(deferral_months=3, deferral_of="principal", new_rate_pct=Decimal("30"))).allowed


def test_leaving_out_or_shortening_a_requested_change_is_named():
    assert coverage(REQUEST, PlanParams(extra_months=6)).missing == ("deferral_months", "deferral_of")
    shorter = coverage(REQUEST, PlanParams(deferral_months=2, deferral_of="principal", extra_months=6))
    assert shorter.missing == ("deferral_months",) and not shorter.allowed


def test_a_cut_must_be_at_least_the_one_asked_and_a_rate_at_most_the_one_asked():
    cut = PlanParams(payment_cut_pct=Decimal("50"))
    assert coverage(cut, PlanParams(payment_cut_pct=Decimal("49.99"), extra_months=6)).missing == ("payment_cut_pct",)
    assert coverage(cut, PlanParams(payment_cut_pct=Decimal("60"))).allowed
    rate = PlanParams(new_rate_pct=Decimal("30"))
    assert coverage(rate, PlanParams(new_rate_pct=Decimal("30.01"), extra_months=1)).missing == ("new_rate_pct",)


def test_forgiveness_compares_each_part_and_all_beats_any_amount():
    asked = PlanParams(forgive=Forgiveness(penalties=Decimal("1000.00")))
    assert coverage(asked, PlanParams(forgive=Forgiveness(penalties="all"))).allowed
    less = PlanParams(forgive=Forgiveness(penalties=Decimal("999.99"), overdue_interest="all"))
    assert coverage(asked, less).missing == ("forgive",)


def test_terms_that_are_not_relief_must_be_kept_as_asked():
    asked = PlanParams(method="differentiated", payment_day=20)
    other = coverage(asked, PlanParams(method="annuity", payment_day=20, extra_months=3))
    assert other.missing == ("method",)
