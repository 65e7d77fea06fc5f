"""The application workflow through the API: every transition, every forbidden one, the clocks and the trail."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from api.clock import FixedClock
from api.runtime import runtime
from restructure.orm import Application, ApplicationEvent
from tests.conftest import TODAY, application_payload, incomes

URL = "/api/v1/applications"
DEFERRAL = {"deferral_months": 3, "deferral_of": "principal"}


def at(app, day: date) -> None:
    """Move the service's business date."""
    runtime(app).clock = FixedClock(day)


@pytest.fixture
def rights(token_for):
    return token_for("rights_officer")


@pytest.fixture
def borrower_loan(make_loan, token_for):
    """A loan and a token for its borrower."""
    loan = make_loan()
    return loan, token_for("borrower", loan["borrower_id"])


def event_kinds(client, application_id, headers):
    return [e["kind"] for e in client.get(f"{URL}/{application_id}/events", headers=headers).json["items"]]


def propose(client, officer, application_id, **body):
    return client.post(f"{URL}/{application_id}/decision", json=body, headers=officer)


def approve(client, rights, application_id, verdict="approve", comment=""):
    return client.post(
        f"{URL}/{application_id}/approval", json={"verdict": verdict, "comment": comment}, headers=rights
    )


def counter_offered(client, officer, rights, make_application, **overrides):
    application = make_application(**overrides)
    assert (
        propose(client, officer, application["id"], outcome="counter_offer", plan={"extra_months": 6}).status_code
        == 200
    )
    response = approve(client, rights, application["id"])
    assert response.status_code == 200, response.json
    return response.json


# --- receipt ---------------------------------------------------------------------------------------------------------


def test_borrower_submits_through_the_cabinet_and_the_decision_is_due_in_fifteen_days(client, borrower_loan):
    loan, me = borrower_loan
    response = client.post(URL, json=application_payload(loan["id"]), headers=me)
    assert response.status_code == 201, response.json
    body = response.json
    assert body["status"] == "received"
    assert body["channel"] == "cabinet"
    assert body["received_on"] == TODAY.isoformat()
    assert body["decision_due_on"] == (TODAY + timedelta(days=15)).isoformat()
    assert body["days_left"] == 15 and body["overdue"] is False and body["suspended"] is False
    assert body["early_repayment_demand_allowed"] is False
    assert body["assessment"]["income"]["avg12"] == "300000.00"
    assert body["requested_plan"]["params"] == {"extra_months": 12}
    assert event_kinds(client, body["id"], me) == ["received"]


def test_the_loan_may_not_be_accelerated_while_an_application_is_open(client, officer, borrower_loan):
    loan, me = borrower_loan
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    assert client.get(f"/api/v1/loans/{loan['id']}", headers=officer).json["early_repayment_demand_allowed"] is False
    client.post(f"{URL}/{application['id']}/withdrawal", json={}, headers=me)
    assert client.get(f"/api/v1/loans/{loan['id']}", headers=officer).json["early_repayment_demand_allowed"] is True


def test_a_borrower_cannot_apply_on_anothers_loan(client, make_loan, token_for, borrower_loan):
    _, me = borrower_loan
    other = make_loan()
    assert client.post(URL, json=application_payload(other["id"]), headers=me).status_code == 404


def test_a_borrower_cannot_backdate_or_pick_an_office_channel(client, borrower_loan):
    loan, me = borrower_loan
    response = client.post(
        URL, json=application_payload(loan["id"], channel="office", received_on="2026-11-01"), headers=me
    )
    assert response.status_code == 422
    assert {"channel", "received_on"} <= set(response.json["errors"])


