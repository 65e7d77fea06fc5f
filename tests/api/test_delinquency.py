"""Delinquency notices (LMF Art. 9-2 p.1-2): due by overdue_since + 10, the window until overdue_since + 30."""

from datetime import date

from sqlalchemy import select

from api.clock import FixedClock
from api.runtime import runtime
from restructure.deadlines import sweep
from restructure.orm import OutboxMessage

URL = "/api/v1/delinquency"


def at(app, day):
    runtime(app).clock = FixedClock(day)


def test_the_list_shows_the_notice_day_and_the_window_and_whether_it_is_late(client, officer, make_loan):
    due = make_loan(overdue_since="2026-11-20")  # day 10 is 11-30: still due on 11-25
    late = make_loan(overdue_since="2026-10-10")  # day 10 was 10-20
    make_loan(overdue_since=None, overdue_principal="0.00", overdue_interest="0.00", penalties="0.00")
    items = {i["loan_id"]: i for i in client.get(URL, headers=officer).json["items"]}
    assert set(items) == {due["id"], late["id"]}
    assert (items[due["id"]]["status"], items[due["id"]]["notice_due_on"], items[due["id"]]["window_until"]) == (
        "due",
        "2026-11-30",
        "2026-12-20",
    )
    assert items[late["id"]]["status"] == "late"
    assert items[late["id"]]["overdue_amount"] == "36500.00"  # 20,000 + 15,000 + 1,500
    only_late = client.get(f"{URL}?status=late", headers=officer).json["items"]
    assert [i["loan_id"] for i in only_late] == [late["id"]]


def test_an_unknown_status_filter_is_422_naming_it(client, officer):
    response = client.get(f"{URL}?status=overdue", headers=officer)
    assert response.status_code == 422
    assert "query.status" in response.json["errors"]


def test_sending_records_the_day_and_lateness_and_queues_one_outbox_message(client, officer, make_loan, uow):
    loan = make_loan(overdue_since="2026-10-10")
    url = f"/api/v1/loans/{loan['id']}/delinquency-notice"
    sent = client.post(url, json={"channel": "email", "recipient": "b@example.kz"}, headers=officer)
    assert sent.status_code == 200, sent.json
    assert sent.json == {"sent_on": "2026-11-25", "channel": "email", "late": True}
    again = client.post(url, json={"channel": "email", "recipient": "b@example.kz"}, headers=officer)
    assert again.json == sent.json
    with uow() as u:
        messages = list(u.session.scalars(select(OutboxMessage)))
    assert [(m.kind, m.channel, m.status) for m in messages] == [("delinquency", "email", "pending")]
    assert "2026-11-09" in messages[0].body or "9 November 2026" in messages[0].body or "ноября" in messages[0].body
    listed = client.get(f"{URL}?status=sent", headers=officer).json["items"]
    assert [(i["loan_id"], i["late"]) for i in listed] == [(loan["id"], True)]


def test_email_needs_a_recipient(client, officer, make_loan):
    loan = make_loan()
    response = client.post(f"/api/v1/loans/{loan['id']}/delinquency-notice", json={"channel": "email"}, headers=officer)
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["recipient"]


def test_a_loan_without_delinquency_has_no_notice(client, officer, make_loan):
    loan = make_loan(overdue_since=None, overdue_principal="0.00", overdue_interest="0.00", penalties="0.00")
    response = client.post(f"/api/v1/loans/{loan['id']}/delinquency-notice", json={}, headers=officer)
    assert response.status_code == 409


def test_the_notice_states_amount_right_window_and_consequences_in_each_language(client, officer, make_loan):
    loan = make_loan(overdue_since="2026-10-10")
    url = f"/api/v1/loans/{loan['id']}/delinquency-notice"
    ru = client.get(url, headers=officer)
    assert ru.status_code == 200
    assert ru.headers["Content-Language"] == "ru"
    text = ru.get_data(as_text=True)
    assert "36\xa0500,00" in text and "9 ноября 2026" in text and "коллектор" in text and "реструктуризации" in text
    kk = client.get(f"{url}?lang=kk", headers=officer).get_data(as_text=True)
    assert "Төлемдердің мерзімі өткені туралы хабарлама" in kk
    en = client.get(f"{url}?lang=en", headers=officer).get_data(as_text=True)
    assert "Last day to apply within the statutory period: 9 November 2026" in en


def test_a_borrower_reads_only_their_own_notice(client, make_loan, token_for):
    mine, other = make_loan(overdue_since="2026-10-10"), make_loan(overdue_since="2026-10-10")
    headers = token_for("borrower", mine["borrower_id"])
    assert client.get(f"/api/v1/loans/{mine['id']}/delinquency-notice", headers=headers).status_code == 200
    assert client.get(f"/api/v1/loans/{other['id']}/delinquency-notice", headers=headers).status_code == 404
    assert client.post(f"/api/v1/loans/{mine['id']}/delinquency-notice", json={}, headers=headers).status_code == 403


def test_the_sweeper_flags_notices_not_sent_by_day_ten(app, client, officer, make_loan, uow):
    on_time = make_loan(overdue_since="2026-11-16")  # day 10 is 11-26
    late = make_loan(overdue_since="2026-11-14")  # day 10 was 11-24
    report = sweep(uow, today=date(2026, 11, 25), now=runtime(app).clock.now())
    assert report.delinquency_late == [late["id"]]
    assert any(line.startswith("delinquency notices not sent by day 10 (loans): 1") for line in report.lines())
    client.post(f"/api/v1/loans/{late['id']}/delinquency-notice", json={}, headers=officer)
    assert sweep(uow, today=date(2026, 11, 25), now=runtime(app).clock.now()).delinquency_late == []
    assert on_time["id"] not in sweep(uow, today=date(2026, 11, 26), now=runtime(app).clock.now()).delinquency_late


def test_applications_show_whether_they_came_within_the_thirty_day_window(make_loan, make_application):
    within = make_application(loan_id=make_loan(overdue_since="2026-10-26")["id"])  # window until 11-25
    after = make_application(loan_id=make_loan(overdue_since="2026-10-25")["id"])  # window ended 11-24
    none = make_application(
        loan_id=make_loan(overdue_since=None, overdue_principal="0.00", overdue_interest="0.00", penalties="0.00")["id"]
    )
    assert (within["in_statutory_window"], after["in_statutory_window"], none["in_statutory_window"]) == (
        True,
        False,
        None,
    )


def test_the_quarterly_report_counts_applications_received_after_the_window(
    client, make_loan, make_application, token_for
):
    make_application(loan_id=make_loan(overdue_since="2026-10-26")["id"])
    after = make_application(loan_id=make_loan(overdue_since="2026-10-01")["id"])
    report = client.get("/api/v1/reports/quarterly?year=2026&quarter=4", headers=token_for("rights_officer"))
    assert report.status_code == 200, report.json
    assert report.json["intake"]["outside_statutory_window"] == {"count": 1, "ids": [after["id"]]}
