"""The one test loan, shared by the tests, the end-to-end pages and the benchmarks.

A 600,000 KZT, 24-month, 36% annuity loan, 6 months in, one instalment overdue: as the JSON of ``POST /loans``
(:func:`loan_payload`), as the service's ``LoanData`` (:func:`loan_data`) and as the engine's ``LoanSnapshot``
(:func:`loan_snapshot`), each with any field changed. The hand-checked loans of ``tests/unit`` (figures a person can
follow with a calculator) stay beside their tests.
"""

from __future__ import annotations

import dataclasses
import itertools
import typing
from datetime import date
from decimal import Decimal
from typing import Any

from restructure.loans import LoanData
from schedules.terms import LoanSnapshot

LOAN: dict[str, Any] = {
    "issued_on": "2026-05-10",
    "principal": "600000.00",
    "annual_rate_pct": "36.00",
    "term_months": 24,
    "method": "annuity",
    "day_count": "30E/360",
    "payment_day": 10,
    "secured_by": "none",
    "as_of": "2026-11-20",
    "outstanding_principal": "450000.00",
    "overdue_principal": "20000.00",
    "overdue_interest": "15000.00",
    "penalties": "1500.00",
    "overdue_since": "2026-10-10",
    "remaining_term_months": 18,
    "scheduled_payment": "35428.09",
    "next_payment_on": "2026-12-10",
}
"""The snapshot as JSON (35,428.09 is the level payment on 600,000.00 at 3% a month over 24 months)."""

_numbers = itertools.count(1)


def loan_payload(borrower_id: int, contract_number: str | None = None, **overrides: Any) -> dict[str, Any]:
    """The body of ``POST /loans`` for ``borrower_id``; a fresh contract number unless one is given."""
    number = contract_number or f"T-{next(_numbers):05d}"
    return {"borrower_id": borrower_id, "contract_number": number, **LOAN} | overrides


def _typed(cls: type, values: dict[str, Any]) -> dict[str, Any]:
    hints = typing.get_type_hints(cls)
    out: dict[str, Any] = {}
    for name, value in values.items():
        kinds = set(typing.get_args(hints[name])) | {hints[name]}
        if value is None or not isinstance(value, str):
            out[name] = value
        elif Decimal in kinds:
            out[name] = Decimal(value)
        elif date in kinds:
            out[name] = date.fromisoformat(value)
        else:
            out[name] = value
    return out


def loan_data(borrower_id: int, contract_number: str | None = None, **overrides: Any) -> LoanData:
    """The same loan as the service's ``LoanData``."""
    payload = loan_payload(borrower_id, contract_number, **overrides)
    return LoanData(**_typed(LoanData, payload))


def loan_snapshot(**overrides: Any) -> LoanSnapshot:
    """The same loan as the engine's ``LoanSnapshot``; overrides may be JSON strings or typed values."""
    names = {f.name for f in dataclasses.fields(LoanSnapshot)}
    return LoanSnapshot(**_typed(LoanSnapshot, {k: v for k, v in (LOAN | overrides).items() if k in names}))
