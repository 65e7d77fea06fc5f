"""Demo data for training and evaluation: borrowers in several situations, loans in arrears, a token per role."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask import Flask
from sqlalchemy import select

from api.runtime import runtime
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER
from restructure.borrowers import BorrowerData, register_borrower
from restructure.iin import make_iin
from restructure.loans import LoanData, register_loan
from restructure.orm import Loan
from restructure.uow import UnitOfWork
from restructure.users import create_user


@dataclass(frozen=True)
class DemoBorrower:
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
    secured_by: str = "none"


BOOK = (
    DemoBorrower(
        "Айгерим Садыкова",
        date(1991, 3, 14),
        True,
        "kk",
        ("single_parent_family",),
        False,
        False,
        "25000.00",
        "900000.00",
        "38.00",
        24,
        9,
        2,
    ),
    DemoBorrower(
        "Иван Ким",
        date(1958, 7, 2),
        False,
        "ru",
        ("old_age_pensioner",),
        True,
        False,
        "0.00",
        "400000.00",
        "42.00",
        18,
        6,
        1,
    ),
    DemoBorrower(
        "Дана Омарова",
        date(1987, 11, 30),
        True,
        "kk",
        (),
        False,
        True,
        "40000.00",
        "1500000.00",
        "34.50",
        36,
        14,
        3,
    ),
    DemoBorrower(
        "Марат Ахметов",
        date(1979, 1, 9),
        False,
        "ru",
        (),
        False,
        False,
        "60000.00",
        "2000000.00",
        "29.90",
        48,
        20,
        0,
    ),
    DemoBorrower(
        "Сауле Жумабаева",
        date(1983, 5, 21),
        True,
        "kk",
        ("disability_group_1_2", "large_family"),
        False,
        False,
        "15000.00",
        "3500000.00",
        "24.00",
        60,
        18,
        2,
        "mortgage",
    ),
)


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


def seed(app: Flask, echo: Callable[[str], object]) -> None:
    """Seed the book once (it is recognised by its contract numbers) and mint fresh tokens every time."""
    rt = runtime(app)
    today, now = rt.clock.today(), rt.clock.now()

    def uow() -> UnitOfWork:
        return UnitOfWork(rt.session_factory)

    with uow() as work:
        first_loan = work.session.scalar(select(Loan).where(Loan.contract_number == "DEMO-0001"))
        first_borrower_id = None if first_loan is None else first_loan.borrower_id
    if first_borrower_id is None:
        for number, person in enumerate(BOOK, start=1):
            borrower = register_borrower(
                uow(),
                BorrowerData(
                    iin=make_iin(person.born, female=person.female, serial=1000 + number),
                    full_name=person.name,
                    language=person.language,
                    vulnerable_categories=person.categories,
                    targeted_social_assistance=person.social_assistance,
                    emergency_affected=person.emergency,
                    other_monthly_debt_payments=Decimal(person.other_debt),
                ),
                today=today,
                now=now,
            )
            first_borrower_id = first_borrower_id or borrower.id
            principal, rate = Decimal(person.principal), Decimal(person.rate)
            payment = _level_payment(principal, rate, person.term)
            paid_through = person.months_paid - person.overdue_months
            balance_due = _balance_after(principal, rate, payment, paid_through)
            balance_now = _balance_after(principal, rate, payment, person.months_paid)
            overdue_principal = balance_due - balance_now
            overdue_interest = payment * person.overdue_months - overdue_principal
            issued = _months_before(today, person.months_paid)
            register_loan(
                uow(),
                LoanData(
                    borrower_id=borrower.id,
                    contract_number=f"DEMO-{number:04d}",
                    issued_on=issued,
                    principal=principal,
                    annual_rate_pct=rate,
                    term_months=person.term,
                    method="annuity",
                    day_count="30E/360",
                    payment_day=issued.day,
                    secured_by=person.secured_by,
                    collateral_value=principal * 2 if person.secured_by != "none" else None,
                    as_of=today,
                    outstanding_principal=balance_now,
                    overdue_principal=overdue_principal,
                    overdue_interest=overdue_interest,
                    penalties=(payment * person.overdue_months * Decimal("0.05")).quantize(Decimal("0.01")),
                    overdue_since=_months_before(today, person.overdue_months)
                    if person.overdue_months
                    else None,
                    remaining_term_months=person.term - person.months_paid,
                    scheduled_payment=payment,
                    next_payment_on=_months_before(today, -1),
                ),
                today=today,
                now=now,
            )
        echo(f"Seeded {len(BOOK)} borrowers with loans DEMO-0001..DEMO-{len(BOOK):04d}.")
    else:
        echo("Demo book already present; minting fresh tokens.")
    echo("")
    echo("Tokens (each shown once):")
    for role, name, borrower_id in (
        (CREDIT_OFFICER, "Demo credit officer", None),
        (RIGHTS_OFFICER, "Demo client-rights officer", None),
        (ADMIN, "Demo admin", None),
        (BORROWER, "Demo borrower (DEMO-0001)", first_borrower_id),
    ):
        user = create_user(uow(), name=name, role=role, borrower_id=borrower_id, now=now)
        echo(f"  {role:15} {user.token}")
    echo("")
    echo("Try:  curl -H 'Authorization: Bearer <credit_officer token>' http://127.0.0.1:8000/api/v1/loans/1")
    echo("Docs: http://127.0.0.1:8000/api/v1/docs")
