"""Pages: the console's delinquency list and a loan's notices; the cabinet's notices."""

from api.runtime import runtime
from restructure.uow import UnitOfWork
from restructure.users import create_user


def signed_in(app, client, role, borrower_id=None):
    from restructure.sessions import open_session

    user = create_user(
        UnitOfWork(runtime(app).session_factory),
        name=role,
        role=role,
        borrower_id=borrower_id,
        now=runtime(app).clock.now(),
    )
    opened = open_session(UnitOfWork(runtime(app).session_factory), user.token, now=runtime(app).clock.now())
    with client.session_transaction() as session:
        session["sid"] = opened.session_id
        session["lang"] = "en"


def test_the_console_lists_late_notices_and_a_loans_sent_notices(app, client, officer, make_loan):
    loan = make_loan(overdue_since="2026-10-10")
    signed_in(app, client, "credit_officer")
    page = client.get("/console/delinquency?status=late").get_data(as_text=True)
    assert loan["contract_number"] in page and "Late" in page
    client.post(f"/api/v1/loans/{loan['id']}/delinquency-notice", json={}, headers=officer)
    assert loan["contract_number"] not in client.get("/console/delinquency?status=late").get_data(as_text=True)
    notices = client.get(f"/console/loans/{loan['id']}/notices").get_data(as_text=True)
    assert "Уведомление о просрочке платежей" in notices  # the subject, in the borrower's language (ru)


def test_the_cabinet_lists_only_sent_notices(app, client, officer, make_loan, uow):
    from restructure.outbox import send_due
    from restructure.outbox_channels import CabinetChannel

    loan = make_loan(overdue_since="2026-10-10")
    client.post(f"/api/v1/loans/{loan['id']}/delinquency-notice", json={}, headers=officer)
    signed_in(app, client, "borrower", loan["borrower_id"])
    assert "No notices." in client.get("/cabinet/notices").get_data(as_text=True)
    send_due(uow, {"cabinet": CabinetChannel()}, today=runtime(app).clock.today(), now=runtime(app).clock.now())
    page = client.get("/cabinet/notices").get_data(as_text=True)
    assert "Уведомление о просрочке платежей" in page and "Delivered on" in page
