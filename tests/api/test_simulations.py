"""POST /api/v1/simulations: stateless what-if runs (API.md; SPEC §3-§5). The business date is 2026-11-25, so the
application month is 2026-11 and the incomes needed are 2025-11 .. 2026-10."""

import re
from decimal import Decimal

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.specs.openapi.checks import positive_data_acceptance
from sqlalchemy import func, select

from restructure.orm import Base
from tests.conftest import loan_payload

URL = "/api/v1/simulations"
MONTHS = ["2025-11", "2025-12"] + [f"2026-{m:02d}" for m in range(1, 11)]
MONEY = re.compile(r"^-?[0-9]+\.[0-9]{2}$")
MONEY_KEYS = {
    "payment",
    "principal",
    "interest",
    "arrears",
    "balance",
    "forgiven",
    "first_payment",
    "max_regular_payment",
    "npv",
    "concession",
    "avg2",
    "avg6",
    "avg12",
}
KAZAKH_LETTERS = set("әғқңөұүһі")


def incomes(amount="300000.00", last_two=None):
    """Twelve months of income; ``last_two`` replaces 2026-09 and 2026-10 (the two months before M)."""
    out = [{"month": m, "amount": amount} for m in MONTHS]
    if last_two is not None:
        for item in out[-2:]:
            item["amount"] = last_two
    return out


def inline_loan(**overrides):
    """``loan_payload`` without the stored-record fields: 450,000 KZT left of 600,000 at 36%, 35,000 overdue."""
    loan = loan_payload(1, **overrides)
    del loan["borrower_id"], loan["contract_number"]
    return loan


def plain_loan():
    """No arrears; 32,718.91 is the level payment on 450,000.00 at 3% a month over 18 months (schedules.annuity)."""
    return inline_loan(
        overdue_principal="0.00",
        overdue_interest="0.00",
        penalties="0.00",
        overdue_since=None,
        scheduled_payment="32718.91",
    )


def body(**overrides):
    return {"loan": inline_loan(), "start_on": "2026-11-25", "incomes": incomes()} | overrides


