"""Demo complaints (SPEC §9): one in every state, one overdue, one extended without a timely notice, a suggestion,
a crime report forwarded to the authorities, and a systemic category. Driven through the real commands at past
business dates, so numbers, clocks and trails are what the service would have recorded."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from restructure import complaints as service
from restructure.access import CREDIT_OFFICER, DIRECTOR, LAWYER, RIGHTS_OFFICER, Actor
from restructure.complaints_deadlines import sweep_complaints
from restructure.complaints_intake import NewComplaint, register
from restructure.complaints_orm import Complaint
from restructure.orm import Application
from restructure.uow import UnitOfWork
from restructure.users import create_user

Story = tuple[str, int, dict[str, Any]]

STORIES: tuple[Story, ...] = (
    (
        "registered",
        2,
        {
            "channel": "cabinet",
            "language": "kk",
            "category": "penalty_calculation",
            "text": "Айыппұл дұрыс есептелмеген сияқты.",
        },
    ),
    (
        "in_progress",
        5,
        {
            "channel": "office",
            "language": "ru",
            "category": "penalty_calculation",
            "text": "Прошу проверить начисление пени за октябрь.",
        },
    ),
    (
        "answer_drafted",
        7,
        {
            "channel": "email",
            "language": "ru",
            "category": "staff_conduct",
            "text": "Сотрудник коллекторского отдела звонил после 22:00.",
        },
    ),
    (
        "legal_reviewed",
        9,
        {
            "channel": "post",
            "language": "kk",
            "category": "restructuring",
            "text": "Қайта құрылымдау туралы шешім түсініксіз.",
        },
    ),
    (
        "answered",
        20,
        {
            "channel": "phone",
            "language": "ru",
            "category": "penalty_calculation",
            "text": "Пеня начислена после досрочного погашения.",
        },
    ),
    (
        "closed",
        40,
        {
            "channel": "website",
            "language": "en",
            "category": "information",
            "text": "The schedule in my cabinet does not match the contract.",
        },
    ),
    (
        "refused_on_merits",
        6,
        {"channel": "social", "language": "ru", "anonymous": True, "text": "Верните деньги всем!"},
    ),
    ("withdrawn", 4, {"channel": "cabinet", "language": "kk", "text": "Төлем күнін ауыстырғым келеді."}),
    (
        "overdue",
        25,
        {
            "channel": "messenger",
            "language": "ru",
            "category": "restructuring",
            "text": "Заявление о реструктуризации не рассмотрено вовремя.",
        },
    ),
    (
        "extended_late",
        10,
        {
            "channel": "complaints_book",
            "language": "kk",
            "category": "staff_conduct",
            "text": "Кеңседегі қызметкер дөрекі сөйледі.",
        },
    ),
    (
        "suggestion",
        18,
        {
            "channel": "short_number",
            "language": "ru",
            "kind": "suggestion",
            "text": "Добавьте SMS-напоминание за три дня до платежа.",
        },
    ),
    (
        "forwarded",
        3,
        {
            "channel": "email",
            "language": "ru",
            "anonymous": True,
            "reports_crime": True,
            "text": "В офисе на Абая готовят подделку документов.",
        },
    ),
)

_ANSWER = {
    "outcome": "partly_upheld",
    "text": "Пеня пересчитана с даты досрочного погашения.",
    "lender_actions": "Сторнируем излишне начисленную пеню.",
    "client_actions": "Ничего не требуется.",
    "references": ["ЗоМФД ст. 6 п. 3", "Договор п. 4.2"],
}


def _staff(uow: Callable[[], UnitOfWork], now: datetime) -> tuple[dict[str, Actor], list[tuple[str, str]]]:
    actors: dict[str, Actor] = {}
    tokens: list[tuple[str, str]] = []
    for role, name in ((LAWYER, "Demo lawyer"), (DIRECTOR, "Demo director")):
        user = create_user(uow(), name=name, role=role, borrower_id=None, now=now)
        actors[role] = Actor(user_id=user.user_id, role=role)
        tokens.append((role, user.token))
    return actors, tokens


def _tell(
    uow: Callable[[], UnitOfWork],
    staff: Mapping[str, Actor],
    borrower: Actor | None,
    story: Story,
    application_id: int | None,
    today: date,
    now: datetime,
) -> None:
    name, ago, raw = story
    raw = dict(raw)

    def day(offset: int) -> date:
        return today - timedelta(days=offset)

    anonymous = raw.pop("anonymous", False)
    cabinet = raw["channel"] == "cabinet"
    actor = borrower if cabinet and borrower else staff[CREDIT_OFFICER]
    data = NewComplaint(
        kind=raw.pop("kind", "complaint"),
        received_on=None if cabinet else day(ago),
        applicant=None if anonymous or actor.is_borrower else {"name": "Демо клиент", "contact": "+77000000000"},
        application_id=application_id if name == "overdue" else None,
        **raw,
    )
    c = register(uow(), actor, data, today=day(ago), now=now)
    ro, lawyer, director = staff[RIGHTS_OFFICER], staff[LAWYER], staff[DIRECTOR]
    if name == "refused_on_merits":
        service.refuse(uow(), ro, c.id, reason="anonymous", comment="Заявитель не указан.", today=day(ago - 1), now=now)
    elif name == "withdrawn":
        service.withdraw(uow(), actor, c.id, reason="Вопрос решён", today=day(ago - 1), now=now)
    elif name == "forwarded":
        service.close(uow(), ro, c.id, summary="Передано в органы внутренних дел.", today=day(ago - 1), now=now)
    elif name == "extended_late":
        service.assign(uow(), ro, c.id, unit="Офис Алматы", handler="А. Омарова", today=day(ago - 1), now=now)
        service.extend(uow(), director, c.id, days=20, reason="Нужна видеозапись из офиса", today=day(ago - 2), now=now)
    elif name != "registered":
        service.assign(uow(), ro, c.id, unit="Кредитный отдел", handler="Е. Сейткали", today=day(ago - 1), now=now)
        if name in ("in_progress", "overdue"):
            service.request_information(
                uow(),
                ro,
                c.id,
                unit="Бухгалтерия",
                items=["расчёт пени"],
                due_on=day(ago - 3),
                outside_information=False,
                today=day(ago - 1),
                now=now,
            )
            return
        answer = (
            {"text": "Спасибо, добавим напоминания.", "lender_actions": "", "client_actions": "", "references": []}
            if name == "suggestion"
            else _ANSWER
        )
        service.draft_answer(uow(), ro, c.id, answer=answer, today=day(ago - 2), now=now)
        if name == "answer_drafted":
            return
        service.legal_review(uow(), lawyer, c.id, verdict="approve", comment="", today=day(ago - 3), now=now)
        if name == "legal_reviewed":
            return
        service.sign(uow(), director, c.id, today=day(ago - 4), now=now)
        if name == "closed":
            service.close(uow(), ro, c.id, summary="Пеня сторнирована.", today=day(ago - 6), now=now)


def seed_complaints(
    uow: Callable[[], UnitOfWork],
    staff: Mapping[str, Actor],
    borrower_id: int | None,
    *,
    today: date,
    now: datetime,
    echo: Callable[[str], object],
) -> list[tuple[str, str]]:
    """Seed the demo complaints once and return fresh lawyer and director tokens (every time)."""
    actors, tokens = _staff(uow, now)
    with uow() as work:
        if work.session.scalar(select(func.count()).select_from(Complaint)):
            return tokens
        application_id = work.session.scalar(
            select(Application.id).where(Application.borrower_id == borrower_id).order_by(Application.id)
        )
        owner = work.session.execute(
            select(Application.borrower_id).where(Application.borrower_id == borrower_id)
        ).first()
    borrower_user = None
    if borrower_id is not None:
        user = create_user(uow(), name="Demo complainant", role="borrower", borrower_id=borrower_id, now=now)
        borrower_user = Actor(user.user_id, "borrower", borrower_id)
    everyone = {**staff, **actors}
    for story in STORIES:
        _tell(uow, everyone, borrower_user, story, application_id if owner else None, today, now)
    report = sweep_complaints(uow, today=today, now=now)
    echo(f"Seeded {len(STORIES)} complaints ({', '.join(s[0] for s in STORIES)}); " + "; ".join(report.lines()))
    return tokens
