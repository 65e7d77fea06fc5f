import re
from datetime import date
from decimal import Decimal

import pytest

from restructure import portfolio
from restructure.snapshots import loan_snapshot, plan_params
from rules.ruleset import ruleset_for
from schedules.plan import build_plan
from tests.conftest import TODAY, loan_payload

URL = "/api/v1/portfolio/what-if"
START = "2026-12-10"
AMOUNT = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
MONEY_FIELDS = ("current_payment", "first_payment", "max_regular_payment", "relief", "total_paid", "concession")

# Loans a person can follow: the conftest loan (600,000 KZT, 36%, 18 months left, one instalment overdue) and
# variations of method, day count, payment day, rate and arrears.
VARIANTS = [
    {},
    {"method": "differentiated", "scheduled_payment": "40000.00"},
    {"method": "principal_first", "day_count": "actual/365", "payment_day": 31},
    {"method": "principal_first", "day_count": "actual/365", "payment_day": 31, "overdue_interest": "0.00",
     "penalties": "0.00"},
    {"annual_rate_pct": "0", "scheduled_payment": "25000.00", "overdue_interest": "0.00", "penalties": "0.00"},
    {"overdue_principal": "0.00", "overdue_interest": "0.00", "penalties": "0.00", "overdue_since": None},
    {"remaining_term_months": 3, "outstanding_principal": "100000.00", "scheduled_payment": "34000.00"},
    {"annual_rate_pct": "9.4822", "payment_day": 29, "day_count": "actual/365"},
]


def incomes(amount: str = "250000.00", recent: str | None = None) -> list[dict[str, str]]:
    """The 12 months before November 2026; the last two at ``recent`` when given."""
    months = [f"{y}-{m:02d}" for y, m in [(2025, 11), (2025, 12)] + [(2026, m) for m in range(1, 11)]]
    return [{"month": m, "amount": recent if recent and i >= 10 else amount} for i, m in enumerate(months)]


def scalar(payload, plan_document):
    """The single-loan simulation: the scalar engine on the same snapshot and plan."""
    fields = {k: v for k, v in payload.items() if k != "borrower_id"}
    for name in ("principal", "annual_rate_pct", "outstanding_principal", "overdue_principal", "overdue_interest",
                 "penalties", "scheduled_payment"):
        fields[name] = Decimal(str(fields[name]))
    for name in ("issued_on", "as_of", "next_payment_on", "overdue_since"):
        fields[name] = date.fromisoformat(fields[name]) if fields.get(name) else None
    rs = ruleset_for(TODAY)
    return build_plan(
        loan_snapshot(fields),
        plan_params(plan_document),
        start_on=date.fromisoformat(START),
        max_term_months=rs.max_term_months,
        discount_rate_pct=rs.discount_rate_pct,
    )


def stored(make_loan, make_borrower, **borrower):
    """The variants stored for one borrower: ``{loan id: the payload it was stored from}``."""
    owner = make_borrower(**borrower)["id"]
    out = {}
    for variant in VARIANTS:
        payload = loan_payload(owner, **variant)
        loan = make_loan(owner, **{k: v for k, v in payload.items() if k != "borrower_id"})
        out[loan["id"]] = payload
    return out


@pytest.mark.parametrize(
    "plan",
    [
        {},
        {"extra_months": 6},
        {"payment_cut_pct": "50"},
        {"deferral_months": 3, "deferral_of": "principal"},
        {"deferral_months": 3, "deferral_of": "principal_and_interest"},
        {"new_rate_pct": "20.00", "forgive": {"penalties": "all"}},
        {"method": "differentiated", "payment_day": 31},
    ],
)
def test_aggregate_equals_the_sum_of_single_loan_simulations(client, officer, make_loan, make_borrower, plan):
    loans = stored(make_loan, make_borrower)
    response = client.post(URL, json={"loan_ids": list(loans), "start_on": START, "plan": plan}, headers=officer)
    assert response.status_code == 200, response.json
    body = response.json
    assert [item["loan_id"] for item in body["items"]] == sorted(loans)

    relief = concession = Decimal(0)
    feasible = 0
    for item in body["items"]:
        payload = loans[item["loan_id"]]
        result = scalar(payload, plan)
        assert item["feasible"] == result.feasible, item
        assert item["contract_number"] == payload["contract_number"]
        if not result.feasible:
            assert item["concession"] is None
            continue
        m = result.metrics
        feasible += 1
        relief += Decimal(payload["scheduled_payment"]) - m.max_regular_payment
        concession += m.concession
        assert Decimal(item["max_regular_payment"]) == m.max_regular_payment
        assert Decimal(item["first_payment"]) == m.first_payment
        assert Decimal(item["total_paid"]) == result.totals.payment
        assert Decimal(item["concession"]) == m.concession
        assert item["instalments"] == m.instalments
        assert item["maturity_on"] == (m.maturity_on.isoformat() if m.maturity_on else None)
    aggregate = body["aggregate"]
    assert aggregate["loans"] == len(loans)
    assert aggregate["feasible"] == feasible
    assert Decimal(aggregate["total_relief"]) == relief
    assert Decimal(aggregate["total_concession"]) == concession