def money_values(node, path=""):
    """Every money figure in a response, skipping free-form ``figures`` and ``params``."""
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("figures", "params"):
                continue
            if key in MONEY_KEYS and value is not None and not isinstance(value, dict | list):
                yield f"{path}.{key}", value
            else:
                yield from money_values(value, f"{path}.{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from money_values(value, f"{path}.{index}")


def row_counts(uow):
    with uow() as work:
        return {t.name: work.session.scalar(select(func.count()).select_from(t)) for t in Base.metadata.sorted_tables}


def test_presets_are_offered_when_no_plans_are_given(client, officer):
    response = client.post(URL, json=body(), headers=officer)
    assert response.status_code == 200, response.json
    labels = [plan["params"]["label"] for plan in response.json["plans"]]
    assert labels == [
        "rate_cut",
        "term_extension",
        "payment_cut_50",
        "principal_deferral_3m",
        "full_deferral_3m",
        "method_change",
        "penalty_forgiveness",
    ]
    assert response.json["baseline"]["params"] == {}
    assert response.json["recommended"]["plan"]["params"]["label"] == "recommended"
    assert response.json["assessment"]["rule_set"]["id"] == "KZ-2025-09"


def test_an_empty_plan_list_gives_no_plans_but_the_baseline_and_recommendation(client, officer):
    response = client.post(URL, json=body(plans=[]), headers=officer)
    assert response.status_code == 200
    assert response.json["plans"] == []
    assert response.json["baseline"]["feasible"] is True


def test_baseline_of_a_plain_loan_reproduces_its_contractual_instalment(client, officer):
    # started on the previous due date, a plain loan's baseline is its contract: 18 × 32,718.91, the last absorbing
    # the rounding residue
    response = client.post(URL, json=body(loan=plain_loan(), start_on="2026-11-10"), headers=officer)
    assert response.status_code == 200, response.json
    baseline = response.json["baseline"]
    payments = [line["payment"] for line in baseline["schedule"]]
    assert len(payments) == 18
    assert set(payments[:-1]) == {"32718.91"}
    assert abs(Decimal(payments[-1]) - Decimal("32718.91")) < 1
    assert baseline["schedule"][0]["due_on"] == "2026-12-10"
    assert baseline["schedule"][-1]["balance"] == "0.00"
    assert baseline["totals"]["principal"] == "450000.00"
    assert baseline["feasible"] is True and baseline["violations"] == []
    assert baseline["metrics"]["payment_cut_pct"] == "0.00"
    # kdn = (32,718.91 + 0 other debts) / 300,000
    assert baseline["metrics"]["kdn"] == "0.1091"


def test_a_higher_rate_is_an_r_no_worse_violation_and_infeasible(client, officer):
    response = client.post(URL, json=body(plans=[{"new_rate_pct": "40.00", "label": "worse"}]), headers=officer)
    assert response.status_code == 200
    plan = response.json["plans"][0]
    assert plan["params"] == {"new_rate_pct": "40.00", "label": "worse"}
    assert plan["feasible"] is False
    assert "R-NO-WORSE" in {v["rule"] for v in plan["violations"]}


def test_a_longer_term_needs_consent_unless_it_is_the_request(client, officer):
    extension = {"extra_months": 6}
    response = client.post(URL, json=body(plans=[extension], requested=extension), headers=officer)
    assert response.json["plans"][0]["feasible"] is True
    assert response.json["plans"][0]["needs_consent"] is False
    # SPEC §8 "Simulations and consent" (changed: it was infeasible): a counter-offer obtains the consent
    response = client.post(URL, json=body(plans=[extension]), headers=officer)
    plan = response.json["plans"][0]
    assert plan["feasible"] is True and plan["needs_consent"] is True
    assert plan["violations"] == []


def test_plans_carry_kdn_and_dti_at_the_assessed_incomes(client, officer):
    response = client.post(URL, json=body(other_monthly_debt_payments="15000.00"), headers=officer)
    assert response.status_code == 200
    for plan in [response.json["baseline"], *response.json["plans"]]:
        metrics = plan["metrics"]
        if plan["schedule"]:
            expected = (Decimal(metrics["max_regular_payment"]) + 15000) / 300000
            assert Decimal(metrics["kdn"]) == expected.quantize(Decimal("0.0001"))
            assert metrics["dti_recent"] == metrics["kdn"]  # same income in every month


def test_missing_income_months_are_422_naming_them(client, officer):
    given_incomes = [
        {"month": m, "amount": "300000.00"} for m in ["2025-09", "2025-10", *MONTHS] if m not in ("2025-12", "2026-01")
    ]
    response = client.post(URL, json=body(incomes=given_incomes), headers=officer)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert response.json["errors"] == {"incomes": ["Missing months: 2025-12, 2026-01"]}


def test_fewer_than_twelve_incomes_are_422(client, officer):
    response = client.post(URL, json=body(incomes=incomes()[:11]), headers=officer)
    assert response.status_code == 422
    assert "incomes" in response.json["errors"]


def test_mandatory_case_applies_and_the_recommendation_honours_it(client, officer):
    # vulnerable (large family), income down from 300,000 to 100,000 (avg2 100,000 vs avg12 266,666.67: a 62.50%
    # drop), and a 3-month deferral requested: the MFO must agree (LMF Art. 9-2 p.3)
    requested = {"deferral_months": 3, "deferral_of": "principal"}
    payload = body(
        borrower={"vulnerable_categories": ["large_family"]},
        incomes=incomes(last_two="100000.00"),
        requested=requested,
        plans=[requested],
    )
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 200, response.json
    assessment = response.json["assessment"]
    assert assessment["income"]["drop_pct"] == "62.50"
    assert assessment["income"]["drop_test_passed"] is True
    assert assessment["mandatory"]["applies"] is True
    assert "request:deferral" in assessment["mandatory"]["grounds"]
    recommended = response.json["recommended"]
    assert recommended["steps"][0]["step"] == "mandatory"
    assert recommended["plan"]["params"]["deferral_months"] >= 3
    assert "R-MANDATORY" not in {v["rule"] for v in recommended["plan"]["violations"]}
    # the request itself is lawful relief the borrower asked for
    assert response.json["plans"][0]["feasible"] is True, response.json["plans"][0]["violations"]


def test_without_hardship_mandatory_approval_does_not_apply(client, officer):
    payload = body(
        borrower={"vulnerable_categories": ["large_family"]},
        requested={"deferral_months": 3, "deferral_of": "principal"},
    )
    response = client.post(URL, json=payload, headers=officer)
    assert response.json["assessment"]["mandatory"]["applies"] is False
    assert response.json["recommended"]["steps"][0]["step"] == "baseline"


def test_every_money_figure_has_exactly_two_decimals(client, officer):
    response = client.post(URL, json=body(discount_rate_pct="12.5"), headers=officer)
    assert response.status_code == 200
    found = list(money_values(response.json))
    assert len(found) > 100
    bad = [(path, value) for path, value in found if not isinstance(value, str) or not MONEY.match(value)]
    assert bad == []


def test_stored_loan_uses_its_borrower_and_is_open_to_both_officers(client, officer, token_for, make_loan):
    loan = make_loan()
    payload = {"loan_id": loan["id"], "start_on": "2026-11-25", "incomes": incomes()}
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 200, response.json
    kdn_rule = next(r for r in response.json["assessment"]["rules"] if r["rule"] == "R-KDN")
    # the stored borrower has 20,000 of other debts: (35,428.09 + 20,000) / 300,000
    assert kdn_rule["figures"]["other_debt_payments"] == "20000.00"
    assert response.json["assessment"]["kdn"] == "0.1848"
    assert client.post(URL, json=payload, headers=token_for("rights_officer")).status_code == 200
    # an override of the other debts wins over the stored figure
    response = client.post(URL, json=payload | {"other_monthly_debt_payments": 0}, headers=officer)
    assert response.json["assessment"]["kdn"] == "0.1181"


@pytest.mark.parametrize("role", ["borrower", "admin"])
def test_other_roles_are_403(client, token_for, make_loan, role):
    loan = make_loan()
    headers = token_for(role, borrower_id=loan["borrower_id"] if role == "borrower" else None)
    payload = {"loan_id": loan["id"], "start_on": "2026-11-25", "incomes": incomes()}
    response = client.post(URL, json=payload, headers=headers)
    assert response.status_code == 403
    assert response.json["code"] == "forbidden"


def test_no_token_is_401(client):
    assert client.post(URL, json=body()).status_code == 401


def test_unknown_loan_is_404_and_unknown_borrower_is_422(client, officer):
    response = client.post(
        URL, json={"loan_id": 424242, "start_on": "2026-11-25", "incomes": incomes()}, headers=officer
    )
    assert response.status_code == 404
    assert response.json["code"] == "not_found"
    response = client.post(URL, json=body(borrower_id=424242), headers=officer)
    assert response.status_code == 422
    assert "borrower_id" in response.json["errors"]


def test_stored_borrower_flags_are_read_for_an_inline_loan(client, officer, make_borrower):
    borrower = make_borrower(vulnerable_categories=["old_age_pensioner"], other_monthly_debt_payments="0.00")
    payload = body(
        borrower_id=borrower["id"], incomes=incomes(last_two="100000.00"), requested={"payment_cut_pct": "50"}
    )
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 200, response.json
    assert response.json["assessment"]["mandatory"]["applies"] is True
    assert "vulnerable:old_age_pensioner" in response.json["assessment"]["mandatory"]["grounds"]


def test_kazakh_texts_with_lang_kk(client, officer):
    payload = body(incomes=incomes(last_two="100000.00"), plans=[{"new_rate_pct": "40.00"}, {"extra_months": 6}])
    english = client.post(URL, json=payload, headers=officer).json
    response = client.post(f"{URL}?lang=kk", json=payload, headers=officer)
    assert response.status_code == 200
    kazakh = response.json
    drop_en = next(r["text"] for r in english["assessment"]["rules"] if r["rule"] == "R-INCOME-DROP")
    drop_kk = next(r["text"] for r in kazakh["assessment"]["rules"] if r["rule"] == "R-INCOME-DROP")
    assert drop_kk != drop_en
    assert KAZAKH_LETTERS & set(drop_kk.lower())
    assert KAZAKH_LETTERS & set(kazakh["recommended"]["summary"].lower())
    assert all(KAZAKH_LETTERS & set(step["text"].lower()) for step in kazakh["recommended"]["steps"])
    assert kazakh["plans"][1]["needs_consent"] is True  # SPEC §8: no longer a violation
    costlier = next(v for v in kazakh["plans"][0]["violations"] if v["rule"] == "R-GESV-CAP")
    assert KAZAKH_LETTERS & set(costlier["message"].lower())
    # figures do not depend on the language
    assert kazakh["plans"] == [
        plan | {"violations": kazakh["plans"][i]["violations"]} for i, plan in enumerate(english["plans"])
    ]


def test_russian_texts_with_lang_ru_and_unknown_language_is_422(client, officer):
    response = client.post(f"{URL}?lang=ru", json=body(), headers=officer)
    assert response.status_code == 200
    assert re.search("[а-яё]", response.json["recommended"]["summary"])
    response = client.post(f"{URL}?lang=de", json=body(), headers=officer)
    assert response.status_code == 422
    assert "lang" in " ".join(response.json["errors"])


def test_a_simulation_writes_nothing(client, officer, make_loan, uow):
    loan = make_loan()
    before = row_counts(uow)
    requested = {"deferral_months": 3, "deferral_of": "principal"}
    for payload in (
        {"loan_id": loan["id"], "start_on": "2026-11-25", "incomes": incomes(), "requested": requested},
        body(borrower={"vulnerable_categories": ["kandas"]}, incomes=incomes(last_two="1000.00"), requested=requested),
        body(incomes=incomes()[:11]),
    ):
        client.post(URL, json=payload, headers=officer)
    assert row_counts(uow) == before
    assert before["loans"] >= 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"loan": inline_loan(principal="1000.005")}, "loan.principal"),
        ({"loan": inline_loan(penalties=1500.5)}, "loan.penalties"),
        ({"loan": inline_loan(remaining_term_months=30)}, "loan.remaining_term_months"),
        ({"loan": inline_loan(as_of="2026-12-01", next_payment_on="2026-12-10")}, "loan.as_of"),
        ({"loan": inline_loan() | {"contract_number": "X-1"}}, "loan.contract_number"),
        ({"loan": inline_loan(next_payment_on="2040-01-10")}, "loan.next_payment_on"),
        ({"loan": inline_loan(principal="500000000.00", outstanding_principal="450000000.00")}, "loan"),
        ({"loan_id": 1}, "loan"),
        ({"borrower": {}, "borrower_id": 1}, "borrower"),
        ({"borrower": {"vulnerable_categories": ["pirate"]}}, "borrower.vulnerable_categories.0"),
        ({"received_on": "2026-11-26"}, "received_on"),
        ({"received_on": "2020-01-10"}, "received_on"),
        ({"start_on": "2026-01-01"}, "start_on"),
        ({"start_on": "2028-01-01"}, "start_on"),
        ({"plans": [{"deferral_months": 3}]}, "plans.0.deferral_of"),
        ({"plans": [{}] * 21}, "plans"),
        ({"requested": {"new_rate_pct": "36.00001"}}, "requested.new_rate_pct"),
        ({"discount_rate_pct": "201"}, "discount_rate_pct"),
        ({"incomes": [*incomes(), {"month": "2026-10", "amount": "1.00"}]}, "incomes.12.month"),
        ({"incomes": [*incomes()[:-1], {"month": "2026-10", "amount": "1.001"}]}, "incomes.11.amount"),
    ],
)
def test_impossible_requests_are_422_naming_the_field(client, officer, overrides, field):
    response = client.post(URL, json=body(**overrides), headers=officer)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert field in response.json["errors"], response.json


