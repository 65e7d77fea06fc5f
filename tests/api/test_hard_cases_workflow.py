"""SPEC §8, the workflow's hard cases, through the API: the effective day, segregation by person, mandatory cases,
clocks that cannot be restarted, periods that run from delivery, and periods versioned by received_on.

The loan is conftest's: as of 2026-11-20, next payment 2026-12-10, payment day 10; the business date is 2026-11-25,
so an application received today is due on 12-10 (+15) and a counter-offer concurred today is answered by 12-25.
"""

from datetime import date

import pytest

from api.runtime import runtime
from restructure.deadlines import sweep
from restructure.uow import UnitOfWork
from restructure.users import create_user
from tests.api.test_applications import DEFERRAL, URL, approve, at, propose
from tests.api.test_notices import page_text
from tests.conftest import TODAY, application_payload, incomes

LOANS = "/api/v1/loans"
FRESH = {  # the loan a month on: one more instalment overdue, the next due on 2027-01-10
    "as_of": "2026-12-10",
    "outstanding_principal": "450000.00",
    "overdue_principal": "40000.00",
    "overdue_interest": "30000.00",
    "penalties": "3000.00",
    "overdue_since": "2026-10-10",
    "remaining_term_months": 17,
    "scheduled_payment": "35428.09",
    "next_payment_on": "2027-01-10",
}


@pytest.fixture
def rights(token_for):
    return token_for("rights_officer")


def staff(app, role, person=None):
    user = create_user(
        UnitOfWork(runtime(app).session_factory),
        name=f"{role} of {person}",
        role=role,
        borrower_id=None,
        now=runtime(app).clock.now(),
        person_id=person,
    )
    return {"Authorization": f"Bearer {user.token}"}


def put_snapshot(client, officer, loan_id, **overrides):
    return client.put(f"{LOANS}/{loan_id}/snapshot", json=FRESH | overrides, headers=officer)


def state(client, officer, application_id):
    return client.get(f"{URL}/{application_id}", headers=officer).json


def mandatory_application(make_borrower, make_loan, make_application, **overrides):
    """A single parent whose income fell by half (300,000 → 150,000) asks for a 3-month principal deferral."""
    borrower = make_borrower(vulnerable_categories=["single_parent_family"])
    loan = make_loan(borrower_id=borrower["id"])
    application = make_application(
        loan_id=loan["id"], **({"requested": DEFERRAL, "incomes": incomes(before="300000.00", recent="150000.00")}
                               | overrides)
    )
    assert application["mandatory"] is True
    return application


def counter_offer(client, officer, rights, application_id, plan):
    assert propose(client, officer, application_id, outcome="counter_offer", plan=plan).status_code == 200
    response = approve(client, rights, application_id)
    assert response.status_code == 200, response.json
    return response.json


# --- 1. the effective day and rebasing --------------------------------------------------------------------------


def test_accept_is_rebuilt_on_the_concurrence_day_on_the_latest_snapshot(
    client, app, officer, rights, make_application
):
    application = make_application()
    proposed = propose(client, officer, application["id"], outcome="accept").json
    assert proposed["decision"]["start_on"] == "2026-11-25"
    at(app, date(2026, 11, 30))
    newer = put_snapshot(
        client,
        officer,
        application["loan_id"],
        as_of="2026-11-28",
        next_payment_on="2026-12-10",
        remaining_term_months=18,
        overdue_principal="20000.00",
        overdue_interest="15000.00",
        penalties="1500.00",
    )
    assert newer.status_code == 200, newer.json
    agreed = approve(client, rights, application["id"]).json
    decision = agreed["decision"]
    assert agreed["status"] == "agreed"
    assert (decision["start_on"], decision["agreed_on"], decision["snapshot_as_of"]) == (
        "2026-11-30",
        "2026-11-30",
        "2026-11-28",
    )
    assert decision["agreed_as"] == "accepted_decision"
    due = [line["due_on"] for line in decision["plan"]["schedule"]]
    assert due[0] == "2026-12-10"  # the first payment day strictly after the agreement day
    assert all(d > "2026-11-30" for d in due)


