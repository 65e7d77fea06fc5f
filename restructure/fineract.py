"""Apache Fineract: its loan JSON (``GET /loans/{id}?associations=all``) as our snapshot rows, and an agreed plan as
the body of its ``POST /rescheduleloans``.

Shapes as Fineract publishes them (apache/fineract, fineract-provider): ``LoansApiResourceSwagger``'s
``GetLoansLoanIdResponse`` (the enum objects ``{id, code, value}``, dates as ``[yyyy, m, d]``) and
``RescheduleLoansApiResourceSwagger``'s ``PostCreateRescheduleLoansRequest``. What we cannot map is an error
naming the Fineract field path and the reason; nothing is guessed.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal, InvalidOperation
from typing import Any

# enum ids as Fineract's DaysInMonthType, DaysInYearType, AmortizationMethod, InterestMethod, PeriodFrequencyType
DAYS_IN_MONTH_ACTUAL, DAYS_IN_MONTH_30 = 1, 30
DAYS_IN_YEAR_ACTUAL, DAYS_IN_YEAR_360, DAYS_IN_YEAR_365 = 1, 360, 365
AMORTIZATION = {0: "differentiated", 1: "annuity"}  # equal principal payments, equal installments
INTEREST_DECLINING_BALANCE = 0
MONTHS = 2
CENTS = Decimal("0.01")


class _Problems:
    def __init__(self) -> None:
        self.errors: dict[str, list[str]] = {}

    def add(self, path: str, reason: str) -> None:
        self.errors.setdefault(path, []).append(reason)


def fineract_rows(
    document: Any, *, language: str, today: date
) -> Iterator[tuple[int, dict[str, Any], str | None, dict[str, list[str]]]]:
    """``(item number from 1, our row, Fineract loan id, errors)`` for one loan object or a list of them."""
    loans = document if isinstance(document, list) else [document]
    for line, loan in enumerate(loans, start=1):
        if not isinstance(loan, Mapping):
            yield line, {}, None, {"_line": ["Must be a Fineract loan object."]}
            continue
        row, problems = map_loan(loan, language=language, today=today)
        core_id = str(loan["id"]) if isinstance(loan.get("id"), int) else None
        yield line, row, core_id, problems


def map_loan(loan: Mapping[str, Any], *, language: str, today: date) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """One Fineract loan → a row in the fields of ``POST /loans`` (wire form: money as strings), plus errors."""
    p = _Problems()
    summary = loan.get("summary") if isinstance(loan.get("summary"), Mapping) else None
    if summary is None:
        p.add("summary", "Missing: fetch the loan with associations=all from an active (disbursed) loan.")
        summary = {}
    currency = (loan.get("currency") or {}).get("code")
    if currency != "KZT":
        p.add("currency.code", f"Only KZT loans can be restructured here, not {currency!r}.")
    _check_enum(loan, "interestType", INTEREST_DECLINING_BALANCE, "Only declining-balance interest is supported.", p)
    _check_enum(loan, "repaymentFrequencyType", MONTHS, "Only monthly repayments are supported.", p)
    if loan.get("repaymentEvery", 1) != 1:
        p.add("repaymentEvery", "Only a repayment every month is supported.")
    row: dict[str, Any] = {
        "contract_number": _text(loan, "accountNo", p),
        "issued_on": _date(
            (loan.get("timeline") or {}).get("actualDisbursementDate"), "timeline.actualDisbursementDate", p
        ),
        "principal": _money(loan.get("principal"), "principal", p),
        "annual_rate_pct": _rate(loan.get("annualInterestRate"), "annualInterestRate", p),
        "term_months": _term(loan, p),
        "method": _method(loan, p),
        "day_count": _day_count(loan, p),
        "secured_by": "none",
        "as_of": today.isoformat(),
        "overdue_principal": _money(summary.get("principalOverdue", 0), "summary.principalOverdue", p),
        "overdue_interest": _money(summary.get("interestOverdue", 0), "summary.interestOverdue", p),
        "penalties": _money(summary.get("penaltyChargesOverdue", 0), "summary.penaltyChargesOverdue", p),
    }
    if loan.get("collateral"):
        p.add("collateral", "Cannot tell a pledge from a mortgage or a deposit: register secured loans by file.")
    fees = _decimal(summary.get("feeChargesOverdue", 0))
    if fees is None or fees != 0:
        p.add(
            "summary.feeChargesOverdue",
            "Overdue fees have no place in the snapshot (only principal, interest, penalties).",
        )
    outstanding = _decimal(summary.get("principalOutstanding"))
    overdue = _decimal(summary.get("principalOverdue", 0)) or Decimal(0)
    if outstanding is None:
        p.add("summary.principalOutstanding", "Missing or not a number.")
    else:
        row["outstanding_principal"] = _money(outstanding - overdue, "summary.principalOutstanding", p)
    if summary.get("overdueSinceDate") is not None:
        row["overdue_since"] = _date(summary["overdueSinceDate"], "summary.overdueSinceDate", p)
    row.update(_schedule(loan, today, p))
    client = loan.get("clientExternalId")
    if not isinstance(client, str) or not client:
        p.add("clientExternalId", "Must carry the borrower's IIN (the client's external id).")
    row["borrower"] = {"iin": client, "full_name": loan.get("clientName"), "language": language}
    return {k: v for k, v in row.items() if v is not None}, p.errors


def _schedule(loan: Mapping[str, Any], today: date, p: _Problems) -> dict[str, Any]:
    """The next instalment after ``today`` gives the payment, its date and day; later ones the remaining term."""
    periods = (loan.get("repaymentSchedule") or {}).get("periods")
    if not isinstance(periods, list):
        p.add("repaymentSchedule.periods", "Missing: fetch the loan with associations=all.")
        return {}
    instalments = []
    for index, period in enumerate(periods):
        if isinstance(period, Mapping) and "period" in period:  # the first entry is the disbursement
            due = _date(period.get("dueDate"), f"repaymentSchedule.periods.{index}.dueDate", p)
            if due is not None:
                instalments.append((date.fromisoformat(due), index, period))
    if not instalments:
        p.add("repaymentSchedule.periods", "Has no instalments.")
        return {}
    out: dict[str, Any] = {"payment_day": instalments[0][0].day}
    future = [(due, index, period) for due, index, period in instalments if due > today]
    out["remaining_term_months"] = len(future)
    if future:
        next_due, index, period = future[0]
        out["next_payment_on"] = next_due.isoformat()
        amount = period.get("totalInstallmentAmountForPeriod", period.get("totalDueForPeriod"))
        out["scheduled_payment"] = _money(amount, f"repaymentSchedule.periods.{index}.totalDueForPeriod", p)
    else:
        p.add("repaymentSchedule.periods", "No instalment is due after today: the loan has matured.")
    return out


def _check_enum(loan: Mapping[str, Any], name: str, expected: int, reason: str, p: _Problems) -> None:
    value = loan.get(name)
    if not isinstance(value, Mapping) or value.get("id") != expected:
        p.add(f"{name}.id", f"{reason} Got {_enum_label(value)}.")


def _enum_label(value: Any) -> str:
    if isinstance(value, Mapping):
        return repr(value.get("code", value.get("id")))
    return "nothing" if value is None else repr(value)


def _method(loan: Mapping[str, Any], p: _Problems) -> str | None:
    value = loan.get("amortizationType")
    method = AMORTIZATION.get(value["id"]) if isinstance(value, Mapping) and isinstance(value.get("id"), int) else None
    if method is None:
        p.add(
            "amortizationType.id", f"Must be equal installments (1) or equal principal (0); got {_enum_label(value)}."
        )
    return method


def _day_count(loan: Mapping[str, Any], p: _Problems) -> str | None:
    """30/360 (days30 + days360) → ``30E/360``; actual/365 (actual + days365) → ``actual/365``; nothing else."""
    month = (loan.get("daysInMonthType") or {}).get("id")
    year = (loan.get("daysInYearType") or {}).get("id")
    if month == DAYS_IN_MONTH_30 and year == DAYS_IN_YEAR_360:
        return "30E/360"
    if month == DAYS_IN_MONTH_ACTUAL and year == DAYS_IN_YEAR_365:
        return "actual/365"
    p.add(
        "daysInYearType.id",
        f"Day count {_enum_label(loan.get('daysInMonthType'))}/{_enum_label(loan.get('daysInYearType'))} has no"
        " equivalent: only 30/360 and actual/365 are supported.",
    )
    return None


def _term(loan: Mapping[str, Any], p: _Problems) -> int | None:
    frequency = loan.get("termPeriodFrequencyType")
    term = loan.get("termFrequency")
    if not isinstance(frequency, Mapping) or frequency.get("id") != MONTHS:
        p.add("termPeriodFrequencyType.id", f"The term must be in months; got {_enum_label(frequency)}.")
        return None
    if not isinstance(term, int) or isinstance(term, bool):
        p.add("termFrequency", "Missing or not a whole number.")
        return None
    return term


def _text(loan: Mapping[str, Any], name: str, p: _Problems) -> str | None:
    value = loan.get(name)
    if isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not value:
        p.add(name, "Missing.")
        return None
    return value


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _money(value: Any, path: str, p: _Problems) -> str | None:
    amount = value if isinstance(value, Decimal) else _decimal(value)
    if amount is None or amount < 0:
        p.add(path, "Missing or not a non-negative amount.")
        return None
    if amount != amount.quantize(CENTS):
        p.add(path, f"Has more than two decimals ({amount}); tenge amounts are never rounded silently.")
        return None
    return str(amount.quantize(CENTS))


def _rate(value: Any, path: str, p: _Problems) -> str | None:
    rate = _decimal(value)
    if rate is None:
        p.add(path, "Missing or not a number.")
        return None
    return f"{rate.normalize():f}"


def _date(value: Any, path: str, p: _Problems) -> str | None:
    try:
        if isinstance(value, list) and len(value) == 3 and all(isinstance(x, int) for x in value):
            return date(value[0], value[1], value[2]).isoformat()
        if isinstance(value, str):
            return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    p.add(path, "Missing or not a date ([yyyy, m, d] or yyyy-mm-dd).")
    return None


# --- export: the agreed plan as the body of POST /rescheduleloans -------------------------------------------------

DATE_FORMAT = "yyyy-MM-dd"
_CANNOT_EXPORT = {
    "payment_cut_pct": "A reschedule request cannot cut the instalment; export the extended term instead.",
    "method": "A reschedule request cannot change the amortisation type.",
    "forgive": "A reschedule request cannot write off amounts: post the waivers in Fineract separately.",
    "settlement_value": "A settlement is not a reschedule.",
    "forgive_shortfall": "A reschedule request cannot write off amounts.",
}


def reschedule_request(
    *,
    core_loan_id: str | None,
    params: Mapping[str, Any],
    reschedule_from: date,
    first_due_on: date | None,
    submitted_on: date,
    reason_id: int,
    comment: str,
) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """``PostCreateRescheduleLoansRequest`` for an agreed plan's parameters, or errors naming what cannot go.

    ``reschedule_from`` is the instalment the plan changes first (the loan's next due date, which Fineract knows);
    ``first_due_on`` the plan's first due date (``adjustedDueDate`` when it moves).
    """
    p = _Problems()
    if not core_loan_id or not core_loan_id.isdigit():
        p.add("loan.core_loan_id", "The loan was not imported from Fineract: it has no Fineract loan id.")
    for name, reason in _CANNOT_EXPORT.items():
        if params.get(name) not in (None, False):
            p.add(f"decision.params.{name}", reason)
    body: dict[str, Any] = {
        "loanId": int(core_loan_id) if core_loan_id and core_loan_id.isdigit() else None,
        "rescheduleFromDate": reschedule_from.isoformat(),
        "rescheduleReasonId": reason_id,
        "rescheduleReasonComment": comment,
        "submittedOnDate": submitted_on.isoformat(),
        "dateFormat": DATE_FORMAT,
        "locale": "en",
    }
    if first_due_on is not None and first_due_on != reschedule_from:
        body["adjustedDueDate"] = first_due_on.isoformat()
    deferral = params.get("deferral_months")
    if deferral:
        body["graceOnPrincipal"] = deferral
        if params.get("deferral_of") == "principal_and_interest":
            body["graceOnInterest"] = deferral
    if params.get("extra_months"):
        body["extraTerms"] = params["extra_months"]
    if params.get("new_rate_pct") is not None:
        body["newInterestRate"] = float(Decimal(params["new_rate_pct"]))
    return body, p.errors


def reschedule_for_application(uow: Any, application_id: int, *, reason_id: int) -> dict[str, Any]:
    """The body of ``POST /rescheduleloans`` for an agreed application; 409 unless agreed, 422 naming what
    Fineract's request cannot carry."""
    from restructure.decisions import read_decision
    from restructure.errors import Conflict, InvalidInput, NotFound
    from restructure.orm import Application, Loan
    from restructure.workflow import AGREED

    with uow:
        app = uow.session.get(Application, application_id)
        if app is None:
            raise NotFound("Application not found.")
        decision = read_decision(app.decision)
        if app.status != AGREED or decision is None or decision.plan is None:
            raise Conflict("Only an agreed plan can be exported to Fineract.", state=app.status)
        loan = uow.session.get(Loan, app.loan_id)
        schedule = decision.schedule
        body, errors = reschedule_request(
            core_loan_id=loan.core_loan_id,
            params=decision.params or {},
            reschedule_from=loan.next_payment_on,
            first_due_on=date.fromisoformat(schedule[0]["due_on"]) if schedule else None,
            submitted_on=app.approved_on or app.received_on,
            reason_id=reason_id,
            comment=f"Restructuring application {app.id} (LMF Art. 9-2)",
        )
        if errors:
            raise InvalidInput("The agreed plan cannot be written as a Fineract reschedule request.", errors)
        return body
