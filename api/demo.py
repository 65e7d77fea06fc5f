"""Demo data for training and evaluation: a realistic book of borrowers in several situations, loans in arrears,
applications in every state of the workflow (one overdue, one lapsed), and a token per role.

Every application is driven through the real services at past business dates, so its trail, clocks and
assessment are exactly what the service would have recorded.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from flask import Flask
from sqlalchemy import select

from api.runtime import runtime
from restructure import applications as service
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, Actor
from restructure.borrowers import BorrowerData, register_borrower
from restructure.complaints_demo import seed_complaints
from restructure.deadlines import sweep
from restructure.iin import make_iin
from restructure.loans import LoanData, register_loan
from restructure.orm import Loan
from restructure.uow import UnitOfWork
from restructure.users import create_user


@dataclass(frozen=True)
class Case:
    """One borrower, their loan, and the story of their application."""

    name: str
    born: date
    female: bool
    language: str
    categories: tuple[str, ...]
    social_assistance: bool
    emergency: bool
    other_debt: str
    principal: str
    rate: str
    term: int
    months_paid: int
    overdue_months: int
    usual_income: str
    recent_income: str
    story: str
    requested: dict[str, Any]
    secured_by: str = "none"


BOOK = (
    Case("Айгерим Садыкова", date(1991, 3, 14), True, "kk", ("single_parent_family",), False, False, "25000.00",
         "900000.00", "38.00", 24, 9, 2, "320000.00", "150000.00", "received",
         {"deferral_months": 3, "deferral_of": "principal"}),
    Case("Иван Ким", date(1958, 7, 2), False, "ru", ("old_age_pensioner",), True, False, "0.00",
         "400000.00", "42.00", 18, 6, 1, "160000.00", "150000.00", "awaiting_documents",
         {"payment_cut_pct": "50"}),
    Case("Дана Омарова", date(1987, 11, 30), True, "kk", (), False, True, "40000.00",
         "1500000.00", "34.50", 36, 14, 3, "450000.00", "200000.00", "under_review",
         {"deferral_months": 3, "deferral_of": "principal_and_interest"}),
    Case("Марат Ахметов", date(1979, 1, 9), False, "ru", (), False, False, "60000.00",
         "2000000.00", "29.90", 48, 20, 1, "520000.00", "380000.00", "overdue",
         {"extra_months": 12}),
    Case("Сауле Жумабаева", date(1983, 5, 21), True, "kk", ("disability_group_1_2", "large_family"), False, False,
         "15000.00", "3500000.00", "24.00", 60, 18, 2, "600000.00", "390000.00", "decision_proposed",
         {"extra_months": 24}, "mortgage"),
    Case("Ержан Нурланов", date(1990, 9, 17), False, "kk", (), False, False, "30000.00",
         "700000.00", "36.00", 24, 10, 1, "280000.00", "190000.00", "agreed",
         {"extra_months": 6, "forgive": {"penalties": "all"}}),
    Case("Ольга Петренко", date(1975, 2, 28), True, "ru", ("widow_with_dependent_children",), False, False,
         "20000.00", "1200000.00", "33.00", 36, 12, 2, "380000.00", "240000.00", "awaiting_borrower",
         {"new_rate_pct": "20.00"}),
    Case("Бауыржан Тлеуов", date(1969, 12, 5), False, "kk", (), False, False, "45000.00",
         "850000.00", "39.00", 24, 8, 3, "300000.00", "210000.00", "lapsed",
         {"extra_months": 12}),
    Case("Гульмира Абенова", date(1994, 6, 11), True, "ru", (), False, False, "90000.00",
         "600000.00", "35.00", 24, 12, 0, "650000.00", "640000.00", "refused",
         {"new_rate_pct": "10.00"}),
    Case("Тимур Ли", date(1985, 4, 3), False, "ru", (), False, False, "10000.00",
         "500000.00", "37.00", 18, 7, 1, "240000.00", "200000.00", "withdrawn",
         {"extra_months": 6}),
)
"""Stories: where each application stands today. ``received`` and the others are their current status."""

RECEIVED_DAYS_AGO = {
    "received": 3, "awaiting_documents": 10, "under_review": 20, "overdue": 20, "decision_proposed": 12,
    "agreed": 40, "awaiting_borrower": 25, "lapsed": 70, "refused": 24, "withdrawn": 6,
}


def _level_payment(principal: Decimal, rate_pct: Decimal, months: int) -> Decimal:
    r = rate_pct / Decimal(1200)
    return (principal * r / (1 - (1 + r) ** -months)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _months_before(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 - months
    return date(index // 12, index % 12 + 1, min(day.day, 28))


def _balance_after(principal: Decimal, rate_pct: Decimal, payment: Decimal, months: int) -> Decimal:
    balance = principal
    for _ in range(months):
        interest = (balance * rate_pct / Decimal(1200)).quantize(Decimal("0.01"), ROUND_HALF_UP)
        balance -= payment - interest
    return balance


def _incomes(case: Case, received_on: date) -> list[dict[str, str]]:
    month = received_on.year * 12 + received_on.month - 1
    rows = []
    for back in range(12, 0, -1):
        i = month - back
        rows.append({
            "month": f"{i // 12:04d}-{i % 12 + 1:02d}",
            "amount": case.recent_income if back <= 2 else case.usual_income,
        })
    return rows


def _loan(case: Case, borrower_id: int, number: int, today: date) -> LoanData:
    principal, rate = Decimal(case.principal), Decimal(case.rate)
    payment = _level_payment(principal, rate, case.term)
    balance_due = _balance_after(principal, rate, payment, case.months_paid - case.overdue_months)
    balance_now = _balance_after(principal, rate, payment, case.months_paid)
    overdue_principal = balance_due - balance_now
    issued = _months_before(today, case.months_paid + 3)
    return LoanData(
        borrower_id=borrower_id,
        contract_number=f"DEMO-{number:04d}",
        issued_on=issued,
        principal=principal,
        annual_rate_pct=rate,
        term_months=case.term,
        method="annuity",
        day_count="30E/360",
        payment_day=issued.day,
        secured_by=case.secured_by,
        collateral_value=principal * 2 if case.secured_by != "none" else None,
        as_of=today,
        outstanding_principal=balance_now,
        overdue_principal=overdue_principal,
        overdue_interest=payment * case.overdue_months - overdue_principal,
        penalties=(payment * case.overdue_months * Decimal("0.05")).quantize(Decimal("0.01")),
        overdue_since=_months_before(today, case.overdue_months) if case.overdue_months else None,
        remaining_term_months=case.term - case.months_paid,
        scheduled_payment=payment,
        next_payment_on=_months_before(today, -1),
    )


def _tell(
    case: Case, loan_id: int, uow: Callable[[], UnitOfWork], staff: dict[str, Actor], borrower: Actor,
    today: date, now: datetime,
) -> None:
    """Drive one application through the services to its story's state, at the business dates it happened."""
    officer, rights = staff[CREDIT_OFFICER], staff[RIGHTS_OFFICER]
    received_on = today - timedelta(days=RECEIVED_DAYS_AGO[case.story])

    def day(offset: int) -> date:
        return received_on + timedelta(days=offset)

    cabinet = case.story in ("received", "withdrawn", "awaiting_borrower", "lapsed")
    app = service.submit(
        uow(),
        borrower if cabinet else officer,
        service.NewApplication(
            loan_id=loan_id, language=case.language, reasons=("income_loss",),
            statement="Доход снизился, прошу пересмотреть график.", requested=case.requested,
            incomes=_incomes(case, received_on), channel=None if cabinet else "office", received_on=received_on,
        ),
        today=received_on, now=now,
    )
    counter_offer = service.Proposal(outcome="counter_offer", plan={"extra_months": 12})
    match case.story:
        case "awaiting_documents":
            service.request_documents(uow(), officer, app.id, items=["Справка о доходах за 6 месяцев"],
                                      respond_by=today + timedelta(days=5), today=day(2), now=now)
        case "under_review":
            service.request_documents(uow(), officer, app.id, items=["Справка о чрезвычайной ситуации"],
                                      respond_by=day(10), today=day(2), now=now)
            service.receive_documents(uow(), officer, app.id, items=["Справка акимата"], received_on=day(8),
                                      today=day(8), now=now)
        case "decision_proposed":
            service.propose(uow(), officer, app.id, counter_offer, today=day(10), now=now)
        case "agreed":
            service.propose(uow(), officer, app.id, service.Proposal(outcome="accept"), today=day(9), now=now)
            service.concur(uow(), rights, app.id, verdict="approve", comment="Согласовано.", today=day(11), now=now)
        case "awaiting_borrower" | "lapsed":
            service.propose(uow(), officer, app.id, counter_offer, today=day(8), now=now)
            service.concur(uow(), rights, app.id, verdict="approve", comment="", today=day(10), now=now)
        case "refused":
            service.propose(
                uow(), officer, app.id,
                service.Proposal(outcome="refuse", reasons=("no_hardship_shown",),
                                 comment="Ваш доход за последние два месяца не снизился."),
                today=day(12), now=now,
            )
            service.concur(uow(), rights, app.id, verdict="approve", comment="", today=day(14), now=now)
        case "withdrawn":
            service.withdraw(uow(), borrower, app.id, reason="Погасил просрочку.", today=day(2), now=now)


