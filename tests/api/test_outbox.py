"""The outbox: one queue for every notice, sent later with retries, idempotent per notice, dates recorded."""

import json
import socket
from datetime import UTC, date, datetime, timedelta

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import select, text
from sqlalchemy.orm import sessionmaker

from restructure import outbox
from restructure.orm import OutboxMessage
from restructure.outbox import (
    DECISION_DELIVERED,
    MAX_ATTEMPTS,
    Receipt,
    cabinet_notices,
    enqueue,
    record_delivery,
    send_due,
)
from restructure.outbox_channels import CabinetChannel, FileSmsGateway, SmsChannel, SmtpChannel
from restructure.uow import UnitOfWork
from tests.conftest import TODAY

NOW = datetime(2026, 11, 25, 9, 0, tzinfo=UTC)


def queue(uow, key="k1", kind="delinquency", channel="cabinet", recipient=None, borrower_id=None, reference=None):
    with uow() as u:
        message = enqueue(
            u.session,
            key=key,
            kind=kind,
            channel=channel,
            borrower_id=borrower_id,
            recipient=recipient,
            subject="Notice",
            body="Text of the notice",
            reference=reference or {},
            now=NOW,
        )
        u.commit()
        return message.id


def stored(uow, message_id):
    with uow() as u:
        return u.session.get(OutboxMessage, message_id)


