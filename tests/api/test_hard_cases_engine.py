"""SPEC §8 hard cases through the API, engine and rules half (API.md "Additions"). Business date 2026-11-25; the
test loan (tests/conftest.py) is 450 000 at 36% with 20 000 + 15 000 overdue since 2026-10-10, as of 2026-11-20."""

from tests.api.test_simulations import body, incomes, inline_loan

URL = "/api/v1/simulations"


def _simulate(client, officer, **overrides):
    response = client.post(URL, json=body(**overrides), headers=officer)
    assert response.status_code == 200, response.json
    return response.json


def test_interest_from_as_of_to_start_on_and_accrued_interest_join_the_arrears(client, officer):
    # 470 000 × 36% × 5/360 (11-20 → 11-25) = 2 350.00, plus 1 000.00 accrued; bucket 15 000 + 1 500 + 3 350
    got = _simulate(client, officer, loan=inline_loan(accrued_interest="1000.00"), plans=[])
    assert got["baseline"]["totals"]["arrears"] == "19850.00"
    plain = _simulate(client, officer, start_on="2026-11-20", plans=[])
    assert plain["baseline"]["totals"]["arrears"] == "16500.00"


def test_unlawful_penalties_are_dropped_from_every_plan_and_shown(client, officer):
    # 41 days overdue as of 11-20 on 35 000: cap 35 000 × 0.5% × 41 = 7 175.00; 9 000 charged → 1 825.00 never collected
    got = _simulate(client, officer, loan=inline_loan(penalties="9000.00"))
    penalty = next(r for r in got["assessment"]["rules"] if r["rule"] == "R-PENALTY")
    assert penalty["passed"] is False and penalty["figures"]["cap"] == "7175.00"
    for plan in [got["baseline"], *got["plans"]]:
        assert plan["totals"]["penalty_excess_removed"] == "1825.00", plan["params"]
    # 15 000 + 7 175 + 2 350 (interest to start_on)
    assert got["baseline"]["totals"]["arrears"] == "24525.00"
    forgive = next(p for p in got["plans"] if p["params"].get("label") == "penalty_forgiveness")
    assert forgive["totals"]["forgiven"] == "7175.00"


def test_within_the_cap_nothing_is_removed(client, officer):
    got = _simulate(client, officer, plans=[])
    assert got["baseline"]["totals"]["penalty_excess_removed"] == "0.00"


def test_a_plan_that_only_lacks_consent_is_feasible_and_needs_consent(client, officer):
    got = _simulate(client, officer, plans=[{"extra_months": 6}, {"method": "differentiated"}, {"new_rate_pct": "40"}])
    longer, method, dearer = got["plans"]
    assert longer["feasible"] is True and longer["needs_consent"] is True
    assert method["feasible"] is True and method["needs_consent"] is True
    assert dearer["feasible"] is False and dearer["needs_consent"] is False  # the law forbids it whatever is said


def test_start_on_the_next_due_date_says_the_maturity_moved_by_a_month(client, officer):
    got = _simulate(client, officer, start_on="2026-12-10", plans=[{"payment_day": 10}])
    plan = got["plans"][0]
    assert plan["needs_consent"] is True
    simulated = client.post(
        URL, json=body(start_on="2026-12-10", plans=[{"new_rate_pct": "40"}]), headers=officer
    ).json["plans"][0]
    moved = [v["message"] for v in simulated["violations"] if v["rule"] == "R-NO-WORSE"]
    assert any("1 month(s) later" in m for m in moved), moved


def test_payment_cut_on_a_differentiated_loan_reaches_the_cut_asked(client, officer):
    loan = inline_loan(method="differentiated", scheduled_payment="40000.00")
    got = _simulate(client, officer, loan=loan, plans=[{"payment_cut_pct": "50"}])
    plan = got["plans"][0]
    assert plan["feasible"] is True
    assert float(plan["metrics"]["payment_cut_pct"]) >= 50
    assert float(plan["metrics"]["max_regular_payment"]) <= 20000.00


def test_a_matured_loan_deferred_is_repaid_over_three_instalments(client, officer):
    loan = inline_loan(remaining_term_months=0, next_payment_on="2026-11-20")
    got = _simulate(client, officer, loan=loan, plans=[{"deferral_months": 2, "deferral_of": "principal"}])
    plan = got["plans"][0]
    assert plan["metrics"]["instalments"] == 5 and plan["schedule"][-1]["balance"] == "0.00"