def test_pages_cover_every_stored_loan_exactly_once(client, officer, make_loan, make_borrower):
    loans = stored(make_loan, make_borrower)
    seen, cursor, aggregates = [], None, []
    while True:
        url = f"{URL}?limit=3" + (f"&cursor={cursor}" if cursor else "")
        response = client.post(url, json={"start_on": START, "plan": {"extra_months": 6}}, headers=officer)
        assert response.status_code == 200, response.json
        assert len(response.json["items"]) <= 3
        seen += [item["loan_id"] for item in response.json["items"]]
        aggregates.append(response.json["aggregate"])
        cursor = response.json["next_cursor"]
        if cursor is None:
            break
    assert seen == sorted(loans)
    assert len(aggregates) == 3
    assert all(a == aggregates[0] for a in aggregates)
    assert aggregates[0]["loans"] == len(loans)


def test_inline_loans_are_keyed_by_index_and_use_their_incomes_and_flags(client, officer):
    base = {k: v for k, v in loan_payload(1).items() if k not in ("borrower_id", "contract_number")}
    loans = [
        # 35,428.09 + 20,000 other debts over 250,000: dti 0.2217 ≤ 0.5 at baseline
        base | {"incomes": incomes(), "borrower": {"other_monthly_debt_payments": "20000.00"}},
        # income fell to 60,000 for the last two months: (35,428.09 + 0) / 60,000 > 0.5; a 72% drop
        base | {"incomes": incomes(recent="60000.00"), "borrower": {"vulnerable_categories": ["large_family"]}},
        base | {"contract_number": "INLINE-3", "borrower": {"emergency_affected": True}},
    ]
    response = client.post(URL, json={"loans": loans, "start_on": START, "plan": {}}, headers=officer)
    assert response.status_code == 200, response.json
    items = response.json["items"]
    assert [(i["index"], i["loan_id"], i["contract_number"]) for i in items] == [
        (0, None, None), (1, None, None), (2, None, "INLINE-3")
    ]
    assert items[0]["affordable"] is True and items[1]["affordable"] is False and items[2]["affordable"] is None
    assert items[2]["dti_recent"] is None and items[2]["kdn"] is None
    payment = Decimal(items[0]["max_regular_payment"])
    assert Decimal(items[0]["dti_recent"]) == ((payment + 20000) / 250000).quantize(Decimal("0.0001"))
    aggregate = response.json["aggregate"]
    assert (aggregate["loans"], aggregate["with_incomes"], aggregate["affordable"]) == (3, 2, 1)
    assert aggregate["mandatory"] == 0  # the baseline neither defers nor cuts

    deferral = {"deferral_months": 3, "deferral_of": "principal"}
    response = client.post(URL, json={"loans": loans, "start_on": START, "plan": deferral}, headers=officer)
    assert response.status_code == 200, response.json
    # vulnerable + income drop (index 1) and emergency-affected (index 2); index 0 has no ground
    assert [i["mandatory"] for i in response.json["items"]] == [False, True, True]
    assert response.json["aggregate"]["mandatory"] == 2


def test_stored_loans_take_incomes_by_loan_and_borrower_flags(client, officer, make_loan, make_borrower):
    vulnerable_tsa = make_borrower(vulnerable_categories=["large_family"], targeted_social_assistance=True)
    plain = make_borrower()
    first = make_loan(vulnerable_tsa["id"])
    second = make_loan(plain["id"])
    body = {
        "loan_ids": [second["id"], first["id"]],
        "start_on": START,
        "plan": {"payment_cut_pct": "50"},
        "incomes_by_loan": {str(second["id"]): incomes()},
    }
    response = client.post(URL, json=body, headers=officer)
    assert response.status_code == 200, response.json
    by_id = {item["loan_id"]: item for item in response.json["items"]}
    assert by_id[first["id"]]["mandatory"] is True
    assert by_id[second["id"]]["mandatory"] is False
    assert by_id[first["id"]]["dti_recent"] is None
    assert by_id[second["id"]]["affordable"] is True
    assert response.json["aggregate"] | {"total_relief": None, "total_concession": None} == {
        "loans": 2, "feasible": 2, "with_incomes": 1, "affordable": 1, "mandatory": 1,
        "total_relief": None, "total_concession": None,
    }


