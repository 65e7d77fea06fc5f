"""What an offered plan changes for the borrower, from the loan and the plan the page already has (no service)."""

from __future__ import annotations

import calendar
from datetime import date
from decimal import Decimal
from typing import Any


def _day(value: Any) -> date | None:
    if value is None or value == "":
        return None
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def months_between(earlier: date, later: date) -> int:
    return (later.year - earlier.year) * 12 + later.month - earlier.month


def current_maturity(loan: Any) -> date | None:
    """The last due date of the loan as it stands: the next payment plus the remaining instalments after it."""
    first = _day(getattr(loan, "next_payment_on", None))
    remaining = getattr(loan, "remaining_term_months", None)
    if first is None or not remaining:
        return None
    index = first.year * 12 + first.month - 1 + int(remaining) - 1
    year, month = divmod(index, 12)
    return date(year, month + 1, min(first.day, calendar.monthrange(year, month + 1)[1]))


def what_changes(loan: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The payment now and after, the monthly difference, the end date now and after and the months between."""
    now = Decimal(str(loan.scheduled_payment))
    after = Decimal(str(plan["metrics"]["max_regular_payment"]))
    end_now = current_maturity(loan)
    end_after = _day(plan["metrics"].get("maturity_on"))
    moved = months_between(end_now, end_after) if end_now and end_after else None
    return {
        "now": now,
        "after": after,
        "saving": now - after,
        "end_now": end_now,
        "end_after": end_after,
        "months_moved": moved,
        "first_due_on": _day(plan["schedule"][0]["due_on"]) if plan.get("schedule") else None,
    }
