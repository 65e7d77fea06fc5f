"""The complaint register over HTTP (SPEC §9): intake, refusals, clocks, the workflow, roles and letters."""

from datetime import date

import pytest

from api.runtime import runtime

URL = "/api/v1/complaints"
TODAY = date(2026, 11, 25)


def at(app, day: date) -> None:
    runtime(app).clock.today = lambda: day  # type: ignore[method-assign]


@pytest.fixture
def staff(token_for):
    return {role: token_for(role) for role in ("credit_officer", "rights_officer", "lawyer", "director", "admin")}


@pytest.fixture
def borrower(make_borrower, token_for):
    b = make_borrower()
    return b, token_for("borrower", borrower_id=b["id"])


def body(**overrides):
    base = {
        "kind": "complaint",
        "channel": "office",
        "language": "ru",
        "text": "Неверно начислена пеня",
        "received_on": "2026-11-20",
        "applicant": {"name": "Асель Нурланова", "contact": "+77010000000"},
    }
    merged = base | overrides
    return {k: v for k, v in merged.items() if v is not None}


def register(client, headers, **overrides):
    response = client.post(URL, json=body(**overrides), headers=headers)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def post(client, cid, path, headers, **payload):
    return client.post(f"{URL}/{cid}/{path}", json=payload, headers=headers)


def answered(client, staff, **overrides):
    c = register(client, staff["credit_officer"], **overrides)
    assert (
        post(client, c["id"], "assignment", staff["rights_officer"], unit="credit", handler="Ерлан").status_code == 200
    )
    r = post(
        client,
        c["id"],
        "answer",
        staff["rights_officer"],
        outcome="partly_upheld",
        text="Пеня пересчитана",
        lender_actions="Сторнируем 1 200,00 ₸",
        client_actions="Ничего",
        references=["ЗоМФД ст. 6 п. 3"],
    )
    assert r.status_code == 200, r.get_json()
    assert post(client, c["id"], "legal-review", staff["lawyer"], verdict="approve").status_code == 200
    r = post(client, c["id"], "signature", staff["director"])
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def test_staff_registration_numbers_the_complaint_and_sets_the_fifteen_day_clock(client, staff):
    c = register(client, staff["credit_officer"])
    assert c["number"] == "IN-2026-000001"
    assert c["status"] == "registered"
    assert c["received_on"] == "2026-11-20"
    assert c["answer_due_on"] == "2026-12-05"  # 20.11 + 15
    assert c["days_left"] == 10
    assert c["overdue"] is False and c["anonymous"] is False
    assert register(client, staff["rights_officer"])["number"] == "IN-2026-000002"
    assert register(client, staff["admin"], received_on="2025-12-31")["number"] == "IN-2025-000001"


def test_a_borrower_files_through_the_cabinet_today_and_sees_only_their_own(client, borrower, make_borrower, token_for):
    b, headers = borrower
    c = register(client, headers, channel="cabinet", received_on=None, applicant=None)
    assert c["borrower_id"] == b["id"] and c["received_on"] == TODAY.isoformat() and c["channel"] == "cabinet"
    other = token_for("borrower", borrower_id=make_borrower()["id"])
    assert client.get(f"{URL}/{c['id']}", headers=other).status_code == 404
    assert client.get(f"{URL}/{c['id']}/events", headers=other).status_code == 404
    assert client.get(f"{URL}/{c['id']}", headers=headers).status_code == 200
    assert client.get(URL, headers=headers).status_code == 403


def test_a_borrower_cannot_backdate_or_use_a_staff_channel(client, borrower):
    _, headers = borrower
    r = client.post(URL, json=body(channel="office"), headers=headers)
    assert r.status_code == 422
    assert set(r.get_json()["errors"]) == {"channel", "received_on"}
    assert client.get(URL, headers={"Authorization": headers["Authorization"]}).status_code == 403


def test_staff_cannot_register_a_future_or_cabinet_complaint_and_nothing_is_stored(client, staff):
    r = client.post(URL, json=body(received_on="2026-11-26", channel="cabinet"), headers=staff["credit_officer"])
    assert r.status_code == 422
    assert r.headers["Content-Type"].startswith("application/problem+json")
    assert set(r.get_json()["errors"]) == {"received_on", "channel"}
    assert client.get(URL, headers=staff["rights_officer"]).get_json()["items"] == []
    assert register(client, staff["credit_officer"])["number"] == "IN-2026-000001"  # no number was used up


