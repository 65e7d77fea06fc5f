"""The rights officer's quarterly report, checked figure by figure against a hand-built quarter of applications.

Q4 2026 (1 Oct – 31 Dec), reported on 5 Jan 2027, so as_of is 31 Dec. Eleven applications, built through the API
at their real business dates (A10 was received in Q3 and decided in Q4):

| app | channel | reasons                | received | what happened                                         |
|-----|---------|------------------------|----------|-------------------------------------------------------|
| A1  | office  | income_loss            | 11-25    | accepted, concurred 11-25 (0 days)                    |
| A2  | post    | job_loss, illness      | 11-01    | accepted, concurred 11-25: due 11-16, 9 days late     |
| A3  | email   | illness                | 11-20    | counter-offer forgiving the penalties, accepted       |
| A4  | phone   | emergency              | 11-24    | counter-offer, declined 11-26 (ombudsman until 12-11) |
| A5  | office  | income_loss            | 11-25    | counter-offer unanswered: lapsed 12-26 (until 01-10)  |
| A6  | office  | other                  | 11-23    | refused 11-25 (ombudsman until 12-10)                 |
| A7  | cabinet | job_loss               | 11-25    | withdrawn                                             |
| A8  | office  | income_loss            | 11-20    | undecided: due 12-05, 26 days overdue on 12-31        |
| A9  | office  | death_in_family        | 11-25    | R-MANDATORY (single parent, income halved), accepted  |
| A10 | office  | income_loss            | 09-20    | Q3 intake; accepted 11-25: due 10-05, 51 days late    |
| A11 | office  | illness                | 11-01    | awaiting documents on 12-31: suspended, not overdue   |
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from api.clock import FixedClock
from api.runtime import runtime
from tests.conftest import TODAY, application_payload, incomes

URL = "/api/v1/reports/quarterly"
APPS = "/api/v1/applications"
REPORTED_ON = date(2027, 1, 5)
DEFERRAL = {"deferral_months": 3, "deferral_of": "principal"}
FORGIVING = {"extra_months": 6, "forgive": {"penalties": "all"}}


def at(app, day: date) -> None:
    runtime(app).clock = FixedClock(day)


@pytest.fixture
def rights(token_for):
    return token_for("rights_officer")


def _propose(client, officer, application_id, **body):
    response = client.post(f"{APPS}/{application_id}/decision", json=body, headers=officer)
    assert response.status_code == 200, response.json
    return response.json


def _concur(client, rights, application_id):
    response = client.post(f"{APPS}/{application_id}/approval", json={"verdict": "approve"}, headers=rights)
    assert response.status_code == 200, response.json
    return response.json


def _decide(client, officer, rights, application_id, **body):
    _propose(client, officer, application_id, **body)
    return _concur(client, rights, application_id)


@pytest.fixture
def quarter(app, client, officer, rights, token_for, make_loan, make_borrower, make_application, uow):
    """Build the table above; returns the applications by name (their final API bodies) and the loans."""
    from restructure.deadlines import sweep

    at(app, TODAY)
    a = {}
    a["A1"] = _decide(client, officer, rights, make_application(reasons=["income_loss"])["id"], outcome="accept")
    a["A2"] = _decide(
        client,
        officer,
        rights,
        make_application(channel="post", received_on="2026-11-01", reasons=["job_loss", "illness"])["id"],
        outcome="accept",
    )
    loan3 = make_loan()
    a3 = make_application(loan_id=loan3["id"], channel="email", received_on="2026-11-20", reasons=["illness"])
    _decide(client, officer, rights, a3["id"], outcome="counter_offer", plan=FORGIVING)
    borrower3 = token_for("borrower", loan3["borrower_id"])
    accepted = client.post(f"{APPS}/{a3['id']}/response", json={"answer": "accept"}, headers=borrower3)
    assert accepted.status_code == 200, accepted.json
    a["A3"] = accepted.json
    loan4 = make_loan()
    a4 = make_application(loan_id=loan4["id"], channel="phone", received_on="2026-11-24", reasons=["emergency"])
    _decide(client, officer, rights, a4["id"], outcome="counter_offer", plan={"extra_months": 6})
    at(app, date(2026, 11, 26))
    declined = client.post(
        f"{APPS}/{a4['id']}/response", json={"answer": "decline"}, headers=token_for("borrower", loan4["borrower_id"])
    )
    assert declined.json["status"] == "refused", declined.json
    a["A4"] = declined.json
    at(app, TODAY)
    a["A5"] = _decide(
        client,
        officer,
        rights,
        make_application(reasons=["income_loss"])["id"],
        outcome="counter_offer",
        plan={"extra_months": 6},
    )
    a["A6"] = _decide(
        client,
        officer,
        rights,
        make_application(received_on="2026-11-23", reasons=["other"])["id"],
        outcome="refuse",
        reasons=["no_hardship_shown"],
        comment="Ваш доход не снизился.",
    )
    loan7 = make_loan()
    borrower7 = token_for("borrower", loan7["borrower_id"])
    a7 = client.post(APPS, json=application_payload(loan7["id"], reasons=["job_loss"]), headers=borrower7).json
    a["A7"] = client.post(f"{APPS}/{a7['id']}/withdrawal", json={}, headers=borrower7).json
    a["A8"] = make_application(received_on="2026-11-20", reasons=["income_loss"])
    single_parent = make_borrower(vulnerable_categories=["single_parent_family"])
    a9 = make_application(
        loan_id=make_loan(borrower_id=single_parent["id"])["id"],
        reasons=["death_in_family"],
        requested=DEFERRAL,
        incomes=incomes(before="300000.00", recent="150000.00"),
    )
    assert a9["mandatory"] is True
    a["A9"] = _decide(client, officer, rights, a9["id"], outcome="accept")
    a10 = make_application(received_on="2026-09-20", reasons=["income_loss"], incomes=incomes(month=date(2026, 9, 20)))
    a["A10"] = _decide(client, officer, rights, a10["id"], outcome="accept")
    a11 = make_application(received_on="2026-11-01", reasons=["illness"])
    at(app, date(2026, 11, 10))  # SPEC §8: a document request after the due date (11-16) is refused
    requested = client.post(
        f"{APPS}/{a11['id']}/document-requests",
        json={"items": ["Справка из больницы"], "respond_by": "2026-12-10"},
        headers=officer,
    )
    a["A11"] = requested.json
    at(app, TODAY)
    report = sweep(uow, today=date(2026, 12, 26), now=runtime(app).clock.now())
    assert report.lapsed == [a["A5"]["id"]]
    at(app, REPORTED_ON)
    return {name: body["id"] for name, body in a.items()}, a


def ids(names, *wanted):
    return sorted(names[w] for w in wanted)


def get_report(client, headers, year=2026, q=4, accept="application/json"):
    return client.get(URL, query_string={"year": year, "quarter": q}, headers=headers | {"Accept": accept})


def assert_figure(figure, names, *wanted):
    assert figure == {"count": len(wanted), "ids": ids(names, *wanted)}


def test_the_quarter_is_counted_by_channel_reason_and_outcome(client, rights, quarter):
    names, _ = quarter
    body = get_report(client, rights).json
    assert body["period"] == {
        "year": 2026,
        "quarter": 4,
        "start": "2026-10-01",
        "end": "2026-12-31",
        "as_of": "2026-12-31",
        "complete": True,
    }
    assert body["generated_on"] == "2027-01-05"
    assert {"intake", "decided", "timely", "breaches", "relief", "refusals"} <= set(body["definitions"])
    intake = body["intake"]
    assert_figure(intake["total"], names, "A1", "A2", "A3", "A4", "A5", "A6", "A7", "A8", "A9", "A11")  # not A10
    channels = intake["by_channel"]
    assert_figure(channels["office"], names, "A1", "A5", "A6", "A8", "A9", "A11")
    assert_figure(channels["post"], names, "A2")
    assert_figure(channels["email"], names, "A3")
    assert_figure(channels["phone"], names, "A4")
    assert_figure(channels["cabinet"], names, "A7")
    reasons = intake["by_reason"]
    assert_figure(reasons["income_loss"], names, "A1", "A5", "A8")
    assert_figure(reasons["job_loss"], names, "A2", "A7")
    assert_figure(reasons["illness"], names, "A2", "A3", "A11")
    assert_figure(reasons["emergency"], names, "A4")
    assert_figure(reasons["other"], names, "A6")
    assert_figure(reasons["death_in_family"], names, "A9")
    assert_figure(reasons["disability"], names)
    assert_figure(reasons["military_service"], names)
    outcomes = intake["by_outcome"]
    assert_figure(outcomes["agreed"], names, "A1", "A2", "A9")
    assert_figure(outcomes["counter_offer_accepted"], names, "A3")
    assert_figure(outcomes["declined"], names, "A4")
    assert_figure(outcomes["lapsed"], names, "A5")
    assert_figure(outcomes["refused"], names, "A6")
    assert_figure(outcomes["withdrawn"], names, "A7")
    assert_figure(outcomes["open"], names, "A8", "A11")


def test_timeliness_median_and_breaches(client, rights, quarter):
    names, _ = quarter
    decisions = get_report(client, rights).json["decisions"]
    # decided in Q4: concurred between 10-01 and 12-31, whenever received (A10 came in Q3)
    assert_figure(decisions["decided"], names, "A1", "A2", "A3", "A4", "A5", "A6", "A9", "A10")
    assert_figure(decisions["late"], names, "A2", "A10")
    assert_figure(decisions["timely"], names, "A1", "A3", "A4", "A5", "A6", "A9")
    assert decisions["timely_share"] == "0.7500"  # 6 / 8
    # days received → concurred: A1 0, A5 0, A9 0, A4 1, A6 2, A3 5, A2 24, A10 66: median (1 + 2) / 2
    assert decisions["median_days_to_decision"] == "1.5"
    days = {item["application_id"]: item["days_to_decision"] for item in decisions["items"]}
    assert days == {
        names["A1"]: 0,
        names["A5"]: 0,
        names["A9"]: 0,
        names["A4"]: 1,
        names["A6"]: 2,
        names["A3"]: 5,
        names["A2"]: 24,
        names["A10"]: 66,
    }
    breaches = get_report(client, rights).json["breaches"]
    assert_figure(breaches["late_decisions"], names, "A2", "A10")
    assert_figure(breaches["overdue_undecided"], names, "A8")  # A11 awaits documents: its clock is stopped
    assert_figure(breaches["total"], names, "A2", "A8", "A10")
    assert {(b["application_id"], b["kind"], b["decision_due_on"], b["days_late"]) for b in breaches["items"]} == {
        (names["A2"], "late_decision", "2026-11-16", 9),
        (names["A10"], "late_decision", "2026-10-05", 51),
        (names["A8"], "overdue_undecided", "2026-12-05", 26),
    }


def test_mandatory_approvals_and_refusals_with_the_ombudsman_window(client, rights, quarter):
    names, _ = quarter
    body = get_report(client, rights).json
    assert_figure(body["mandatory"]["total"], names, "A9")
    assert_figure(body["mandatory"]["by_outcome"]["agreed"], names, "A9")
    assert all(f["count"] == 0 for k, f in body["mandatory"]["by_outcome"].items() if k != "agreed")
    refusals = body["refusals"]
    assert_figure(refusals["total"], names, "A4", "A5", "A6")
    assert_figure(refusals["by_kind"]["refused"], names, "A6")
    assert_figure(refusals["by_kind"]["declined"], names, "A4")
    assert_figure(refusals["by_kind"]["lapsed"], names, "A5")
    assert_figure(refusals["within_ombudsman_window"], names, "A5")  # until 01-09 (12-25 + 15); others ended in Dec
    windows = {i["application_id"]: (i["refused_on"], i["ombudsman_until"]) for i in refusals["items"]}
    assert windows == {
        names["A4"]: ("2026-11-26", "2026-12-11"),
        names["A5"]: ("2026-12-26", "2027-01-09"),
        names["A6"]: ("2026-11-25", "2026-12-10"),
    }


def test_relief_granted_to_the_tiyn(client, rights, officer, quarter):
    names, bodies = quarter
    relief = get_report(client, rights).json["relief"]
    agreed = ("A1", "A2", "A3", "A9")  # agreed in Q4 (A10 too: decided in Q4)
    assert_figure(relief["agreed"], names, *agreed, "A10")
    expected_total = Decimal("0.00")
    for name in (*agreed, "A10"):
        body = client.get(f"{APPS}/{names[name]}", headers=officer).json
        plan = body["decision"]["plan"]
        reduction = Decimal("35428.09") - Decimal(plan["metrics"]["max_regular_payment"])
        item = next(i for i in relief["items"] if i["application_id"] == names[name])
        assert item["scheduled_payment"] == "35428.09"
        assert item["payment_reduction"] == f"{reduction:.2f}"
        expected_total += reduction
    assert relief["payment_reduction_total"] == f"{expected_total:.2f}"
    # SPEC §8: the plans start on 11-25, 5 days after the snapshot (as_of 11-20): 470 000 × 36% × 5/360 = 2 350.00 of
    # interest joins the arrears bucket (+78.33 a line over 30, +97.91 over 24, +130.56 over 18).
    # 3 × (35428.09 − 24607.38) [12 extra months] + (35428.09 − 28475.20) [A3: 6 extra months, penalties forgiven]
    # + (35428.09 − 35220.31) [A9: 3-month principal deferral] = 3 × 10820.71 + 6952.89 + 207.78
    assert relief["payment_reduction_total"] == "39622.80"
    assert relief["payment_reduction_average"] == "7924.56"  # 39622.80 / 5
    average = (expected_total / 5).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert relief["payment_reduction_average"] == f"{average:.2f}"
    assert_figure(relief["forgiven"], names, "A3")
    assert relief["forgiven_total"] == "1500.00"  # A3's penalties, forgiven in full
    assert bodies["A3"]["decision"]["plan"]["totals"]["forgiven"] == "1500.00"


def test_figures_are_taken_at_the_end_of_the_quarter(client, rights, quarter):
    """Q3: A10 was received on 09-20 but registered and decided only in November: open on 09-30, not yet due."""
    names, _ = quarter
    body = get_report(client, rights, year=2026, q=3).json
    assert body["period"]["as_of"] == "2026-09-30"
    assert_figure(body["intake"]["total"], names, "A10")
    assert_figure(body["intake"]["by_outcome"]["open"], names, "A10")
    assert_figure(body["decisions"]["decided"], names)
    assert body["decisions"]["timely_share"] is None and body["decisions"]["median_days_to_decision"] is None
    assert_figure(body["breaches"]["total"], names)
    assert body["relief"]["payment_reduction_total"] == "0.00" and body["relief"]["payment_reduction_average"] is None


def test_a_running_quarter_is_reported_as_at_today(app, client, rights, quarter):
    names, _ = quarter
    at(app, date(2026, 12, 1))
    body = get_report(client, rights).json
    assert body["period"]["as_of"] == "2026-12-01" and body["period"]["complete"] is False
    # on 12-01 A5's counter-offer was still open, and A8 (due 12-05) was not yet overdue
    assert_figure(body["intake"]["by_outcome"]["open"], names, "A5", "A8", "A11")
    assert_figure(body["breaches"]["overdue_undecided"], names)
    assert_figure(body["refusals"]["within_ombudsman_window"], names, "A4", "A6")


def _csv_rows(text):
    rows = list(csv.DictReader(io.StringIO(text)))
    summary = {r["figure"]: r["value"] for r in rows if not r["application_id"]}
    detail = {}
    for r in rows:
        if r["application_id"]:
            detail.setdefault(r["figure"], []).append((int(r["application_id"]), r["value"]))
    return summary, detail


def _figures(node, path=""):
    if isinstance(node, dict) and set(node) == {"count", "ids"}:
        yield path, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _figures(value, f"{path}.{key}" if path else key)


def test_csv_parses_and_agrees_with_json(client, rights, quarter):
    names, _ = quarter
    data = get_report(client, rights).json
    response = get_report(client, rights, accept="text/csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "quarterly-2026-Q4.csv" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.splitlines()[0] == "figure,application_id,value"
    summary, detail = _csv_rows(text)
    figures = dict(_figures(data))
    assert len(figures) > 40
    for path, figure in figures.items():
        assert summary[path] == str(figure["count"]), path
        assert sorted(i for i, _ in detail.get(path, [])) == figure["ids"], path
    assert summary["decisions.timely_share"] == "0.7500"
    assert summary["decisions.median_days_to_decision"] == "1.5"
    assert summary["relief.payment_reduction_total"] == data["relief"]["payment_reduction_total"]
    assert summary["relief.forgiven_total"] == "1500.00"
    assert summary["period.as_of"] == "2026-12-31"
    assert summary["definitions.intake"] == data["definitions"]["intake"]
    reductions = dict(detail["relief.items.payment_reduction"])
    assert sum(Decimal(v) for v in reductions.values()) == Decimal(data["relief"]["payment_reduction_total"])
    assert dict(detail["refusals.items.ombudsman_until"])[names["A5"]] == "2027-01-09"
    assert dict(detail["breaches.items.days_late"])[names["A8"]] == "26"


def test_admin_may_read_the_report_and_json_is_the_default(client, token_for):
    response = client.get(URL, query_string={"year": 2026, "quarter": 4}, headers=token_for("admin"))
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.json["period"]["as_of"] == TODAY.isoformat()
    wildcard = client.get(
        URL, query_string={"year": 2026, "quarter": 4}, headers=token_for("admin") | {"Accept": "text/*"}
    )
    assert wildcard.mimetype == "text/csv"


@pytest.mark.parametrize("role", ["borrower", "credit_officer"])
def test_borrowers_and_credit_officers_may_not_read_it(client, token_for, make_loan, role):
    borrower_id = make_loan()["borrower_id"] if role == "borrower" else None
    response = get_report(client, token_for(role, borrower_id))
    assert response.status_code == 403
    assert response.mimetype == "application/problem+json"


def test_no_token_is_401(client):
    assert client.get(URL, query_string={"year": 2026, "quarter": 4}).status_code == 401


def test_an_unknown_accept_is_406_problem(client, rights):
    response = get_report(client, rights, accept="application/pdf")
    assert response.status_code == 406
    assert response.mimetype == "application/problem+json"
    assert response.json["code"] == "not_acceptable"
    assert "text/csv" in response.json["detail"]


@pytest.mark.parametrize(("year", "q"), [(2027, 1), (2026, 5), (2026, 0)])
def test_a_future_quarter_or_one_outside_1_to_4_is_422(client, rights, year, q):
    response = get_report(client, rights, year=year, q=q)
    assert response.status_code == 422, response.json
    assert response.mimetype == "application/problem+json"
    assert {"quarter", "query.quarter"} & set(response.json["errors"]), response.json  # service or schema


def test_missing_parameters_are_422(client, rights):
    response = client.get(URL, headers=rights)
    assert response.status_code == 422
    assert {"query.year", "query.quarter"} <= set(response.json["errors"])


@pytest.mark.parametrize("query", ["quarter=4&year=2026&extra=1", "quarter=4&year=2026&="])
def test_unknown_query_parameters_are_422(client, rights, query):
    response = client.get(f"{URL}?{query}", headers=rights)
    assert response.status_code == 422, response.json