def test_an_agreement_on_the_snapshots_next_payment_day_is_a_stale_snapshot_and_changes_nothing(
    client, app, officer, rights, make_application
):
    application = make_application()
    propose(client, officer, application["id"], outcome="accept")
    at(app, date(2026, 12, 10))  # next_payment_on of the stored snapshot
    stale = approve(client, rights, application["id"])
    assert stale.status_code == 409
    assert stale.json["code"] == "stale_snapshot"
    assert stale.json["next_payment_on"] == "2026-12-10"
    after = state(client, officer, application["id"])
    assert (after["status"], after["decision"]["approved_on"]) == ("decision_proposed", None)
    assert put_snapshot(client, officer, application["loan_id"]).status_code == 200
    agreed = approve(client, rights, application["id"]).json
    assert (agreed["status"], agreed["decision"]["start_on"]) == ("agreed", "2026-12-10")
    assert agreed["decision"]["plan"]["schedule"][0]["due_on"] == "2027-01-10"


def test_an_agreement_the_day_before_the_next_payment_keeps_that_payment_day(
    client, app, officer, rights, make_application
):
    application = make_application()
    propose(client, officer, application["id"], outcome="accept")
    at(app, date(2026, 12, 9))
    agreed = approve(client, rights, application["id"]).json
    assert agreed["decision"]["start_on"] == "2026-12-09"
    assert agreed["decision"]["plan"]["schedule"][0]["due_on"] == "2026-12-10"


def test_an_accepted_counter_offer_takes_effect_rebuilt_on_the_day_of_acceptance(
    client, app, officer, rights, make_loan, token_for
):
    loan = make_loan()
    me = token_for("borrower", loan["borrower_id"])
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    offered = counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    assert offered["decision"]["start_on"] == "2026-11-25"
    at(app, date(2026, 12, 5))
    accepted = client.post(f"{URL}/{application['id']}/response", json={"answer": "accept"}, headers=me).json
    decision = accepted["decision"]
    assert (accepted["status"], decision["start_on"], decision["agreed_on"]) == ("agreed", "2026-12-05", "2026-12-05")
    assert decision["agreed_as"] == "counter_offer_accepted"
    assert decision["plan"]["params"]["extra_months"] == 6
    assert decision["plan"]["schedule"][0]["due_on"] == "2026-12-10"


def test_the_counter_offer_notice_says_it_is_rebuilt_on_the_day_of_acceptance(
    client, officer, rights, make_application
):
    application = make_application()
    counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    pages = {
        lang: client.get(f"{URL}/{application['id']}/notice?lang={lang}", headers=officer).get_data(as_text=True)
        for lang in ("en", "ru", "kk")
    }
    assert "rebuilt on the day you accept" in pages["en"]
    assert "пересчитывается на день вашего согласия" in pages["ru"]
    assert "келісім берген күніңізге қайта есептеледі" in pages["kk"]


# --- PUT /loans/{id}/snapshot ------------------------------------------------------------------------------------


def test_a_newer_snapshot_replaces_the_stored_one_and_history_is_kept(client, app, officer, make_loan, token_for):
    loan = make_loan()
    at(app, date(2026, 12, 10))
    for not_later in ("2026-11-20", "2026-11-19"):
        older = put_snapshot(client, officer, loan["id"], as_of=not_later, next_payment_on="2026-12-10")
        assert older.status_code == 409
        assert older.json["stored_as_of"] == "2026-11-20"
    replaced = put_snapshot(client, officer, loan["id"])
    assert replaced.status_code == 200
    body = replaced.json
    assert (body["as_of"], body["overdue_principal"], body["next_payment_on"]) == (
        "2026-12-10",
        "40000.00",
        "2027-01-10",
    )
    assert (body["contract_number"], body["annual_rate_pct"], body["principal"]) == (
        loan["contract_number"],
        "36.00",
        "600000.00",
    )
    history = client.get(f"{LOANS}/{loan['id']}/snapshots", headers=officer).json["items"]
    assert [h["as_of"] for h in history] == ["2026-11-20", "2026-12-10"]
    assert [h["snapshot"]["overdue_principal"] for h in history] == ["20000.00", "40000.00"]
    assert history[0]["recorded_by"] is None