@pytest.mark.parametrize(
    ("field", "value"),
    [("kind", "rant"), ("channel", "pigeon"), ("language", "de"), ("text", ""), ("category", "Bad Category")],
)
def test_bad_fields_are_named(client, staff, field, value):
    r = client.post(URL, json=body(**{field: value}), headers=staff["credit_officer"])
    assert r.status_code == 422
    assert field in r.get_json()["errors"]


def test_forwarding_later_than_one_day_is_flagged_not_refused(client, staff):
    assert register(client, staff["credit_officer"], forwarded_on="2026-11-21")["forwarding_late"] is False
    assert register(client, staff["credit_officer"], forwarded_on="2026-11-22")["forwarding_late"] is True


def test_a_representative_needs_a_power_of_attorney_unless_the_client_is_present(client, staff):
    r = client.post(URL, json=body(representative={"name": "Адвокат"}), headers=staff["credit_officer"])
    assert r.status_code == 422 and "representative.document" in r.get_json()["errors"]
    ok = register(client, staff["credit_officer"], representative={"name": "Адвокат", "client_present": True})
    assert ok["representative"]["name"] == "Адвокат"
    ok = register(
        client, staff["credit_officer"], representative={"name": "Адвокат", "document": "ДОВ-17", "notarised": True}
    )
    assert ok["representative"]["notarised"] is True


def test_anonymous_complaints_are_refused_but_crime_reports_go_to_the_authorities(client, staff):
    anon = register(client, staff["credit_officer"], applicant=None)
    assert anon["anonymous"] is True
    r = post(client, anon["id"], "refusal", staff["rights_officer"], reason="anonymous", comment="Нет данных заявителя")
    assert r.status_code == 200 and r.get_json()["status"] == "refused_on_merits"
    assert r.get_json()["refusal"]["reason"] == "anonymous" and r.get_json()["refusal"]["timely"] is True
    crime = register(client, staff["credit_officer"], applicant=None, reports_crime=True)
    assert crime["forwarded_to_authorities"] is True
    r = post(client, crime["id"], "refusal", staff["rights_officer"], reason="anonymous", comment="x")
    assert r.status_code == 409
    r = post(client, crime["id"], "closure", staff["rights_officer"], summary="Передано в полицию")
    assert r.get_json()["status"] == "closed"
    named = register(client, staff["credit_officer"])
    r = post(client, named["id"], "refusal", staff["rights_officer"], reason="anonymous", comment="x")
    assert r.status_code == 422 and "reason" in r.get_json()["errors"]


@pytest.mark.parametrize(
    "reason", ["obscene_or_threatening", "unreadable", "repeat_without_new_facts", "outside_competence"]
)
def test_refusal_on_the_merits_keeps_its_reason_and_the_letter_says_why(client, staff, reason):
    c = register(client, staff["credit_officer"])
    r = post(client, c["id"], "refusal", staff["rights_officer"], reason=reason, comment="Обратитесь в АРРФР")
    assert r.status_code == 200 and r.get_json()["refusal"]["reason"] == reason
    html = client.get(f"{URL}/{c['id']}/answer", headers=staff["rights_officer"]).get_data(as_text=True)
    assert "Обратитесь в АРРФР" in html


def test_outside_information_moves_the_answer_to_day_thirty_only_within_fifteen_days(client, app, staff):
    c = register(client, staff["credit_officer"])
    post(client, c["id"], "assignment", staff["rights_officer"], unit="legal")
    at(app, date(2026, 12, 5))  # received 20.11 + 15: the last day
    r = post(
        client,
        c["id"],
        "information-requests",
        staff["rights_officer"],
        unit="security",
        items=["выписка"],
        due_on="2026-12-10",
        outside_information=True,
    )
    assert r.status_code == 200 and r.get_json()["answer_due_on"] == "2026-12-20"  # 20.11 + 30
    late = register(client, staff["credit_officer"])  # received 20.11 as well
    post(client, late["id"], "assignment", staff["rights_officer"], unit="legal")
    at(app, date(2026, 12, 6))
    r = post(
        client,
        late["id"],
        "information-requests",
        staff["rights_officer"],
        unit="security",
        items=["x"],
        due_on="2026-12-10",
        outside_information=True,
    )
    assert r.status_code == 409 and r.get_json()["until"] == "2026-12-05"
    assert (
        client.get(f"{URL}/{late['id']}", headers=staff["rights_officer"]).get_json()["answer_due_on"] == "2026-12-05"
    )