def test_officer_registers_a_paper_application_with_its_real_receipt_date(make_application):
    body = make_application(channel="post", received_on="2026-11-20")
    assert body["received_on"] == "2026-11-20"
    assert body["decision_due_on"] == "2026-12-05"
    assert body["days_left"] == 10


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"received_on": "2026-11-26"}, "received_on"),
        ({"channel": None}, "channel"),
        ({"channel": "cabinet"}, "channel"),
        ({"reasons": []}, "reasons"),
        ({"reasons": ["bad_luck"]}, "reasons.0"),
        ({"requested": {"new_rate_pct": "1.00001"}}, "requested.new_rate_pct"),
        ({"requested": {"deferral_months": 3}}, "requested.deferral_of"),
        ({"incomes": incomes()[:11]}, "incomes"),
        ({"incomes": [*incomes()[:11], {"month": "2026-13", "amount": "1.00"}]}, "incomes.11.month"),
    ],
)
def test_invalid_application_is_422_naming_the_field_and_stores_nothing(
    client, officer, make_loan, uow, overrides, field
):
    loan = make_loan()
    payload = application_payload(loan["id"], channel="office", received_on=TODAY.isoformat()) | overrides
    payload = {k: v for k, v in payload.items() if v is not None}
    with uow() as work:
        before = work.session.scalar(select(func.count(Application.id)))
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 422, response.json
    assert field in response.json["errors"], response.json
    with uow() as work:
        assert work.session.scalar(select(func.count(Application.id))) == before


def test_missing_income_months_are_named(client, officer, make_loan):
    loan = make_loan()
    months = incomes()
    gappy = [m for m in months if m["month"] not in ("2026-01", "2026-09")] + [
        {"month": "2025-09", "amount": "1.00"},
        {"month": "2025-10", "amount": "1.00"},
    ]
    response = client.post(
        URL,
        json=application_payload(loan["id"], channel="office", received_on="2026-11-25", incomes=gappy),
        headers=officer,
    )
    assert response.status_code == 422
    assert "2026-01" in response.json["errors"]["incomes"][0] and "2026-09" in response.json["errors"]["incomes"][0]


def test_a_second_open_application_on_a_loan_is_409_naming_the_open_one(client, officer, make_application):
    first = make_application()
    payload = application_payload(first["loan_id"], channel="office", received_on="2026-11-25")
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 409
    assert response.json["application_id"] == first["id"]
    assert str(first["id"]) in response.json["detail"]


def test_a_new_application_is_possible_once_the_previous_one_is_final(client, officer, borrower_loan):
    loan, me = borrower_loan
    first = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    client.post(f"{URL}/{first['id']}/withdrawal", json={"reason": "resolved"}, headers=me)
    assert client.post(URL, json=application_payload(loan["id"]), headers=me).status_code == 201


# --- documents and the suspended clock ------------------------------------------------------------------------------


def test_a_document_request_suspends_the_clock_and_documents_restart_it(client, app, officer, make_application):
    application = make_application(received_on="2026-11-20")
    requested = client.post(
        f"{URL}/{application['id']}/document-requests",
        json={"items": ["Справка с места работы"], "respond_by": "2026-12-05"},
        headers=officer,
    )
    assert requested.status_code == 200
    assert requested.json["status"] == "awaiting_documents"
    assert requested.json["suspended"] is True and requested.json["days_left"] is None
    at(app, date(2026, 12, 20))  # long after the original due date: still not overdue while suspended
    assert client.get(f"{URL}/{application['id']}", headers=officer).json["overdue"] is False
    received = client.post(
        f"{URL}/{application['id']}/documents",
        json={"items": ["Справка"], "received_on": "2026-12-01"},
        headers=officer,
    )
    assert received.status_code == 200
    assert received.json["status"] == "under_review"
    assert received.json["decision_due_on"] == "2026-12-16"  # E + 15
    assert received.json["overdue"] is True and received.json["days_left"] == -4


def test_documents_cannot_predate_the_request(client, officer, make_application):
    application = make_application()
    client.post(
        f"{URL}/{application['id']}/document-requests",
        json={"items": ["x"], "respond_by": "2026-12-05"},
        headers=officer,
    )
    response = client.post(
        f"{URL}/{application['id']}/documents", json={"items": ["x"], "received_on": "2026-11-24"}, headers=officer
    )
    assert response.status_code == 422
    assert "received_on" in response.json["errors"]


def test_borrower_uploads_requested_documents_today(client, officer, borrower_loan):
    loan, me = borrower_loan
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    client.post(
        f"{URL}/{application['id']}/document-requests",
        json={"items": ["x"], "respond_by": "2026-12-05"},
        headers=officer,
    )
    response = client.post(f"{URL}/{application['id']}/documents", json={"items": ["scan.pdf"]}, headers=me)
    assert response.status_code == 200
    assert response.json["decision_due_on"] == "2026-12-10"


# --- clocks at the day before, on and after each deadline ----------------------------------------------------------