def test_a_snapshot_is_the_officers_or_admins_and_cannot_change_the_contract(
    client, app, officer, make_loan, token_for
):
    loan = make_loan()
    at(app, date(2026, 12, 10))
    assert put_snapshot(client, token_for("rights_officer"), loan["id"]).status_code == 403
    assert put_snapshot(client, token_for("borrower", loan["borrower_id"]), loan["id"]).status_code == 403
    renamed = put_snapshot(client, officer, loan["id"], contract_number="X-1")
    assert renamed.status_code == 422 and "contract_number" in renamed.json["errors"]
    impossible = put_snapshot(client, officer, loan["id"], next_payment_on="2026-12-09")
    assert impossible.status_code == 422 and "next_payment_on" in impossible.json["errors"]
    future = put_snapshot(client, officer, loan["id"], as_of="2026-12-11", next_payment_on="2027-01-10")
    assert future.status_code == 422 and "as_of" in future.json["errors"]
    assert put_snapshot(client, token_for("admin"), loan["id"]).status_code == 200
    assert client.get(f"{LOANS}/{loan['id']}", headers=officer).json["as_of"] == "2026-12-10"


def test_a_borrower_reads_only_their_own_snapshot_history(client, make_loan, token_for):
    mine, theirs = make_loan(), make_loan()
    me = token_for("borrower", mine["borrower_id"])
    assert client.get(f"{LOANS}/{mine['id']}/snapshots", headers=me).status_code == 200
    assert client.get(f"{LOANS}/{theirs['id']}/snapshots", headers=me).status_code == 404


# --- 2. segregation by person ----------------------------------------------------------------------------------


def test_no_account_of_the_proposers_person_may_concur(client, app, make_application):
    proposer = staff(app, "credit_officer", person="E-1001")
    same_person = staff(app, "rights_officer", person="E-1001")
    other_person = staff(app, "rights_officer", person="E-2002")
    application = make_application()
    assert propose(client, proposer, application["id"], outcome="accept").status_code == 200
    refused = approve(client, same_person, application["id"])
    assert (refused.status_code, refused.json["code"]) == (403, "same_person")
    assert state(client, proposer, application["id"])["status"] == "decision_proposed"
    assert approve(client, other_person, application["id"]).json["status"] == "agreed"


def test_accounts_without_a_person_are_each_a_new_person(client, app, make_application):
    proposer, concurring = staff(app, "credit_officer"), staff(app, "rights_officer")
    application = make_application()
    propose(client, proposer, application["id"], outcome="accept")
    assert approve(client, concurring, application["id"]).status_code == 200


# --- 3. mandatory cases ---------------------------------------------------------------------------------------------


def test_a_counter_offer_to_a_mandatory_request_must_contain_it_and_add_relief(
    client, officer, make_borrower, make_loan, make_application
):
    application = mandatory_application(make_borrower, make_loan, make_application)
    without = propose(client, officer, application["id"], outcome="counter_offer", plan={"extra_months": 6})
    assert (without.status_code, without.json["rule"]) == (422, "R-MANDATORY")
    assert "deferral_months" in without.json["detail"]
    shorter = propose(
        client,
        officer,
        application["id"],
        outcome="counter_offer",
        plan={"deferral_months": 2, "deferral_of": "principal", "extra_months": 6},
    )
    assert (shorter.status_code, shorter.json["rule"]) == (422, "R-MANDATORY")
    same = propose(client, officer, application["id"], outcome="counter_offer", plan=DEFERRAL)
    assert (same.status_code, same.json["rule"]) == (422, "R-MANDATORY")
    assert "adds none" in same.json["detail"]
    assert state(client, officer, application["id"])["status"] == "received"
    more = propose(client, officer, application["id"], outcome="counter_offer", plan=DEFERRAL | {"extra_months": 6})
    assert more.status_code == 200, more.json