def test_one_extension_by_the_director_with_a_notice_within_three_days(client, staff):
    c = register(client, staff["credit_officer"])
    assert post(client, c["id"], "extension", staff["rights_officer"], days=10, reason="x").status_code == 403
    r = post(client, c["id"], "extension", staff["director"], days=31, reason="проверка")
    assert r.status_code == 422 and "days" in r.get_json()["errors"]
    r = post(
        client,
        c["id"],
        "extension",
        staff["director"],
        days=30,
        reason="выезд на место",
        decided_on="2026-11-21",
        notice_sent_on="2026-11-25",
    )
    ext = r.get_json()
    assert r.status_code == 200 and ext["answer_due_on"] == "2027-01-04"  # 20.11 + 15 + 30
    assert ext["extension"]["notice_due_on"] == "2026-11-24" and ext["extension"]["notice_late"] is True
    assert post(client, c["id"], "extension", staff["director"], days=1, reason="y").status_code == 409


def test_extension_notice_sent_on_the_third_day_is_in_time(client, staff):
    c = register(client, staff["credit_officer"])
    r = post(
        client,
        c["id"],
        "extension",
        staff["director"],
        days=5,
        reason="r",
        decided_on="2026-11-22",
        notice_sent_on="2026-11-25",
    )
    assert r.get_json()["extension"]["notice_late"] is False
    assert r.get_json()["answer_due_on"] == "2026-12-10"


def test_the_full_workflow_numbers_the_answer_and_records_every_step(client, staff):
    c = answered(client, staff)
    assert c["status"] == "answered"
    assert c["answer"]["outgoing_number"] == "OUT-2026-000001"
    assert c["answer"]["sent_on"] == TODAY.isoformat() and c["answer"]["timely"] is True
    r = post(client, c["id"], "closure", staff["rights_officer"], summary="Пеня сторнирована")
    assert r.get_json()["status"] == "closed"
    events = client.get(f"{URL}/{c['id']}/events", headers=staff["director"]).get_json()["items"]
    assert [(e["kind"], e["from_status"], e["to_status"]) for e in events] == [
        ("registered", None, "registered"),
        ("assigned", "registered", "in_progress"),
        ("answer_drafted", "in_progress", "answer_drafted"),
        ("legal_reviewed", "answer_drafted", "legal_reviewed"),
        ("answered", "legal_reviewed", "answered"),
        ("closed", "answered", "closed"),
    ]
    assert [e["actor_role"] for e in events] == [
        "credit_officer",
        "rights_officer",
        "rights_officer",
        "lawyer",
        "director",
        "rights_officer",
    ]
    assert answered(client, staff)["answer"]["outgoing_number"] == "OUT-2026-000002"


def test_a_late_answer_is_recorded_and_flagged_never_blocked(client, app, staff):
    at(app, date(2026, 12, 10))
    c = answered(client, staff)  # received 20.11, due 05.12
    assert c["answer"]["timely"] is False and c["status"] == "answered"


def test_signature_needs_a_legal_review_and_the_lawyer_may_return_the_draft(client, staff):
    c = register(client, staff["credit_officer"])
    post(client, c["id"], "assignment", staff["rights_officer"], unit="credit")
    post(client, c["id"], "answer", staff["rights_officer"], outcome="upheld", text="t")
    assert post(client, c["id"], "signature", staff["director"]).status_code == 409
    r = post(client, c["id"], "legal-review", staff["lawyer"], verdict="return", comment="Нет ссылки на договор")
    assert r.get_json()["status"] == "in_progress"
    assert post(client, c["id"], "legal-review", staff["lawyer"], verdict="approve").status_code == 409