def test_money_with_three_decimals_in_an_inline_loan_is_never_rounded(client, officer):
    response = client.post(URL, json=body(loan=inline_loan(principal="1000.005")), headers=officer)
    assert response.status_code == 422
    assert "two decimals" in response.json["errors"]["loan.principal"][0]


def test_received_on_sets_the_application_month_and_rule_set(client, officer):
    # received in March 2025: months 2024-03 .. 2025-02 are needed, and the set in force was KZ-2024-04
    months = [f"2024-{m:02d}" for m in range(3, 13)] + ["2025-01", "2025-02"]
    payload = body(
        loan=inline_loan(
            issued_on="2024-05-10", as_of="2025-03-01", next_payment_on="2025-03-10", overdue_since="2025-02-10"
        ),
        received_on="2025-03-05",
        start_on="2025-03-05",
        incomes=[{"month": m, "amount": "300000.00"} for m in months],
    )
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 200, response.json
    assert response.json["assessment"]["rule_set"]["id"] == "KZ-2024-04"


def test_simulation_operation_honours_its_contract_for_an_officer(app, token_for):
    """Schemathesis on POST /simulations with a role that may call it (the shared fuzz test runs as admin, who
    gets 403 here)."""
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    headers = token_for("credit_officer")
    operation = next(
        result.ok() for result in schema.get_all_operations() if result.ok().label == "POST /api/v1/simulations"
    )
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def check(case):
            case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

        check()