class Recorder:
    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 - aiosmtpd's hook name
        self.messages.append((envelope.rcpt_tos, envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp_server():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    recorder = Recorder()
    controller = Controller(recorder, hostname="127.0.0.1", port=port)
    controller.start()
    yield recorder, f"smtp://127.0.0.1:{port}?from=notices@lender.kz"
    controller.stop()


def test_an_email_notice_goes_through_a_real_smtp_server_and_is_sent_not_yet_delivered(uow, smtp_server):
    recorder, url = smtp_server
    message_id = queue(uow, channel="email", recipient="borrower@example.kz")
    report = send_due(uow, {"email": SmtpChannel(url)}, today=TODAY, now=NOW)
    assert report.sent == [message_id]
    [(recipients, content)] = recorder.messages
    assert recipients == ["borrower@example.kz"]
    assert "Subject: Notice" in content and "Text of the notice" in content
    message = stored(uow, message_id)
    assert (message.status, message.sent_on, message.delivered_on) == ("sent", TODAY, None)
    assert send_due(uow, {"email": SmtpChannel(url)}, today=TODAY, now=NOW).sent == []  # never twice


def test_a_failing_channel_is_retried_with_exponential_backoff(uow):
    class Flaky:
        calls = 0

        def send(self, message):
            Flaky.calls += 1
            if Flaky.calls < 3:
                raise ConnectionError("gateway down")
            return Receipt(delivered=True)

    message_id = queue(uow, channel="sms", recipient="+77010000000")
    channels = {"sms": Flaky()}
    assert send_due(uow, channels, today=TODAY, now=NOW).retried == [message_id]
    first = stored(uow, message_id)
    assert (first.attempts, first.next_attempt_at, first.last_error) == (
        1,
        NOW + timedelta(minutes=1),
        "ConnectionError",
    )
    assert send_due(uow, channels, today=TODAY, now=NOW + timedelta(seconds=59)).retried == []  # not due yet
    send_due(uow, channels, today=TODAY, now=NOW + timedelta(minutes=1))
    assert stored(uow, message_id).next_attempt_at == NOW + timedelta(minutes=3)  # then 2 minutes
    report = send_due(uow, channels, today=TODAY, now=NOW + timedelta(minutes=3))
    assert report.delivered == [message_id]
    assert (stored(uow, message_id).attempts, stored(uow, message_id).status) == (3, "delivered")


def test_a_message_fails_for_good_after_the_last_attempt(uow):
    class Down:
        def send(self, message):
            raise OSError("refused")

    message_id = queue(uow, channel="email", recipient="b@example.kz")
    later = NOW
    for _ in range(MAX_ATTEMPTS):
        send_due(uow, {"email": Down()}, today=TODAY, now=later)
        later += timedelta(days=1)
    assert (stored(uow, message_id).status, stored(uow, message_id).attempts) == ("failed", MAX_ATTEMPTS)


def test_enqueueing_the_same_notice_twice_keeps_one_message(uow):
    assert queue(uow, key="decision:7") == queue(uow, key="decision:7")
    with uow() as u:
        assert len(list(u.session.scalars(select(OutboxMessage)))) == 1


def test_the_file_sms_gateway_writes_the_text_and_reports_delivery(uow, tmp_path):
    message_id = queue(uow, channel="sms", recipient="+77010000000")
    send_due(uow, {"sms": SmsChannel(FileSmsGateway(tmp_path))}, today=TODAY, now=NOW)
    [line] = (tmp_path / "sms.ndjson").read_text(encoding="utf-8").splitlines()
    assert json.loads(line) | {"at": None} == {
        "at": None,
        "to": "+77010000000",
        "text": "Text of the notice",
        "reference": "k1",
    }
    assert stored(uow, message_id).delivered_on == TODAY


def test_the_cabinet_shows_the_borrowers_sent_notices(uow, make_borrower):
    mine, other = make_borrower()["id"], make_borrower()["id"]
    sent = queue(uow, key="a", borrower_id=mine)
    queue(uow, key="b", borrower_id=other)
    assert cabinet_notices(uow(), mine) == []  # queued is not yet in the cabinet
    send_due(uow, {"cabinet": CabinetChannel()}, today=TODAY, now=NOW)
    assert [m.id for m in cabinet_notices(uow(), mine)] == [sent]
    assert stored(uow, sent).delivered_on == TODAY


def test_a_delivered_decision_notice_feeds_the_clocks_through_the_seam(uow, monkeypatch):
    calls = []
    monkeypatch.setattr(
        outbox, "DECISION_DELIVERED", [lambda session, app_id, channel, day: calls.append((app_id, channel, day))]
    )
    decision = queue(
        uow, key="decision:41", kind="decision", channel="sms", recipient="+7701", reference={"application_id": 41}
    )
    queue(uow, key="delinquency:1", channel="sms", recipient="+7701")
    send_due(
        uow, {"sms": SmsChannel(type("Later", (), {"send_sms": lambda self, *a, **k: False})())}, today=TODAY, now=NOW
    )
    assert calls == []  # sent, delivery not yet reported
    record_delivery(uow(), decision, delivered_on=date(2026, 11, 27))
    record_delivery(uow(), decision, delivered_on=date(2026, 11, 28))  # a second report changes nothing
    assert calls == [(41, "sms", date(2026, 11, 27))]
    assert [hook.__name__ for hook in DECISION_DELIVERED] == ["_record_decision_delivery"]  # wired by default


@pytest.mark.postgres_only
def test_a_message_locked_by_another_worker_is_skipped(engine):
    factory = sessionmaker(bind=engine, expire_on_commit=False)
    with engine.begin() as connection:
        message_id = connection.execute(
            text(
                "INSERT INTO outbox (key, kind, channel, subject, body, reference, status, attempts, next_attempt_at,"
                " created_at) VALUES ('lock-test', 'delinquency', 'cabinet', 's', 'b', '{}', 'pending', 0, :now, :now)"
                " RETURNING id"
            ),
            {"now": NOW},
        ).scalar_one()
    try:
        with engine.connect() as other:
            locker = other.begin()
            other.execute(text("SELECT id FROM outbox WHERE id = :id FOR UPDATE"), {"id": message_id})
            report = send_due(lambda: UnitOfWork(factory), {"cabinet": CabinetChannel()}, today=TODAY, now=NOW)
            assert message_id not in report.sent
            locker.rollback()
        report = send_due(lambda: UnitOfWork(factory), {"cabinet": CabinetChannel()}, today=TODAY, now=NOW)
        assert message_id in report.sent
    finally:
        with engine.begin() as connection:
            connection.execute(text("DELETE FROM outbox WHERE id = :id"), {"id": message_id})


def test_a_delivered_decision_notice_starts_the_paper_applications_periods(
    client, officer, token_for, make_application, uow
):
    """SPEC §8 Periods run from delivery, fed by the outbox (SPEC §10 Delivery): a post application's counter-offer
    has no response date until its decision notice is delivered; delivered on 11-26 it is due 11-26 + 30."""
    from datetime import date

    from restructure.outbox import record_delivery
    from tests.api.test_hard_cases_workflow import counter_offer

    application = make_application(channel="post")
    offered = counter_offer(client, officer, token_for("rights_officer"), application["id"], {"extra_months": 6})
    assert offered["response_due_on"] is None
    message_id = queue(
        uow,
        key=f"decision:{application['id']}",
        kind="decision",
        channel="email",
        recipient="b@example.kz",
        borrower_id=application["borrower_id"],
        reference={"application_id": application["id"]},
    )
    record_delivery(uow(), message_id, delivered_on=date(2026, 11, 26))
    after = client.get(f"/api/v1/applications/{application['id']}", headers=officer).json
    assert (after["delivered_on"], after["response_due_on"], after["delivery_channel"]) == (
        "2026-11-26",
        "2026-12-26",
        "email",
    )
    record_delivery(uow(), message_id, delivered_on=date(2026, 11, 26))  # a repeated report changes nothing
    assert client.get(f"/api/v1/applications/{application['id']}", headers=officer).json == after


def test_every_application_notice_is_queued_once_in_the_borrowers_language(
    app, client, officer, token_for, make_application, uow
):
    """SPEC §10 Delivery: the acknowledgement and the decision notice reach the outbox once each (key per notice);
    the cabinet copy of a paper application's decision leaves its periods waiting for the letter (SPEC §8)."""
    from api.notices import outbox_text
    from restructure.notice_queue import queue_application_notices
    from restructure.outbox import cabinet_notices
    from restructure.outbox_channels import CabinetChannel
    from tests.api.test_hard_cases_workflow import counter_offer

    def queue_all():
        with app.test_request_context():
            return queue_application_notices(uow, outbox_text, now=NOW)

    application = make_application(channel="post")
    assert queue_all() == 1  # the acknowledgement
    assert queue_all() == 0
    counter_offer(client, officer, token_for("rights_officer"), application["id"], {"extra_months": 6})
    assert queue_all() == 1  # the counter-offer
    assert queue_all() == 0
    send_due(uow, {"cabinet": CabinetChannel()}, today=TODAY, now=NOW)
    notices = cabinet_notices(uow(), application["borrower_id"])
    assert sorted((n.kind, n.reference["notice"]) for n in notices) == [
        ("acknowledgement", "acknowledgement"),
        ("decision", "counter_offer"),
    ]
    assert {n.subject for n in notices} == {
        "Ваше заявление о реструктуризации принято",
        "Встречное предложение по вашему заявлению о реструктуризации",
    }  # the borrower's language (ru)
    after = client.get(f"/api/v1/applications/{application['id']}", headers=officer).json
    assert (after["delivered_on"], after["response_due_on"]) == (None, None)


def test_a_signed_complaint_answer_reaches_the_borrowers_cabinet_once(app, token_for, make_borrower, uow, client):
    """SPEC §10 Delivery: the complaint answer goes through the same outbox, in the complaint's language (kk)."""
    from api import complaint_letters
    from restructure.notice_queue import queue_complaint_letters
    from restructure.outbox import cabinet_notices
    from restructure.outbox_channels import CabinetChannel
    from tests.api.test_complaints import answered

    borrower = make_borrower()
    staff = {role: token_for(role) for role in ("credit_officer", "rights_officer", "lawyer", "director")}
    signed = answered(client, staff, borrower_id=borrower["id"], applicant=None, language="kk")

    def queue_all():
        with app.test_request_context():
            return queue_complaint_letters(uow, complaint_letters.outbox_text, now=NOW)

    assert (queue_all(), queue_all()) == (1, 0)
    send_due(uow, {"cabinet": CabinetChannel()}, today=TODAY, now=NOW)
    [notice] = cabinet_notices(uow(), borrower["id"])
    assert (notice.kind, notice.subject) == ("complaint_answer", f"Шағымыңызға жауап {signed['number']}")
    assert signed["answer"]["outgoing_number"] in notice.body