@pytest.mark.parametrize(
    ("path", "role", "payload"),
    [
        ("refusal", "credit_officer", {"reason": "unreadable", "comment": "x"}),
        ("assignment", "lawyer", {"unit": "x"}),
        ("information-requests", "director", {"unit": "x", "items": ["a"], "due_on": "2026-12-01"}),
        ("answer", "lawyer", {"outcome": "upheld", "text": "t"}),
        ("legal-review", "rights_officer", {"verdict": "approve"}),
        ("signature", "rights_officer", {}),
        ("closure", "director", {"summary": "s"}),
        ("withdrawal", "rights_officer", {}),
    ],
)
def test_every_transition_checks_the_role(client, staff, path, role, payload):
    c = register(client, staff["credit_officer"])
    assert post(client, c["id"], path, staff[role], **payload).status_code == 403


def test_the_borrower_withdraws_their_complaint(client, borrower):
    _, headers = borrower
    c = register(client, headers, channel="cabinet", received_on=None, applicant=None)
    r = post(client, c["id"], "withdrawal", headers, reason="Решено")
    assert r.get_json()["status"] == "withdrawn" and r.get_json()["days_left"] is None
    assert post(client, c["id"], "withdrawal", headers).status_code == 409


def test_the_register_is_sorted_by_due_date_and_filters_overdue(client, app, staff):
    a = register(client, staff["credit_officer"], received_on="2026-11-01")  # due 16.11: overdue
    b = register(client, staff["credit_officer"], received_on="2026-11-24")
    c = register(client, staff["credit_officer"], received_on="2026-11-05")  # due 20.11: overdue
    post(client, c["id"], "refusal", staff["rights_officer"], reason="unreadable", comment="x")
    items = client.get(URL, headers=staff["lawyer"]).get_json()["items"]
    assert [i["id"] for i in items] == [a["id"], c["id"], b["id"]]
    overdue = client.get(f"{URL}?overdue=true", headers=staff["director"]).get_json()["items"]
    assert [i["id"] for i in overdue] == [a["id"]]
    assert overdue[0]["days_left"] == -9
    page = client.get(f"{URL}?limit=1", headers=staff["rights_officer"]).get_json()
    rest = client.get(f"{URL}?limit=5&cursor={page['next_cursor']}", headers=staff["rights_officer"]).get_json()
    assert [i["id"] for i in page["items"] + rest["items"]] == [a["id"], c["id"], b["id"]]
    assert client.get(f"{URL}?overdue=maybe", headers=staff["rights_officer"]).status_code == 422


def test_a_complaint_links_a_restructuring_application_of_the_same_borrower(client, staff, make_application):
    application = make_application()
    c = register(
        client,
        staff["credit_officer"],
        borrower_id=application["borrower_id"],
        applicant=None,
        application_id=application["id"],
    )
    assert c["application_id"] == application["id"]
    r = client.post(URL, json=body(application_id=999999), headers=staff["credit_officer"])
    assert r.status_code == 422 and "application_id" in r.get_json()["errors"]


@pytest.mark.parametrize(("lang", "phrase"), [("ru", "частично"), ("kk", "ішінара"), ("en", "partly upheld")])
def test_the_answer_letter_is_in_the_complaints_language_unless_lang_overrides(client, staff, lang, phrase):
    c = answered(client, staff, language=lang)
    r = client.get(f"{URL}/{c['id']}/answer", headers=staff["rights_officer"])
    assert r.status_code == 200 and r.headers["Content-Language"] == lang
    html = r.get_data(as_text=True)
    assert phrase in html.lower() and "OUT-2026-000001" in html and "ЗоМФД ст. 6 п. 3" in html
    assert (
        client.get(f"{URL}/{c['id']}/answer?lang=en", headers=staff["rights_officer"]).headers["Content-Language"]
        == "en"
    )


