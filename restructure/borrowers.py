"""Registering borrowers with the facts the rules need (Housing Law Art. 68 categories, АСП, emergency)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select

from restructure.errors import Conflict, InvalidInput
from restructure.iin import iin_problems
from restructure.orm import Borrower
from restructure.uow import UnitOfWork
from rules.vulnerable import VULNERABLE_CATEGORIES

__all__ = ["VULNERABLE_CATEGORIES", "LANGUAGES", "BorrowerData", "register_borrower"]

LANGUAGES = ("kk", "ru", "en")


@dataclass(frozen=True)
class BorrowerData:
    """What ``POST /borrowers`` carries."""

    iin: str
    full_name: str
    language: str
    vulnerable_categories: tuple[str, ...] = ()
    targeted_social_assistance: bool = False
    emergency_affected: bool = False
    other_monthly_debt_payments: Decimal = Decimal("0.00")


def register_borrower(uow: UnitOfWork, data: BorrowerData, *, today: date, now: datetime) -> Borrower:
    """Validate and store a borrower; an IIN already registered is a conflict naming the existing record."""
    errors: dict[str, list[str]] = {}
    if problems := iin_problems(data.iin, today=today):
        errors["iin"] = problems
    unknown = sorted(set(data.vulnerable_categories) - set(VULNERABLE_CATEGORIES))
    if unknown:
        errors["vulnerable_categories"] = [
            f"Unknown Housing Law Art. 68 category: {code}." for code in unknown
        ]
    if errors:
        raise InvalidInput("The borrower cannot be registered.", errors)
    with uow:
        existing = uow.session.scalar(select(Borrower.id).where(Borrower.iin == data.iin))
        if existing is not None:
            raise Conflict(
                "A borrower with this IIN is already registered.", related={"borrower_id": existing}
            )
        borrower = Borrower(
            iin=data.iin,
            full_name=data.full_name.strip(),
            language=data.language,
            vulnerable_categories=list(dict.fromkeys(data.vulnerable_categories)),
            targeted_social_assistance=data.targeted_social_assistance,
            emergency_affected=data.emergency_affected,
            other_monthly_debt_payments=data.other_monthly_debt_payments,
            created_at=now,
        )
        uow.session.add(borrower)
        uow.commit()
        return borrower