def test_declining_a_counter_offer_to_a_mandatory_request_puts_the_request_in_effect(
    client, app, officer, rights, make_borrower, make_loan, token_for
):
    borrower = make_borrower(vulnerable_categories=["single_parent_family"])
    loan = make_loan(borrower_id=borrower["id"])
    me = token_for("borrower", borrower["id"])
    payload = application_payload(loan["id"], requested=DEFERRAL, incomes=incomes(recent="150000.00"))
    application = client.post(URL, json=payload, headers=me).json
    counter_offer(client, officer, rights, application["id"], DEFERRAL | {"extra_months": 6})
    at(app, date(2026, 12, 1))
    declined = client.post(f"{URL}/{application['id']}/response", json={"answer": "decline"}, headers=me).json
    decision = declined["decision"]
    assert declined["status"] == "agreed"  # never a refusal
    assert declined["ombudsman_until"] is None
    assert (decision["agreed_as"], decision["start_on"]) == ("requested_after_decline", "2026-12-01")
    assert decision["plan"]["params"]["deferral_months"] == 3
    assert decision["plan"]["params"].get("extra_months") is None
    kinds = [e["kind"] for e in client.get(f"{URL}/{application['id']}/events", headers=me).json["items"]]
    assert kinds[-1] == "counter_offer_declined"


def test_a_lapsed_counter_offer_to_a_mandatory_request_waits_for_a_fresh_snapshot_then_agrees_the_request(
    client, app, officer, rights, make_borrower, make_loan, make_application, uow
):
    application = mandatory_application(make_borrower, make_loan, make_application)
    counter_offer(client, officer, rights, application["id"], DEFERRAL | {"extra_months": 6})
    at(app, date(2026, 12, 26))  # lapse day: response_due_on 12-25 + 1, after the snapshot's 12-10 payment
    first = sweep(uow, today=date(2026, 12, 26), now=runtime(app).clock.now())
    assert first.waiting_for_snapshot == [application["id"]] and first.lapsed == []
    assert state(client, officer, application["id"])["status"] == "awaiting_borrower"
    assert put_snapshot(client, officer, application["loan_id"], as_of="2026-12-26").status_code == 200
    second = sweep(uow, today=date(2026, 12, 26), now=runtime(app).clock.now())
    assert second.requested_agreed == [application["id"]]
    agreed = state(client, officer, application["id"])
    assert (agreed["status"], agreed["closed_on"], agreed["ombudsman_until"]) == ("agreed", "2026-12-26", None)
    decision = agreed["decision"]
    assert (decision["agreed_as"], decision["start_on"], decision["snapshot_as_of"]) == (
        "requested_after_lapse",
        "2026-12-26",
        "2026-12-26",
    )
    assert decision["plan"]["schedule"][0]["due_on"] == "2027-01-10"


def test_a_mandatory_request_may_be_refused_only_for_requested_documents_not_provided_naming_them(
    client, app, officer, rights, make_borrower, make_loan, make_application
):
    application = mandatory_application(make_borrower, make_loan, make_application)
    items = ["справка о доходах", "свидетельство о рождении ребёнка"]
    client.post(
        f"{URL}/{application['id']}/document-requests",
        json={"items": items, "respond_by": "2026-12-01"},
        headers=officer,
    )
    refusal = {"outcome": "refuse", "reasons": ["documents_not_provided"], "comment": "Документы не поступили."}
    at(app, date(2026, 12, 1))  # the answer day itself: still the borrower's
    assert propose(client, officer, application["id"], **refusal).status_code == 409
    at(app, date(2026, 12, 2))
    refused = propose(client, officer, application["id"], **refusal)
    assert refused.status_code == 200, refused.json
    assert refused.json["decision"]["missing_documents"] == items
    assert approve(client, rights, application["id"]).json["status"] == "refused"