@pytest.mark.parametrize(
    ("received_on", "days_left", "overdue"),
    [
        ("2026-11-11", 1, False),  # due 11-26: the day before
        ("2026-11-10", 0, False),  # due 11-25: on the day
        ("2026-11-09", -1, True),  # due 11-24: the day after
    ],
)
def test_decision_clock_around_its_due_date(make_application, received_on, days_left, overdue):
    body = make_application(received_on=received_on)
    assert (body["days_left"], body["overdue"]) == (days_left, overdue)


@pytest.mark.parametrize(
    ("today", "lapses"),
    [
        (date(2026, 12, 24), False),
        (date(2026, 12, 25), False),
        (date(2026, 12, 26), True),
    ],
)
def test_counter_offer_lapses_only_after_its_response_date(
    client, app, officer, rights, make_application, uow, today, lapses
):
    from restructure.deadlines import sweep

    application = counter_offered(client, officer, rights, make_application)
    assert application["response_due_on"] == "2026-12-25"  # concurred on 11-25, + 30
    report = sweep(uow, today=today, now=runtime(app).clock.now())
    assert (application["id"] in report.lapsed) is lapses
    state = client.get(f"{URL}/{application['id']}", headers=officer).json
    if lapses:
        assert state["status"] == "lapsed"
        assert state["closed_on"] == "2026-12-26"
        assert state["ombudsman_until"] == "2027-01-09"  # SPEC §8: after a lapse, response_due_on + 15
    else:
        assert state["status"] == "awaiting_borrower"


def test_borrower_answers_on_the_last_day_but_not_after(client, app, officer, rights, make_loan, token_for):
    loan = make_loan()
    me = token_for("borrower", loan["borrower_id"])
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    propose(client, officer, application["id"], outcome="counter_offer", plan={"extra_months": 6})
    approve(client, rights, application["id"])
    at(app, date(2026, 12, 26))
    late = client.post(f"{URL}/{application['id']}/response", json={"answer": "accept"}, headers=me)
    assert late.status_code == 409
    assert "2026-12-25" in late.json["detail"]
    at(app, date(2026, 12, 25))
    # SPEC §8: the plan is rebuilt on the day of acceptance, so the snapshot must not be past its 12-10 due date
    fresh = {"as_of": "2026-12-20", "outstanding_principal": "450000.00", "overdue_principal": "40000.00",
             "overdue_interest": "30000.00", "penalties": "3000.00", "overdue_since": "2026-10-10",
             "remaining_term_months": 17, "scheduled_payment": "35428.09", "next_payment_on": "2027-01-10"}
    assert client.put(f"/api/v1/loans/{loan['id']}/snapshot", json=fresh, headers=officer).status_code == 200
    assert (
        client.post(f"{URL}/{application['id']}/response", json={"answer": "accept"}, headers=me).json["status"]
        == "agreed"
    )


def test_officer_extends_the_response_period_by_agreement(client, app, officer, rights, make_application):
    application = counter_offered(client, officer, rights, make_application)
    too_early = client.post(
        f"{URL}/{application['id']}/extension", json={"response_due_on": "2026-12-20"}, headers=officer
    )
    assert too_early.status_code == 422
    extended = client.post(
        f"{URL}/{application['id']}/extension", json={"response_due_on": "2027-01-15"}, headers=officer
    )
    assert extended.status_code == 200
    assert extended.json["response_due_on"] == "2027-01-15"
    assert "response_period_extended" in event_kinds(client, application["id"], officer)


# --- dual control ---------------------------------------------------------------------------------------------------


def test_officer_proposes_and_rights_officer_concurs_on_time(client, officer, rights, make_application):
    application = make_application()
    proposed = propose(client, officer, application["id"], outcome="accept")
    assert proposed.status_code == 200, proposed.json
    assert proposed.json["status"] == "decision_proposed"
    assert proposed.json["decision"]["plan"]["params"] == {"extra_months": 12}
    agreed = approve(client, rights, application["id"])
    assert agreed.status_code == 200
    decision = agreed.json["decision"]
    assert agreed.json["status"] == "agreed"
    assert decision["approved_on"] == decision["proposed_on"] == "2026-11-25"
    assert decision["timely"] is True
    assert agreed.json["early_repayment_demand_allowed"] is True
    assert event_kinds(client, application["id"], officer) == ["received", "decision_proposed", "decision_approved"]