def test_money_is_returned_as_strings_with_two_decimals(client, officer, make_loan, make_borrower):
    stored(make_loan, make_borrower)
    response = client.post(URL, json={"start_on": START, "plan": {"extra_months": 3}}, headers=officer)
    assert response.status_code == 200
    for item in response.json["items"]:
        for name in MONEY_FIELDS:
            assert item[name] is None or AMOUNT.match(item[name]), (name, item[name])
    for name in ("total_relief", "total_concession"):
        assert AMOUNT.match(response.json["aggregate"][name])


def test_recommended_runs_the_waterfall_per_loan(client, officer, make_loan, make_borrower):
    loan = make_loan()
    body = {
        "loan_ids": [loan["id"]],
        "start_on": START,
        "recommended": True,
        "incomes_by_loan": {str(loan["id"]): incomes(recent="60000.00")},
    }
    response = client.post(URL, json=body, headers=officer)
    assert response.status_code == 200, response.json
    (item,) = response.json["items"]
    assert item["plan"]["label"] == "recommended"
    assert item["target_met"] is not None
    assert item["affordable"] == item["target_met"]


def test_recommended_refuses_a_selection_beyond_its_limit(client, officer, make_loan, monkeypatch):
    monkeypatch.setattr(portfolio, "MAX_RECOMMENDED", 1)
    make_loan()
    make_loan()
    response = client.post(URL, json={"start_on": START, "recommended": True}, headers=officer)
    assert response.status_code == 422
    assert "at most 1 loans" in response.json["detail"]
    assert "recommended" in response.json["errors"]


@pytest.mark.parametrize("role", ["credit_officer", "rights_officer", "admin"])
def test_staff_may_run_a_what_if(client, token_for, role):
    response = client.post(URL, json={"start_on": START, "plan": {}}, headers=token_for(role))
    assert response.status_code == 200
    assert response.json["aggregate"]["loans"] == 0
    assert response.json["next_cursor"] is None


def test_a_borrower_token_is_forbidden(client, token_for, make_loan):
    loan = make_loan()
    headers = token_for("borrower", borrower_id=loan["borrower_id"])
    response = client.post(URL, json={"loan_ids": [loan["id"]], "start_on": START, "plan": {}}, headers=headers)
    assert response.status_code == 403


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"plan": {"payment_cut_pct": "150"}}, "plan.payment_cut_pct"),
        ({"plan": {"deferral_months": 3}}, "plan.deferral_of"),
        ({"plan": {"new_rate_pct": "1.00001"}}, "plan.new_rate_pct"),
        ({"plan": {}, "recommended": True}, "plan"),
        ({}, "plan"),
        ({"plan": {}, "loan_ids": [1], "loans": []}, "loans"),
        ({"plan": {}, "loan_ids": [999999]}, "loan_ids"),
        ({"plan": {}, "start_on": "2300-01-01"}, "start_on"),
        ({"plan": {}, "incomes_by_loan": {"1": incomes()[:6]}}, "incomes_by_loan.1.value"),
    ],
)
def test_an_invalid_request_is_a_422_naming_the_field(client, officer, body, field):
    response = client.post(URL, json={"start_on": START} | body, headers=officer)
    assert response.status_code == 422, response.json
    assert response.json["code"] == "validation_error"
    assert field in response.json["errors"], response.json["errors"]


def test_an_impossible_inline_snapshot_is_a_422_naming_it(client, officer):
    loan = {k: v for k, v in loan_payload(1).items() if k != "borrower_id"} | {"remaining_term_months": 30}
    response = client.post(URL, json={"loans": [loan], "start_on": START, "plan": {}}, headers=officer)
    assert response.status_code == 422
    assert "loans.0.remaining_term_months" in response.json["errors"]


def test_a_page_cursor_must_be_a_number(client, officer):
    response = client.post(f"{URL}?cursor=abc", json={"start_on": START, "plan": {}}, headers=officer)
    assert response.status_code == 422
