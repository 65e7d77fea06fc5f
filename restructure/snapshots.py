"""Conversions between stored records and the plain values ``rules/`` and ``schedules/`` take."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from restructure.errors import InvalidInput
from restructure.orm import Borrower, Loan
from rules.borrower import BorrowerFlags
from rules.errors import RulesError
from rules.income import parse_month
from schedules.terms import ALL, Forgiveness, LoanSnapshot, PlanParams

SNAPSHOT_FIELDS = tuple(f.name for f in dataclasses.fields(LoanSnapshot))
"""A loan snapshot's fields, declared once by ``schedules.terms.LoanSnapshot``."""


_DEFAULTED = frozenset(f.name for f in dataclasses.fields(LoanSnapshot) if f.default is not dataclasses.MISSING)


def loan_snapshot(loan: Loan | Mapping[str, Any]) -> LoanSnapshot:
    """The engine's view of a stored loan, or of an inline snapshot (a mapping with the same fields)."""
    get = loan.get if isinstance(loan, Mapping) else (lambda name, default=None: getattr(loan, name, default))
    values = {name: get(name, None) for name in SNAPSHOT_FIELDS}
    # an absent optional field (a row or document from before SPEC §8) takes the snapshot's default
    return LoanSnapshot(**{k: v for k, v in values.items() if v is not None or k not in _DEFAULTED})


def borrower_flags(
    borrower: Borrower | Mapping[str, Any], other_monthly_debt_payments: Decimal | None = None
) -> BorrowerFlags:
    """What the rules read about a borrower; ``other_monthly_debt_payments`` overrides the stored figure."""
    get = borrower.get if isinstance(borrower, Mapping) else (lambda name, default=None: getattr(borrower, name))
    other = other_monthly_debt_payments
    if other is None:
        other = get("other_monthly_debt_payments", Decimal("0.00")) or Decimal("0.00")
    return BorrowerFlags(
        vulnerable_categories=tuple(get("vulnerable_categories", ()) or ()),
        targeted_social_assistance=bool(get("targeted_social_assistance", False)),
        emergency_affected=bool(get("emergency_affected", False)),
        other_monthly_debt_payments=other,
    )


def incomes_mapping(items: Iterable[Mapping[str, Any]]) -> dict[date, Decimal]:
    """``[{"month": "2026-09", "amount": "250000.00"}]`` → ``{date(2026, 9, 1): Decimal("250000.00")}``.

    A month given twice is an error naming it, never a silent overwrite.
    """
    out: dict[date, Decimal] = {}
    for index, item in enumerate(items):
        try:
            month = parse_month(str(item["month"]))
        except RulesError as exc:
            raise InvalidInput("An income month is not valid.", {f"incomes.{index}.month": [str(exc)]}) from exc
        if month in out:
            errors = {f"incomes.{index}.month": [f"{item['month']} is given twice."]}
            raise InvalidInput("An income month is given twice.", errors)
        out[month] = Decimal(item["amount"])
    return out


def incomes_document(incomes: Mapping[date, Decimal]) -> list[dict[str, str]]:
    """The stored and returned form of incomes, oldest month first."""
    return [{"month": f"{m:%Y-%m}", "amount": f"{incomes[m]:.2f}"} for m in sorted(incomes)]


def plan_params(document: Mapping[str, Any] | None) -> PlanParams:
    """A plan parameter object (API input, already validated by its schema, or a stored document)."""
    if not document:
        return PlanParams()
    forgive = document.get("forgive")

    def amount(value: Any) -> Decimal | str | None:
        if value is None or value == ALL:
            return value  # type: ignore[no-any-return]
        return Decimal(value)

    return PlanParams(
        new_rate_pct=None if document.get("new_rate_pct") is None else Decimal(document["new_rate_pct"]),
        extra_months=document.get("extra_months"),
        payment_cut_pct=None if document.get("payment_cut_pct") is None else Decimal(document["payment_cut_pct"]),
        deferral_months=document.get("deferral_months"),
        deferral_of=document.get("deferral_of"),
        method=document.get("method"),
        payment_day=document.get("payment_day"),
        forgive=None
        if not forgive
        else Forgiveness(
            overdue_principal=amount(forgive.get("overdue_principal")),  # type: ignore[arg-type]
            overdue_interest=amount(forgive.get("overdue_interest")),  # type: ignore[arg-type]
            penalties=amount(forgive.get("penalties")),  # type: ignore[arg-type]
        ),
        settlement_value=None if document.get("settlement_value") is None else Decimal(document["settlement_value"]),
        forgive_shortfall=bool(document.get("forgive_shortfall", False)),
        label=document.get("label"),
    )


def params_document(params: PlanParams) -> dict[str, Any]:
    """A plan's parameters as JSON: only what the plan changes (the baseline is ``{}``)."""
    out: dict[str, Any] = {}
    for name in ("new_rate_pct", "payment_cut_pct", "settlement_value"):
        value = getattr(params, name)
        if value is not None:
            out[name] = str(value)
    for name in ("extra_months", "deferral_months", "deferral_of", "method", "payment_day", "label"):
        value = getattr(params, name)
        if value is not None:
            out[name] = value
    if params.forgive is not None:
        forgive = {
            name: (value if value == ALL else f"{Decimal(value):.2f}")
            for name in ("overdue_principal", "overdue_interest", "penalties")
            if (value := getattr(params.forgive, name)) is not None
        }
        if forgive:
            out["forgive"] = forgive
    if params.forgive_shortfall:
        out["forgive_shortfall"] = True
    return out