def test_a_late_concurrence_is_recorded_as_late_not_blocked(client, app, officer, rights, make_application):
    application = make_application(received_on="2026-11-01")  # due 11-16
    propose(client, officer, application["id"], outcome="accept")
    response = approve(client, rights, application["id"])
    assert response.status_code == 200
    assert response.json["decision"]["timely"] is False


def test_refusal_needs_reasons_and_words_a_borrower_understands(client, officer, make_application):
    application = make_application()
    response = propose(client, officer, application["id"], outcome="refuse")
    assert response.status_code == 422
    assert {"reasons", "comment"} <= set(response.json["errors"])


def test_refusal_takes_effect_with_the_ombudsman_window(client, officer, rights, make_application):
    application = make_application()
    propose(
        client,
        officer,
        application["id"],
        outcome="refuse",
        reasons=["no_hardship_shown"],
        comment="Ваш доход не снизился.",
    )
    refused = approve(client, rights, application["id"])
    assert refused.json["status"] == "refused"
    assert refused.json["ombudsman_until"] == "2026-12-10"


def test_refusing_a_mandatory_application_is_impossible(client, officer, make_borrower, make_loan, make_application):
    borrower = make_borrower(vulnerable_categories=["single_parent_family"])
    loan = make_loan(borrower_id=borrower["id"])
    application = make_application(
        loan_id=loan["id"], requested=DEFERRAL, incomes=incomes(before="300000.00", recent="150000.00")
    )
    assert application["mandatory"] is True
    response = propose(client, officer, application["id"], outcome="refuse", reasons=["other"], comment="Нет.")
    assert response.status_code == 422
    assert response.json["code"] == "rule_violation"
    assert response.json["rule"] == "R-MANDATORY"
    assert client.get(f"{URL}/{application['id']}", headers=officer).json["status"] == "received"


def test_a_counter_offer_needs_a_feasible_plan(client, officer, make_application):
    application = make_application()
    missing = propose(client, officer, application["id"], outcome="counter_offer")
    assert missing.status_code == 422 and "plan" in missing.json["errors"]
    worse = propose(client, officer, application["id"], outcome="counter_offer", plan={"new_rate_pct": "40.00"})
    assert worse.status_code == 422
    assert worse.json["rule"] == "R-NO-WORSE"


def test_accept_means_the_requested_plan(client, officer, make_application):
    application = make_application()
    response = propose(client, officer, application["id"], outcome="accept", plan={"extra_months": 24})
    assert response.status_code == 422
    assert "plan" in response.json["errors"]


def test_rights_officer_returns_a_decision_with_a_comment(client, officer, rights, make_application):
    application = make_application()
    propose(client, officer, application["id"], outcome="accept")
    assert approve(client, rights, application["id"], verdict="return").status_code == 422
    returned = approve(client, rights, application["id"], verdict="return", comment="Проверьте доходы.")
    assert returned.json["status"] == "under_review"
    assert returned.json["decision"] is None
    events = client.get(f"{URL}/{application['id']}/events", headers=officer).json["items"]
    assert events[-1]["kind"] == "decision_returned"
    assert events[-1]["payload"]["returned"]["decision"]["outcome"] == "accept"


def test_only_the_roles_in_the_contract_may_decide_and_concur(client, officer, rights, token_for, make_application):
    application = make_application()
    assert propose(client, rights, application["id"], outcome="accept").status_code == 403
    assert propose(client, token_for("admin"), application["id"], outcome="accept").status_code == 403
    propose(client, officer, application["id"], outcome="accept")
    assert approve(client, officer, application["id"]).status_code == 403


def test_the_proposer_can_never_concur(app, make_application, client, officer, uow):
    from restructure.access import Actor
    from restructure.applications import concur
    from restructure.errors import Forbidden

    application = make_application()
    proposed = propose(client, officer, application["id"], outcome="accept").json
    same_person = Actor(user_id=proposed["decision"]["proposed_by"], role="rights_officer")
    with pytest.raises(Forbidden):
        concur(
            uow(),
            same_person,
            application["id"],
            verdict="approve",
            comment="",
            today=TODAY,
            now=runtime(app).clock.now(),
        )


# --- the borrower's side --------------------------------------------------------------------------------------------