def test_the_assessment_is_redone_when_the_documents_arrive(
    client, app, officer, make_borrower, make_loan, make_application
):
    application = mandatory_application(make_borrower, make_loan, make_application)
    # kdn = (35,428.09 + 20,000.00) / avg6 250,000.00 (four months of 300,000 and two of 150,000) = 0.2217
    assert application["assessment"]["kdn"] == "0.2217"
    client.post(
        f"{URL}/{application['id']}/document-requests",
        json={"items": ["x"], "respond_by": "2026-12-05"},
        headers=officer,
    )
    at(app, date(2026, 11, 28))
    put_snapshot(
        client,
        officer,
        application["loan_id"],
        as_of="2026-11-28",
        next_payment_on="2026-12-10",
        remaining_term_months=18,
        scheduled_payment="40000.00",
    )
    arrived = client.post(
        f"{URL}/{application['id']}/documents", json={"items": ["x"], "received_on": "2026-11-28"}, headers=officer
    ).json
    assert arrived["assessment"]["kdn"] == "0.2400"  # (40,000.00 + 20,000.00) / 250,000.00
    assert arrived["mandatory"] is True


# --- 4. clocks cannot be restarted after a breach ----------------------------------------------------------------


def test_a_document_request_on_the_due_date_is_allowed_but_not_the_day_after(client, app, officer, make_application):
    on_time, late = make_application(), make_application()
    body = {"items": ["справка"], "respond_by": "2026-12-20"}
    at(app, date(2026, 12, 10))  # decision_due_on = 11-25 + 15
    assert client.post(f"{URL}/{on_time['id']}/document-requests", json=body, headers=officer).status_code == 200
    at(app, date(2026, 12, 11))
    refused = client.post(f"{URL}/{late['id']}/document-requests", json=body, headers=officer)
    assert refused.status_code == 409
    assert "2026-12-10" in refused.json["detail"]
    assert state(client, officer, late["id"])["document_requests"] == []


def test_a_second_document_request_only_while_the_first_is_awaited(client, app, officer, make_application):
    awaited, answered = make_application(), make_application()
    first = {"items": ["справка"], "respond_by": "2026-12-01"}
    for application in (awaited, answered):
        client.post(f"{URL}/{application['id']}/document-requests", json=first, headers=officer)
    client.post(
        f"{URL}/{answered['id']}/documents", json={"items": ["справка"], "received_on": "2026-11-25"}, headers=officer
    )
    second = {"items": ["выписка"], "respond_by": "2026-12-03"}
    again = client.post(f"{URL}/{awaited['id']}/document-requests", json=second, headers=officer)
    assert again.status_code == 200
    assert [r["items"] for r in again.json["document_requests"]] == [["справка"], ["выписка"]]
    assert again.json["status"] == "awaiting_documents"
    restart = client.post(f"{URL}/{answered['id']}/document-requests", json=second, headers=officer)
    assert restart.status_code == 409
    assert state(client, officer, answered["id"])["decision_due_on"] == "2026-12-10"


# --- 5. periods run from delivery --------------------------------------------------------------------------------


def test_a_decision_counts_as_received_in_the_cabinet_on_the_concurrence_day(client, officer, rights, make_application):
    application = make_application()
    offered = counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    assert (offered["delivered_on"], offered["delivery_channel"], offered["response_due_on"]) == (
        "2026-11-25",
        "cabinet",
        "2026-12-25",
    )


def test_a_later_recorded_delivery_moves_the_response_period(client, app, officer, rights, make_application):
    application = make_application()
    counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    at(app, date(2026, 12, 1))
    url = f"{URL}/{application['id']}/delivery"
    early = client.post(url, json={"channel": "email", "delivered_on": "2026-11-24"}, headers=officer)
    assert early.status_code == 422 and "delivered_on" in early.json["errors"]
    future = client.post(url, json={"channel": "email", "delivered_on": "2026-12-02"}, headers=officer)
    assert future.status_code == 422 and "delivered_on" in future.json["errors"]
    assert client.post(url, json={"channel": "fax", "delivered_on": "2026-11-30"}, headers=officer).status_code == 422
    assert client.post(url, json={"channel": "email", "delivered_on": "2026-11-30"}, headers=rights).status_code == 403
    moved = client.post(url, json={"channel": "email", "delivered_on": "2026-11-30"}, headers=officer)
    assert moved.status_code == 200
    assert (moved.json["delivered_on"], moved.json["response_due_on"]) == ("2026-11-30", "2026-12-30")
    events = client.get(f"{URL}/{application['id']}/events", headers=officer).json["items"]
    assert events[-1]["kind"] == "decision_delivered"
    assert events[-1]["payload"]["previous"]["response_due_on"] == "2026-12-25"