def test_a_suggestion_is_answered_with_a_thank_you_letter(client, staff):
    c = register(client, staff["credit_officer"], kind="suggestion", language="en")
    post(client, c["id"], "assignment", staff["rights_officer"], unit="service")
    assert post(client, c["id"], "answer", staff["rights_officer"], text="We will add SMS reminders").status_code == 200
    post(client, c["id"], "legal-review", staff["lawyer"], verdict="approve")
    post(client, c["id"], "signature", staff["director"])
    html = client.get(f"{URL}/{c['id']}/answer", headers=staff["rights_officer"]).get_data(as_text=True)
    assert "Thank you for your suggestion" in html


def test_there_is_no_letter_before_the_answer_is_signed(client, staff):
    c = register(client, staff["credit_officer"])
    assert client.get(f"{URL}/{c['id']}/answer", headers=staff["rights_officer"]).status_code == 409


def test_the_answer_is_also_a_pdf(client, staff):
    c = answered(client, staff, language="kk")
    r = client.get(f"{URL}/{c['id']}/answer", headers=staff["rights_officer"] | {"Accept": "application/pdf"})
    if r.status_code == 503:
        pytest.skip("WeasyPrint's system libraries are not installed here")
    assert r.status_code == 200 and r.mimetype == "application/pdf" and r.data.startswith(b"%PDF")
    assert "IN-2026-000001" in r.headers["Content-Disposition"]


def test_a_borrower_reads_their_own_answer_but_not_anothers(client, staff, borrower, make_borrower, token_for):
    b, headers = borrower
    c = answered(client, staff, borrower_id=b["id"], applicant=None)
    assert client.get(f"{URL}/{c['id']}/answer", headers=headers).status_code == 200
    other = token_for("borrower", borrower_id=make_borrower()["id"])
    assert client.get(f"{URL}/{c['id']}/answer", headers=other).status_code == 404
    assert post(client, c["id"], "withdrawal", other).status_code == 404


def test_events_record_flags_for_late_forwarding_and_information_requests(client, staff):
    c = register(client, staff["credit_officer"], forwarded_on="2026-11-23")
    post(client, c["id"], "assignment", staff["rights_officer"], unit="credit")
    post(
        client, c["id"], "information-requests", staff["rights_officer"], unit="it", items=["логи"], due_on="2026-11-30"
    )
    events = client.get(f"{URL}/{c['id']}/events", headers=staff["rights_officer"]).get_json()["items"]
    assert events[0]["payload"]["forwarding_late"] is True
    assert events[2]["kind"] == "information_requested" and events[2]["payload"]["due_on"] == "2026-11-30"
    assert events[2]["from_status"] == events[2]["to_status"] == "in_progress"


def test_a_receipt_date_before_the_first_rule_set_is_named(client, staff):
    r = client.post(URL, json=body(received_on="2019-12-31"), headers=staff["credit_officer"])
    assert r.status_code == 422 and "received_on" in r.get_json()["errors"]


def test_one_person_cannot_draft_review_and_sign_with_several_accounts(client, app, staff):
    """SPEC §8 Who concurs, applied to answers: duties are separated by person, not by account."""
    from restructure.uow import UnitOfWork
    from restructure.users import create_user

    def account(role, person):
        user = create_user(
            UnitOfWork(runtime(app).session_factory),
            name=f"{role} {person}",
            role=role,
            borrower_id=None,
            now=runtime(app).clock.now(),
            person_id=person,
        )
        return {"Authorization": f"Bearer {user.token}"}

    drafter, lawyer_same, lawyer = (
        account("rights_officer", "E-77"),
        account("lawyer", "E-77"),
        account("lawyer", "E-88"),
    )
    director_same = account("director", "E-88")
    c = register(client, staff["credit_officer"])
    post(client, c["id"], "assignment", drafter, unit="credit")
    assert post(client, c["id"], "answer", drafter, outcome="upheld", text="t").status_code == 200
    refused = post(client, c["id"], "legal-review", lawyer_same, verdict="approve")
    assert (refused.status_code, refused.get_json()["code"]) == (403, "same_person")
    assert post(client, c["id"], "legal-review", lawyer, verdict="approve").status_code == 200
    refused = post(client, c["id"], "signature", director_same)
    assert (refused.status_code, refused.get_json()["code"]) == (403, "same_person")
    assert post(client, c["id"], "signature", staff["director"]).get_json()["status"] == "answered"