def test_borrower_accepts_a_counter_offer(client, officer, rights, borrower_loan):
    loan, me = borrower_loan
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    propose(client, officer, application["id"], outcome="counter_offer", plan={"extra_months": 6})
    offered = approve(client, rights, application["id"]).json
    assert offered["status"] == "awaiting_borrower"
    assert offered["response_due_on"] == "2026-12-25"
    assert offered["early_repayment_demand_allowed"] is False
    accepted = client.post(f"{URL}/{application['id']}/response", json={"answer": "accept"}, headers=me)
    assert accepted.json["status"] == "agreed"


def test_borrower_declines_a_counter_offer_and_may_go_to_the_ombudsman(client, officer, rights, borrower_loan):
    loan, me = borrower_loan
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    propose(client, officer, application["id"], outcome="counter_offer", plan={"extra_months": 6})
    approve(client, rights, application["id"])
    declined = client.post(f"{URL}/{application['id']}/response", json={"answer": "decline"}, headers=me)
    assert declined.json["status"] == "refused"
    assert declined.json["ombudsman_until"] == "2026-12-10"


def test_a_borrower_sees_only_their_own_applications(client, make_application, token_for, borrower_loan):
    other = make_application()
    _, me = borrower_loan
    assert client.get(f"{URL}/{other['id']}", headers=me).status_code == 404
    assert client.get(f"{URL}/{other['id']}/events", headers=me).status_code == 404
    assert client.post(f"{URL}/{other['id']}/withdrawal", json={}, headers=me).status_code == 404
    assert client.get(URL, headers=me).status_code == 403


@pytest.mark.parametrize(
    ("action", "body", "role"),
    [
        ("approval", {"verdict": "approve"}, "rights_officer"),
        ("response", {"answer": "accept"}, "borrower"),
        ("extension", {"response_due_on": "2027-01-30"}, "credit_officer"),
        ("documents", {"items": ["x"], "received_on": "2026-11-25"}, "credit_officer"),
    ],
)
def test_a_transition_not_allowed_now_is_409_naming_the_state(client, token_for, borrower_loan, action, body, role):
    loan, me = borrower_loan
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    headers = me if role == "borrower" else token_for(role)
    response = client.post(f"{URL}/{application['id']}/{action}", json=body, headers=headers)
    assert response.status_code == 409
    assert response.json["state"] == "received"
    assert "'received'" in response.json["detail"]


def test_nothing_happens_to_a_final_application(client, officer, rights, borrower_loan):
    loan, me = borrower_loan
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    client.post(f"{URL}/{application['id']}/withdrawal", json={"reason": "paid"}, headers=me)
    for action, body, headers in [
        ("withdrawal", {}, me),
        ("decision", {"outcome": "accept"}, officer),
        ("document-requests", {"items": ["x"], "respond_by": "2026-12-01"}, officer),
    ]:
        response = client.post(f"{URL}/{application['id']}/{action}", json=body, headers=headers)
        assert response.status_code == 409, action
        assert response.json["state"] == "withdrawn"


def test_a_failed_transition_leaves_no_event_and_no_change(client, officer, make_application, uow):
    application = make_application()
    with uow() as work:
        events_before = work.session.scalar(select(func.count(ApplicationEvent.id)))
        version_before = work.session.get(Application, application["id"]).version
    assert (
        propose(client, officer, application["id"], outcome="counter_offer", plan={"new_rate_pct": "99.00"}).status_code
        == 422
    )
    assert (
        client.post(f"{URL}/{application['id']}/approval", json={"verdict": "approve"}, headers=officer).status_code
        == 403
    )
    with uow() as work:
        assert work.session.scalar(select(func.count(ApplicationEvent.id))) == events_before
        stored = work.session.get(Application, application["id"])
        assert (stored.version, stored.status, stored.decision) == (version_before, "received", None)


def test_refusal_for_missing_documents_after_the_answer_date(client, app, officer, rights, make_application):
    application = make_application()
    client.post(
        f"{URL}/{application['id']}/document-requests",
        json={"items": ["x"], "respond_by": "2026-12-01"},
        headers=officer,
    )
    refusal = {"outcome": "refuse", "reasons": ["documents_not_provided"], "comment": "Документы не поступили."}
    assert propose(client, officer, application["id"], **refusal).status_code == 409
    at(app, date(2026, 12, 2))
    assert propose(client, officer, application["id"], **refusal).status_code == 200


# --- the trail ------------------------------------------------------------------------------------------------------