def test_a_paper_counter_offer_never_lapses_before_its_delivery_is_recorded(
    client, app, officer, rights, make_application, uow
):
    application = make_application(channel="post")
    offered = counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    assert (offered["delivered_on"], offered["response_due_on"], offered["ombudsman_until"]) == (None, None, None)
    assert sweep(uow, today=date(2027, 3, 1), now=runtime(app).clock.now()).lapsed == []
    assert state(client, officer, application["id"])["status"] == "awaiting_borrower"
    at(app, date(2026, 12, 5))
    delivered = client.post(
        f"{URL}/{application['id']}/delivery", json={"channel": "post", "delivered_on": "2026-12-03"}, headers=officer
    ).json
    assert delivered["response_due_on"] == "2027-01-02"  # 12-03 + 30
    assert sweep(uow, today=date(2027, 1, 2), now=runtime(app).clock.now()).lapsed == []
    assert sweep(uow, today=date(2027, 1, 3), now=runtime(app).clock.now()).lapsed == [application["id"]]
    lapsed = state(client, officer, application["id"])
    assert (lapsed["status"], lapsed["ombudsman_until"]) == ("lapsed", "2027-01-17")  # 01-02 + 15


def test_a_paper_refusal_opens_the_ombudsman_period_on_delivery(client, app, officer, rights, make_application):
    application = make_application(channel="post")
    propose(
        client, officer, application["id"], outcome="refuse", reasons=["no_hardship_shown"], comment="Доход не упал."
    )
    refused = approve(client, rights, application["id"]).json
    assert (refused["status"], refused["ombudsman_until"]) == ("refused", None)
    at(app, date(2026, 12, 2))
    delivered = client.post(
        f"{URL}/{application['id']}/delivery", json={"channel": "post", "delivered_on": "2026-12-01"}, headers=officer
    ).json
    assert delivered["ombudsman_until"] == "2026-12-16"  # 12-01 + 15


def test_delivery_is_a_plain_service_an_outbox_can_call(client, app, officer, rights, make_application, uow):
    from restructure.delivery import record_delivery

    application = make_application(channel="post")
    counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    stored = record_delivery(
        uow(), None, application["id"], "sms", date(2026, 11, 25), today=TODAY, now=runtime(app).clock.now()
    )
    assert (stored.delivered_on, stored.response_due_on) == (date(2026, 11, 25), date(2026, 12, 25))
    assert client.get(f"{URL}/{application['id']}/events", headers=officer).json["items"][-1]["actor_role"] == "system"


def test_no_delivery_before_a_decision_is_in_effect(client, officer, make_application):
    application = make_application()
    response = client.post(
        f"{URL}/{application['id']}/delivery", json={"channel": "post", "delivered_on": "2026-11-25"}, headers=officer
    )
    assert response.status_code == 409


# --- 6. everything legal is versioned --------------------------------------------------------------------------


def test_an_application_received_before_the_first_rule_set_is_422_naming_received_on(client, app, officer, make_loan):
    loan = make_loan(issued_on="2021-01-15", term_months=72, remaining_term_months=14)
    payload = application_payload(
        loan["id"], channel="post", received_on="2021-09-30", incomes=incomes(month=date(2021, 9, 30))
    )
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 422
    assert "received_on" in response.json["errors"]


def test_an_application_on_the_first_rule_sets_day_uses_its_periods(client, app, officer, make_loan):
    loan = make_loan(issued_on="2021-01-15", term_months=72, remaining_term_months=14)
    payload = application_payload(
        loan["id"], channel="post", received_on="2021-10-01", incomes=incomes(month=date(2021, 10, 1))
    )
    response = client.post(URL, json=payload, headers=officer)
    assert response.status_code == 201, response.json
    assert response.json["decision_due_on"] == "2021-10-16"
    assert response.json["assessment"]["rule_set"]["id"] == "KZ-2021-10"