def seed(app: Flask, echo: Callable[[str], object], base_url: str = "http://127.0.0.1:8000") -> None:
    """Seed the book once (it is recognised by its contract numbers) and mint fresh tokens every time.

    ``base_url`` is where the server will listen, for the hints printed at the end.
    """
    rt = runtime(app)
    today, now = rt.clock.today(), rt.clock.now()

    def uow() -> UnitOfWork:
        return UnitOfWork(rt.session_factory)

    with uow() as work:
        first_loan = work.session.scalar(select(Loan).where(Loan.contract_number == "DEMO-0001"))
        first_borrower_id = None if first_loan is None else first_loan.borrower_id
    tokens: list[tuple[str, str]] = []
    staff: dict[str, Actor] = {}
    for role, name in ((CREDIT_OFFICER, "Demo credit officer"), (RIGHTS_OFFICER, "Demo client-rights officer"),
                       (ADMIN, "Demo admin")):
        user = create_user(uow(), name=name, role=role, borrower_id=None, now=now)
        staff[role] = Actor(user_id=user.user_id, role=role)
        tokens.append((role, user.token))
    if first_borrower_id is None:
        for number, case in enumerate(BOOK, start=1):
            borrower = register_borrower(
                uow(),
                BorrowerData(
                    iin=make_iin(case.born, female=case.female, serial=1000 + number),
                    full_name=case.name, language=case.language, vulnerable_categories=case.categories,
                    targeted_social_assistance=case.social_assistance, emergency_affected=case.emergency,
                    other_monthly_debt_payments=Decimal(case.other_debt),
                ),
                today=today, now=now,
            )
            first_borrower_id = first_borrower_id or borrower.id
            loan = register_loan(uow(), _loan(case, borrower.id, number, today), today=today, now=now)
            owner = create_user(uow(), name=f"Borrower {number}", role=BORROWER, borrower_id=borrower.id, now=now)
            _tell(case, loan.loan.id, uow, staff, Actor(owner.user_id, BORROWER, borrower.id), today, now)
        report = sweep(uow, today=today, now=now)
        echo(f"Seeded {len(BOOK)} borrowers, loans DEMO-0001..DEMO-{len(BOOK):04d}, and an application for each:")
        for number, case in enumerate(BOOK, start=1):
            echo(f"  application {number:2}  {case.story:18} ({case.language}, loan DEMO-{number:04d})")
        echo(f"  the sweeper lapsed {len(report.lapsed)} counter-offer(s) and recorded "
             f"{len(report.breaches)} deadline breach(es)")
    else:
        echo("Demo book already present; minting fresh tokens.")
    assert first_borrower_id is not None  # noqa: S101 - seeded above
    tokens += seed_complaints(uow, staff, first_borrower_id, today=today, now=now, echo=echo)
    tokens.append((BORROWER, create_user(uow(), name="Demo borrower (DEMO-0001)", role=BORROWER,
                                         borrower_id=first_borrower_id, now=now).token))
    echo("")
    echo("Tokens (each shown once):")
    for role, token in tokens:
        echo(f"  {role:15} {token}")
    echo("")
    echo(f"What to try (API={base_url}/api/v1, T=<a token>):")
    echo("  the queue, overdue first:    curl -H \"Authorization: Bearer $T\" $API/applications")
    echo("  an application and its rules: curl -H \"Authorization: Bearer $T\" $API/applications/1")
    echo("  its append-only trail:        curl -H \"Authorization: Bearer $T\" $API/applications/8/events")
    echo("  the borrower's loan:          curl -H \"Authorization: Bearer <borrower token>\" $API/loans/1")
    echo(f"  interactive docs:             {base_url}/api/v1/docs")
    echo(f"  the cabinet and the console:  {base_url}/sign-in (paste a token)")