def test_events_record_actor_role_time_and_states_in_order(client, officer, rights, make_application):
    application = make_application()
    propose(client, officer, application["id"], outcome="accept")
    approve(client, rights, application["id"], comment="Согласовано.")
    events = client.get(f"{URL}/{application['id']}/events", headers=rights).json["items"]
    assert [e["seq"] for e in events] == [1, 2, 3]
    assert [(e["from_status"], e["to_status"]) for e in events] == [
        (None, "received"),
        ("received", "decision_proposed"),
        ("decision_proposed", "agreed"),
    ]
    assert [e["actor_role"] for e in events] == ["credit_officer", "credit_officer", "rights_officer"]
    assert events[-1]["payload"]["comment"] == "Согласовано."
    assert all(e["business_date"] == "2026-11-25" and e["occurred_at"] for e in events)


# --- the queue ------------------------------------------------------------------------------------------------------


def test_queue_is_sorted_by_due_date_and_filters(client, rights, make_application):
    late = make_application(received_on="2026-11-01")
    soon = make_application(received_on="2026-11-15")
    fresh = make_application(received_on="2026-11-25")
    ids = [a["id"] for a in client.get(URL, headers=rights).json["items"]]
    assert [i for i in ids if i in (late["id"], soon["id"], fresh["id"])] == [late["id"], soon["id"], fresh["id"]]
    overdue = [a["id"] for a in client.get(f"{URL}?overdue=true", headers=rights).json["items"]]
    assert late["id"] in overdue and soon["id"] not in overdue
    due_before = [a["id"] for a in client.get(f"{URL}?due_before=2026-12-01", headers=rights).json["items"]]
    assert soon["id"] in due_before and fresh["id"] not in due_before
    by_status = client.get(f"{URL}?status=agreed", headers=rights).json["items"]
    assert all(a["status"] == "agreed" for a in by_status)


def test_queue_pages_cover_every_application_once(client, rights, make_application):
    created = {make_application(received_on=f"2026-11-{day:02d}")["id"] for day in (3, 3, 9, 14, 20)}
    seen, cursor = [], None
    while True:
        query = "?limit=2" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(URL + query, headers=rights).json
        seen += [a["id"] for a in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert len(seen) == len(set(seen))
    assert created <= set(seen)


def test_a_forged_cursor_is_422(client, rights):
    response = client.get(f"{URL}?cursor=bm9wZQ", headers=rights)
    assert response.status_code == 422
    assert "cursor" in response.json["errors"]


# --- the sweeper ----------------------------------------------------------------------------------------------------


def test_sweeper_records_a_breach_once_and_leaves_timely_applications_alone(
    client, app, officer, make_application, uow
):
    from restructure.deadlines import sweep

    late = make_application(received_on="2026-11-01")  # due 11-16
    on_time = make_application(received_on="2026-11-20")
    suspended = make_application(received_on="2026-11-02")
    at(app, date(2026, 11, 10))  # SPEC §8: a request after the due date (11-17) could not restart the clock
    client.post(
        f"{URL}/{suspended['id']}/document-requests", json={"items": ["x"], "respond_by": "2026-12-01"}, headers=officer
    )
    at(app, TODAY)
    report = sweep(uow, today=TODAY, now=runtime(app).clock.now())
    assert late["id"] in report.breaches
    assert on_time["id"] not in report.breaches and suspended["id"] not in report.breaches
    assert client.get(f"{URL}/{late['id']}", headers=officer).json["breach_recorded_on"] == "2026-11-25"
    breach = client.get(f"{URL}/{late['id']}/events", headers=officer).json["items"][-1]
    assert (breach["kind"], breach["actor_role"], breach["payload"]["days_late"]) == ("deadline_breached", "system", 9)
    assert sweep(uow, today=TODAY, now=runtime(app).clock.now()).breaches == []


def test_unknown_query_parameter_is_422(client, token_for):
    response = client.get("/api/v1/applications?statuss=received", headers=token_for("rights_officer"))
    assert response.status_code == 422
    assert "query.statuss" in response.json["errors"]


def test_a_counter_offer_with_a_lower_rate_is_stored_and_shown_exactly(client, officer, make_application):
    application = make_application()
    response = propose(client, officer, application["id"], outcome="counter_offer", plan={"new_rate_pct": "18.00"})
    assert response.status_code == 200, response.json
    assert response.json["decision"]["plan"]["params"] == {"new_rate_pct": "18.00"}