# --- what the borrower reads ------------------------------------------------------------------------------------


def test_the_cabinet_says_an_offer_is_rebuilt_on_the_day_of_acceptance(
    client, officer, rights, make_loan, token_for, page_sign_in
):
    loan = make_loan()
    token_for("borrower", loan["borrower_id"])
    me = token_for("borrower", loan["borrower_id"])
    application = client.post(URL, json=application_payload(loan["id"]), headers=me).json
    counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    page_sign_in(me, "ru")
    page = client.get(f"/cabinet/applications/{application['id']}").get_data(as_text=True)
    assert "пересчитывается на день вашего согласия" in page


def test_a_refusal_for_missing_documents_names_them_in_the_notice(client, app, officer, rights, make_application):
    application = make_application()
    client.post(
        f"{URL}/{application['id']}/document-requests",
        json={"items": ["справка о доходах"], "respond_by": "2026-12-01"},
        headers=officer,
    )
    at(app, date(2026, 12, 2))
    propose(
        client,
        officer,
        application["id"],
        outcome="refuse",
        reasons=["documents_not_provided"],
        comment="Документы не поступили.",
    )
    approve(client, rights, application["id"])
    text = client.get(f"{URL}/{application['id']}/notice", headers=officer).get_data(as_text=True)
    assert "Запрошенные документы, которые мы не получили:" in text
    assert "<li>справка о доходах</li>" in text


def test_the_agreement_after_a_declined_mandatory_counter_offer_says_the_law_obliges_it(
    client, app, officer, rights, make_borrower, make_loan, token_for
):
    borrower = make_borrower(vulnerable_categories=["single_parent_family"])
    loan = make_loan(borrower_id=borrower["id"])
    me = token_for("borrower", borrower["id"])
    payload = application_payload(loan["id"], requested=DEFERRAL, incomes=incomes(recent="150000.00"))
    application = client.post(URL, json=payload, headers=me).json
    counter_offer(client, officer, rights, application["id"], DEFERRAL | {"extra_months": 6})
    at(app, date(2026, 12, 1))
    client.post(f"{URL}/{application['id']}/response", json={"answer": "decline"}, headers=me)
    text = page_text(client.get(f"{URL}/{application['id']}/notice", headers=me))
    assert "Закон обязывает нас согласиться" in text
    assert "с 1 декабря 2026 г. вступают в силу запрошенные вами условия" in text
    assert "вы приняли наше встречное предложение" not in text


def test_a_paper_counter_offer_notice_says_the_period_runs_from_receipt(client, officer, rights, make_application):
    application = make_application(channel="post")
    counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    text = client.get(f"{URL}/{application['id']}/notice?lang=en", headers=officer).get_data(as_text=True)
    assert "The period for your answer runs from the day you receive this letter" in text


def test_the_console_shows_whether_a_paper_decision_was_received(
    client, officer, rights, make_application, page_sign_in
):
    application = make_application(channel="post")
    counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    page_sign_in(rights, "en")
    page = client.get(f"/console/applications/{application['id']}").get_data(as_text=True)
    assert "Receipt not yet recorded: the periods have not started" in page


def test_an_undelivered_paper_counter_offer_cannot_be_extended_but_can_be_answered(
    client, app, officer, rights, make_loan, token_for
):
    loan = make_loan()
    me = token_for("borrower", loan["borrower_id"])
    payload = application_payload(loan["id"], channel="post", received_on=TODAY.isoformat())
    application = client.post(URL, json=payload, headers=officer).json
    counter_offer(client, officer, rights, application["id"], {"extra_months": 6})
    extended = client.post(
        f"{URL}/{application['id']}/extension", json={"response_due_on": "2027-01-15"}, headers=officer
    )
    assert extended.status_code == 409
    at(app, date(2026, 12, 1))  # the borrower answers, so the letter has plainly arrived
    accepted = client.post(f"{URL}/{application['id']}/response", json={"answer": "accept"}, headers=me)
    assert accepted.status_code == 200 and accepted.json["decision"]["agreed_on"] == "2026-12-01"


