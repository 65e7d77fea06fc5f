"""The complaint register under racing requests on PostgreSQL, with real commits: gap-free numbers, one winner."""

import pytest
from sqlalchemy import func, select

from api.runtime import runtime
from restructure.complaints_numbering import INCOMING, next_number
from restructure.complaints_orm import ComplaintEvent
from restructure.uow import UnitOfWork
from tests.integration.test_concurrency import headers, live, post, race  # noqa: F401 - the live fixture

URL = "/api/v1/complaints"
BODY = {
    "kind": "complaint",
    "channel": "phone",
    "language": "kk",
    "text": "Қоңырау түнде болды",
    "received_on": "2026-11-24",
    "applicant": {"name": "Клиент"},
}


def register(app, auth):
    return post(app, URL, BODY, auth)


@pytest.mark.postgres_only
def test_concurrent_registrations_get_gap_free_numbers(live):  # noqa: F811
    officers = [headers(live, "credit_officer") for _ in range(12)]
    results = race(*[lambda auth=auth: register(live, auth) for auth in officers])
    assert [r.status_code for r in results] == [201] * 12
    numbers = sorted(r.json["number"] for r in results)
    assert numbers == [f"IN-2026-{n:06d}" for n in range(1, 13)]


@pytest.mark.postgres_only
def test_concurrent_signatures_get_gap_free_outgoing_numbers(live):  # noqa: F811
    officer, rights, lawyer = headers(live, "credit_officer"), headers(live, "rights_officer"), headers(live, "lawyer")
    directors = [headers(live, "director") for _ in range(6)]
    ids = []
    for _ in directors:
        cid = register(live, officer).json["id"]
        post(live, f"{URL}/{cid}/assignment", {"unit": "credit"}, rights)
        post(live, f"{URL}/{cid}/answer", {"outcome": "upheld", "text": "t"}, rights)
        assert post(live, f"{URL}/{cid}/legal-review", {"verdict": "approve"}, lawyer).status_code == 200
        ids.append(cid)
    results = race(
        *[
            lambda cid=cid, d=d: post(live, f"{URL}/{cid}/signature", {}, d)
            for cid, d in zip(ids, directors, strict=True)
        ]
    )
    assert [r.status_code for r in results] == [200] * 6
    assert sorted(r.json["answer"]["outgoing_number"] for r in results) == [f"OUT-2026-{n:06d}" for n in range(1, 7)]


@pytest.mark.postgres_only
@pytest.mark.parametrize("attempt", range(3))
def test_two_racing_transitions_on_one_complaint_have_one_winner(live, attempt):  # noqa: F811
    officer = headers(live, "credit_officer")
    first, second = headers(live, "rights_officer"), headers(live, "rights_officer")
    cid = register(live, officer).json["id"]
    results = race(
        lambda: post(live, f"{URL}/{cid}/refusal", {"reason": "unreadable", "comment": "Не читается"}, first),
        lambda: post(live, f"{URL}/{cid}/refusal", {"reason": "outside_competence", "comment": "В АРРФР"}, second),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    with UnitOfWork(runtime(live).session_factory) as uow:
        count = uow.session.scalar(
            select(func.count(ComplaintEvent.id)).where(
                ComplaintEvent.complaint_id == cid, ComplaintEvent.kind == "refused_on_merits"
            )
        )
    assert count == 1


@pytest.mark.postgres_only
def test_two_directors_signing_one_answer_give_one_outgoing_number(live):  # noqa: F811
    officer, rights, lawyer = headers(live, "credit_officer"), headers(live, "rights_officer"), headers(live, "lawyer")
    cid = register(live, officer).json["id"]
    post(live, f"{URL}/{cid}/assignment", {"unit": "credit"}, rights)
    post(live, f"{URL}/{cid}/answer", {"outcome": "upheld", "text": "t"}, rights)
    post(live, f"{URL}/{cid}/legal-review", {"verdict": "approve"}, lawyer)
    results = race(
        lambda: post(live, f"{URL}/{cid}/signature", {}, headers(live, "director")),
        lambda: post(live, f"{URL}/{cid}/signature", {}, headers(live, "director")),
    )
    assert sorted(r.status_code for r in results) == [200, 409]
    cid2 = register(live, officer).json["id"]
    post(live, f"{URL}/{cid2}/assignment", {"unit": "credit"}, rights)
    post(live, f"{URL}/{cid2}/answer", {"outcome": "upheld", "text": "t"}, rights)
    post(live, f"{URL}/{cid2}/legal-review", {"verdict": "approve"}, lawyer)
    signed = post(live, f"{URL}/{cid2}/signature", {}, headers(live, "director"))
    assert signed.json["answer"]["outgoing_number"] == "OUT-2026-000002"  # the loser used up no number


def test_a_rolled_back_registration_gives_its_number_back(uow):
    with uow() as work:
        assert next_number(work, INCOMING, 2031) == "IN-2031-000001"
        work.rollback()
    with uow() as work:
        assert next_number(work, INCOMING, 2031) == "IN-2031-000001"
        assert next_number(work, INCOMING, 2031) == "IN-2031-000002"