def _tenge(tiyn):
    return f"{tiyn // 100}.{tiyn % 100:02d}"


_amount = st.integers(min_value=0, max_value=2 * 10**10).map(_tenge)
_plan = st.fixed_dictionaries(
    {},
    optional={
        "new_rate_pct": st.sampled_from(["0", "5.5", "36.00", "99.9999"]),
        "extra_months": st.integers(1, 600),
        "payment_cut_pct": st.sampled_from(["1", "50", "99.99", 75]),
        "method": st.sampled_from(["annuity", "differentiated", "principal_first"]),
        "payment_day": st.integers(1, 31),
        "forgive": st.fixed_dictionaries(
            {},
            optional={
                name: st.one_of(_amount, st.just("all"))
                for name in ("overdue_principal", "overdue_interest", "penalties")
            },
        ),
        "settlement_value": _amount,
    },
)
_deferral = st.fixed_dictionaries(
    {"deferral_months": st.integers(1, 60), "deferral_of": st.sampled_from(["principal", "principal_and_interest"])}
)
_any_plan = st.one_of(_plan, _deferral, st.builds(lambda a, b: a | b, _plan, _deferral))


@st.composite
def _requests(draw):
    outstanding, overdue = draw(st.integers(0, 10**10)), draw(st.integers(0, 10**8))
    interest, penalties = draw(st.integers(0, 10**8)), draw(st.integers(0, 10**7))
    term = draw(st.integers(1, 600))
    secured = draw(st.sampled_from(["none", "mortgage"]))
    loan = inline_loan(
        principal=_tenge(outstanding + overdue + 1),
        outstanding_principal=_tenge(outstanding),
        overdue_principal=_tenge(overdue),
        overdue_interest=_tenge(interest),
        penalties=_tenge(penalties),
        annual_rate_pct=draw(st.sampled_from(["0", "0.0001", "36.00", "100"])),
        term_months=term,
        remaining_term_months=draw(st.integers(0, term)),
        method=draw(st.sampled_from(["annuity", "differentiated", "principal_first"])),
        day_count=draw(st.sampled_from(["30E/360", "actual/365"])),
        payment_day=draw(st.integers(1, 31)),
        scheduled_payment=_tenge(draw(st.integers(1, 10**9))),
        secured_by=secured,
        collateral_value=None if secured == "none" else "1000000.00",
        overdue_since="2026-10-10" if overdue or interest or penalties else None,
    )
    request = {
        "loan": loan,
        "start_on": draw(st.sampled_from(["2026-05-10", "2026-11-10", "2026-11-25", "2027-11-25"])),
        "incomes": incomes(
            draw(st.sampled_from(["0.00", "1.00", "300000.00", "999999999999.99"])),
            draw(st.sampled_from([None, "0.00", "100000.00"])),
        ),
        "borrower": {
            "vulnerable_categories": draw(st.sampled_from([[], ["kandas"]])),
            "emergency_affected": draw(st.booleans()),
        },
    }
    if draw(st.booleans()):
        request["plans"] = draw(st.lists(_any_plan, max_size=3))
    if draw(st.booleans()):
        request["requested"] = draw(_any_plan)
    return request


def test_any_possible_loan_and_plans_give_a_simulation_never_an_error(client, officer):
    """Extreme but possible inputs (200M KZT, 600 months, 0% and 100% rates, forgiveness beyond the buckets,
    settlements, deferrals with cuts) answer 200, with every money figure exact to the tiyn."""

    @given(request=_requests(), lang=st.sampled_from(["en", "kk", "ru"]))
    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def check(request, lang):
        response = client.post(f"{URL}?lang={lang}", json=request, headers=officer)
        assert response.status_code == 200, (response.json, request)
        assert all(MONEY.match(value) for _, value in money_values(response.json))

    check()