# --- SPEC §8 Mandatory cases: a short deferral is granted for the set's minimum ---------------------------------

SHORT_DEFERRAL = {"deferral_months": 1, "deferral_of": "principal"}


def test_accepting_a_mandatory_one_month_deferral_agrees_the_three_month_minimum(
    client, officer, rights, make_borrower, make_loan, make_application
):
    application = mandatory_application(make_borrower, make_loan, make_application, requested=SHORT_DEFERRAL)
    note = next(r for r in application["assessment"]["rules"] if "requested_months" in r["figures"])
    assert (note["figures"]["requested_months"], note["figures"]["min_months"]) == (1, 3)
    proposed = propose(client, officer, application["id"], outcome="accept")
    assert proposed.status_code == 200, proposed.json
    agreed = approve(client, rights, application["id"])
    assert agreed.status_code == 200, agreed.json
    plan = agreed.json["decision"]["plan"]
    assert plan["params"]["deferral_months"] == 3 and plan["params"]["deferral_of"] == "principal"
    assert plan["feasible"] is True
    # B0 = 450 000.00 + 20 000.00 overdue principal = 470 000.00 at 36% (30E/360): 11-25 → 12-10 is 15 days,
    # 470 000.00 × 0.36 × 15/360 = 7 050.00; a whole month 470 000.00 × 0.03 = 14 100.00; three interest-only months
    lines = plan["schedule"]
    assert [(line["due_on"], line["payment"], line["principal"]) for line in lines[:3]] == [
        ("2026-12-10", "7050.00", "0.00"),
        ("2027-01-10", "14100.00", "0.00"),
        ("2027-02-10", "14100.00", "0.00"),
    ]
    assert lines[3]["due_on"] == "2027-03-10" and lines[3]["principal"] != "0.00"
    # the bucket: 15 000.00 overdue interest + 1 500.00 penalties + 470 000.00 × 0.36 × 5/360 = 2 350.00 (11-20 → 11-25)
    assert plan["totals"]["arrears"] == "18850.00"
    text = page_text(client.get(f"{URL}/{application['id']}/notice", headers=officer))
    why = "Вы просили отсрочку на 1 мес. Закон требует не менее 3 мес., поэтому отсрочка предоставляется на 3 мес."
    assert why in text


def test_a_declined_counter_offer_to_a_one_month_mandatory_deferral_puts_the_minimum_in_effect(
    client, app, officer, rights, make_borrower, make_loan, token_for
):
    borrower = make_borrower(vulnerable_categories=["single_parent_family"])
    loan = make_loan(borrower_id=borrower["id"])
    me = token_for("borrower", borrower["id"])
    payload = application_payload(loan["id"], requested=SHORT_DEFERRAL, incomes=incomes(recent="150000.00"))
    application = client.post(URL, json=payload, headers=me).json
    assert application["mandatory"] is True
    counter_offer(client, officer, rights, application["id"], DEFERRAL | {"extra_months": 6})
    at(app, date(2026, 12, 1))
    declined = client.post(f"{URL}/{application['id']}/response", json={"answer": "decline"}, headers=me)
    assert declined.status_code == 200, declined.json
    decision = declined.json["decision"]
    assert (declined.json["status"], decision["agreed_as"]) == ("agreed", "requested_after_decline")
    assert decision["plan"]["params"]["deferral_months"] == 3
    assert [line["principal"] for line in decision["plan"]["schedule"][:3]] == ["0.00"] * 3


def test_a_mandatory_deferral_at_the_minimum_is_agreed_as_asked(
    client, officer, rights, make_borrower, make_loan, make_application
):
    application = mandatory_application(make_borrower, make_loan, make_application)  # 3 months asked
    assert not [r for r in application["assessment"]["rules"] if "requested_months" in r["figures"]]
    propose(client, officer, application["id"], outcome="accept")
    plan = approve(client, rights, application["id"]).json["decision"]["plan"]
    assert plan["params"]["deferral_months"] == 3
    text = page_text(client.get(f"{URL}/{application['id']}/notice", headers=officer))
    assert "Закон требует не менее" not in text