def test_a_conscript_gets_only_the_interest_free_deferral(client, officer):
    got = _simulate(client, officer, military_service_until="2027-11-10", plans=[{"extra_months": 6}])
    service = next(r for r in got["assessment"]["rules"] if r["rule"] == "R-MILITARY-SERVICE")
    # 2027-11-10 + 60 days = 2028-01-09: deferred over 14 due dates (2026-12-10 … 2028-01-10)
    assert service["figures"]["deferral_until"] == "2028-01-09" and service["figures"]["deferral_months"] == 14
    assert got["assessment"]["mandatory"]["applies"] is True
    assert "military_service" in got["assessment"]["mandatory"]["grounds"]
    assert "R-MILITARY-SERVICE" in [v["rule"] for v in got["plans"][0]["violations"]]
    recommended = got["recommended"]["plan"]
    assert recommended["params"]["deferral_of"] == "interest_free" and recommended["params"]["deferral_months"] == 14
    assert recommended["feasible"] is True
    assert all(line["payment"] == "0.00" and line["interest"] == "0.00" for line in recommended["schedule"][:14])


def test_a_service_end_too_far_away_is_a_422_naming_it(client, officer):
    for until in ("9999-12-01", "2026-11-01"):
        response = client.post(URL, json=body(military_service_until=until), headers=officer)
        assert response.status_code == 422, until
        assert "military_service_until" in response.json["errors"]


def test_a_short_loan_rate_is_accepted_and_checked(client, officer):
    # 100 000 KZT for one month (≤ 45 days, ≤ 45 MRP): 109.5% a year = 0.3% a day is the cap
    loan = inline_loan(
        principal="100000.00",
        outstanding_principal="95000.00",
        overdue_principal="0.00",
        overdue_interest="0.00",
        penalties="0.00",
        overdue_since=None,
        issued_on="2026-11-01",
        term_months=1,
        remaining_term_months=1,
        payment_day=1,
        next_payment_on="2026-12-01",
        annual_rate_pct="109.5",
        scheduled_payment="103668.75",
    )
    got = _simulate(client, officer, loan=loan, plans=[])
    gesv = next(r for r in got["baseline"]["violations"] if r["rule"] == "R-GESV-CAP") if got["baseline"][
        "violations"] else None
    assert gesv is None  # GESV ≈ 175% is within the short-loan cap of 179%
    assert float(got["baseline"]["metrics"]["gesv_pct"]) > 46
    over = client.post(URL, json=body(loan=inline_loan(annual_rate_pct="200.0001")), headers=officer)
    assert over.status_code == 422


def test_a_received_on_before_the_first_rule_set_is_a_422_naming_it(client, officer):
    response = client.post(URL, json=body(received_on="2020-01-01", incomes=incomes()), headers=officer)
    assert response.status_code == 422
    assert response.headers["Content-Type"].startswith("application/problem+json")
    assert "received_on" in response.json["errors"]


def test_a_collection_agency_period_is_left_out_and_the_assessment_says_so(client, officer):
    loan = inline_loan(with_collection_agency_since="2026-11-10")
    got = _simulate(client, officer, loan=loan, plans=[])
    agency = next(r for r in got["assessment"]["rules"] if r["rule"] == "R-COLLECTION-AGENCY")
    # 470 000 × 36% × 15/360 (11-10 → 11-25) = 7 050.00 of interest: the 2 350 to start_on and 4 700 of the overdue
    # interest; 10 of the 41 overdue days (10-10 → 11-20): ceil(1 500 × 10/41) = 365.86 of penalties
    assert agency["figures"]["interest_excluded"] == "7050.00"
    assert agency["figures"]["penalties_excluded"] == "365.86"
    assert got["baseline"]["totals"]["arrears"] == f"{15000 - 4700 + 1500 - 365.86:.2f}"


def test_dates_at_the_ends_of_the_calendar_are_422_not_500(client, officer):
    for overrides, field in (
        ({"start_on": "0001-01-01"}, "start_on"),
        ({"start_on": "9999-12-31"}, "start_on"),
        ({"received_on": "0001-01-01"}, "received_on"),
        ({"loan": inline_loan(next_payment_on="9999-12-31")}, "loan.next_payment_on"),
    ):
        response = client.post(URL, json=body(**overrides), headers=officer)
        assert response.status_code == 422, (overrides, response.json)
        assert field in response.json["errors"], response.json
