"""Portfolio what-if: one plan, or the recommended waterfall, applied to many loans at once (SPEC §2, §3, §4, §5).

A plan runs on the batch engine (``schedules/batch.py``): loans are read in chunks (``yield_per``, a server-side
cursor on PostgreSQL), each chunk becomes the engine's int64 arrays, and its block is summed into the aggregate in
exact integer tiyn before the next chunk is read. Memory is one chunk, the requested page of items and the incomes
the request carries, whatever the portfolio size. The batch engine gives the schedules; the lender NPV and the
concession (SPEC §5) are computed here from them exactly as ``schedules/npv.py`` does (float64 in line order, then
half-up to the tiyn), so every figure equals the scalar ``build_plan``'s.

``recommended`` runs the scalar waterfall (``rules.recommend``) per loan: about 3-5 ms a loan, so the selection is
capped at :data:`MAX_RECOMMENDED` loans.

Definitions (documented in the OpenAPI description of the endpoint):

* ``feasible``: the plan has no violation (engine checks; for ``recommended`` also the plan rules of
  ``rules.check_plan``). Per-loan figures are given for feasible plans only, and the totals sum over them.
* ``relief`` = the loan's ``scheduled_payment`` − the plan's largest regular instalment (negative when the plan
  raises the instalment); ``concession`` = NPV(contract) − NPV(plan) at the rule set's discount rate.
* ``affordable``: the store keeps no incomes per borrower, so incomes come with the request (``incomes_by_loan``
  for stored loans, ``incomes`` on an inline loan; the 12 months before the month of today). A loan is affordable
  when its plan is feasible and ``dti_recent`` (largest regular instalment + other monthly debt payments, over the
  two-month average income) ≤ the set's ``dti_target``. Loans without incomes are never counted as affordable;
  ``with_incomes`` says how many had them.
* ``mandatory``: loans where R-MANDATORY would apply if the borrower asked for the loan's plan: the plan defers or
  cuts the instalment by ≥ the set's minimum, and the borrower is emergency-affected, or vulnerable and receives
  АСП or (only where incomes are given) passes the income-drop test. Without incomes the income-drop ground is
  taken as not met, so the count is a lower bound.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal

import numpy as np
import numpy.typing as npt
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from restructure.errors import InvalidInput
from restructure.loans import LoanData, snapshot_problems
from restructure.orm import Borrower, Loan
from restructure.portfolio_loader import Flags, IdRange, LoanColumns, column_blocks, in_range
from restructure.snapshots import SNAPSHOT_FIELDS, loan_snapshot, params_document
from restructure.uow import UnitOfWork
from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.errors import RulesError
from rules.income import IncomeSummary, month_of, months_before, summarise
from rules.kdn import burden, within
from rules.mandatory import mandatory
from rules.penalty import penalty_excess
from rules.recommend import recommend
from rules.ruleset import RuleSet, ruleset_for
from schedules.accrual import StartBuckets, start_buckets
from schedules.batch import (
    EPOCH,
    METHOD_CODES,
    NO_COLLATERAL,
    OMITTED,
    BlockResult,
    LoanArrays,
    PlanArrays,
    iter_blocks,
    plan_arrays,
    violation_ids,
)
from schedules.batch_calendar import DAY_COUNT_CODES, DC_30E_360, first_due
from schedules.batch_start import PenaltyTerms
from schedules.batch_start import penalty_excess as penalty_excess_arrays
from schedules.batch_start import start_buckets as start_buckets_arrays
from schedules.npv import month_offsets
from schedules.result import PlanResult
from schedules.terms import PlanParams

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

MAX_RECOMMENDED = 2000
"""The largest selection ``recommended`` runs on (the scalar waterfall costs milliseconds a loan)."""
CHUNK = 8192
"""Loans read, converted and computed at a time."""
RECOMMENDED_CHUNK = 256
"""Loans of ``recommended`` read at a time (a second or so of the waterfall: the job's progress steps)."""
CENTS = Decimal("0.01")

_FLAG_COLUMNS = ("vulnerable_categories", "targeted_social_assistance", "emergency_affected",
                 "other_monthly_debt_payments")
_COLUMNS = ("id", "contract_number", *SNAPSHOT_FIELDS, *_FLAG_COLUMNS)
_AT = {name: i for i, name in enumerate(_COLUMNS)}
Row = Sequence[Any]
"""A loan as the service reads it: the values of ``_COLUMNS`` (key = loan id, or the index of an inline loan)."""


@dataclass(frozen=True)
class InlineLoan:
    """A loan given in the request: snapshot fields (``SNAPSHOT_FIELDS``, ``contract_number``?), flags, incomes."""

    snapshot: Mapping[str, Any]
    borrower: BorrowerFlags = field(default_factory=BorrowerFlags)
    incomes: Mapping[date, Decimal] | None = None


@dataclass(frozen=True)
class WhatIfRequest:
    """``plan`` for every loan, or ``None`` for the recommended plan of each; ``loan_ids`` (``None``: every stored
    loan) or ``loans`` (inline). ``cursor`` is the key after which the page starts."""

    start_on: date
    plan: PlanParams | None
    loan_ids: Sequence[int] | None = None
    loans: Sequence[InlineLoan] | None = None
    incomes_by_loan: Mapping[int, Mapping[date, Decimal]] = field(default_factory=dict)
    limit: int = 100
    cursor: int | None = None


@dataclass(frozen=True)
class LoanOutcome:
    """One loan's result. Money is ``Decimal`` with two places; figures are ``None`` when the plan is infeasible,
    ``kdn`` / ``dti_recent`` / ``affordable`` also without incomes, ``target_met`` outside ``recommended``."""

    loan_id: int | None
    index: int | None
    contract_number: str | None
    feasible: bool
    violations: tuple[str, ...]
    current_payment: Decimal
    first_payment: Decimal | None
    max_regular_payment: Decimal | None
    relief: Decimal | None
    instalments: int | None
    maturity_on: date | None
    total_paid: Decimal | None
    concession: Decimal | None
    kdn: Decimal | None
    dti_recent: Decimal | None
    affordable: bool | None
    mandatory: bool
    target_met: bool | None
    plan: Mapping[str, Any]


@dataclass(frozen=True)
class Aggregate:
    """Counts and totals over the whole selection (totals over the feasible plans)."""

    loans: int
    feasible: int
    with_incomes: int
    affordable: int
    mandatory: int
    total_relief: Decimal
    total_concession: Decimal


@dataclass(frozen=True)
class WhatIfResult:
    """The page of per-loan results, the cursor of the next page (``None``: last page) and the aggregate."""

    items: tuple[LoanOutcome, ...]
    next_cursor: str | None
    aggregate: Aggregate
    rule_set: str
    target: Decimal


def _money(tiyn: int) -> Decimal:
    return (Decimal(tiyn) / 100).quantize(CENTS)


def _tiyn(value: Decimal) -> int:
    scaled = value.scaleb(2)
    whole = int(scaled)
    if whole != scaled:
        raise InvalidInput(f"{value} is not a whole number of tiyn.")
    return whole


def _ppm(value: Decimal) -> int:
    scaled = value.scaleb(4)
    whole = int(scaled)
    if whole != scaled:
        raise InvalidInput(f"{value} has more than four decimals.")
    return whole


def _column(rows: Sequence[Row], name: str) -> list[Any]:
    i = _AT[name]
    return [r[i] for r in rows]


def _ints(values: list[int]) -> I64:
    return np.array(values, dtype=np.int64)


def _starts(rows: Sequence[Row], start_on: date, ruleset: RuleSet | None) -> list[StartBuckets]:
    """Each loan's buckets on ``start_on`` (``schedules/accrual.py``; penalties above R-PENALTY's cap removed)."""
    out = []
    for row in rows:
        snapshot = loan_snapshot(dict(zip(SNAPSHOT_FIELDS, row[2 : 2 + len(SNAPSHOT_FIELDS)], strict=True)))
        excess = Decimal(0) if ruleset is None else penalty_excess(snapshot, ruleset)
        out.append(
            start_buckets(
                base=_tiyn(snapshot.overdue_principal) + _tiyn(snapshot.outstanding_principal),
                overdue_interest=_tiyn(snapshot.overdue_interest),
                penalties=_tiyn(snapshot.penalties),
                accrued_interest=_tiyn(snapshot.accrued_interest),
                rate_ppm=_ppm(snapshot.annual_rate_pct),
                payment_day=snapshot.payment_day,
                day_count=snapshot.day_count,
                as_of=snapshot.as_of,
                start_on=start_on,
                overdue_since=snapshot.overdue_since,
                agency_since=snapshot.with_collection_agency_since,
                penalty_excess=_tiyn(excess),
            )
        )
    return out


def loan_arrays_of(rows: Sequence[Row], start_on: date, ruleset: RuleSet | None = None) -> LoanArrays:
    """The batch engine's arrays for ``rows`` (what ``schedules.batch.loan_arrays`` builds from snapshots)."""
    money = {
        name: _ints([_tiyn(v) for v in _column(rows, name)])
        for name in ("principal", "outstanding_principal", "overdue_principal", "overdue_interest", "penalties",
                     "scheduled_payment")
    }
    collateral = [NO_COLLATERAL if v is None else _tiyn(v) for v in _column(rows, "collateral_value")]
    starts = _starts(rows, start_on, ruleset)
    return LoanArrays(
        principal=money["principal"],
        term_months=_ints(_column(rows, "term_months")),
        outstanding_principal=money["outstanding_principal"],
        overdue_principal=money["overdue_principal"],
        overdue_interest=money["overdue_interest"],
        penalties=money["penalties"],
        rate_ppm=_ints([_ppm(v) for v in _column(rows, "annual_rate_pct")]),
        remaining_term=_ints(_column(rows, "remaining_term_months")),
        payment_day=_ints(_column(rows, "payment_day")),
        method=_ints([METHOD_CODES[v] for v in _column(rows, "method")]),
        day_count=_ints([DAY_COUNT_CODES[v] for v in _column(rows, "day_count")]),
        scheduled_payment=money["scheduled_payment"],
        collateral_value=_ints(collateral),
        start_on=np.full(len(rows), (start_on - EPOCH).days, dtype=np.int64),
        lawful_overdue_interest=_ints([b.overdue_interest for b in starts]),
        lawful_penalties=_ints([b.penalties for b in starts]),
        accrued=_ints([b.accrued for b in starts]),
        penalty_excess=_ints([b.penalty_excess for b in starts]),
    )


def penalty_terms(ruleset: RuleSet) -> PenaltyTerms:
    """R-PENALTY's caps of ``ruleset`` as exact numbers for ``schedules.batch_start``."""
    caps = ruleset.penalty
    return PenaltyTerms(
        daily_pct_until_day=Fraction(caps.daily_pct_until_day),
        daily_pct_after=Fraction(caps.daily_pct_after),
        tier_days=caps.tier_days,
        annual_cap_pct_of_principal=Fraction(caps.annual_cap_pct_of_principal),
        stop_after_days=caps.stop_after_days,
        stop_after_days_mortgage=caps.stop_after_days_mortgage,
    )


def loan_arrays_from_columns(cols: LoanColumns, start_on: date, ruleset: RuleSet) -> LoanArrays:
    """The batch engine's arrays for a block of loaded columns: what :func:`loan_arrays_of` builds from rows, to the
    tiyn, with the start buckets and penalty excess computed on whole arrays (``schedules/batch_start.py``)."""
    n = cols.size
    start = np.full(n, (start_on - EPOCH).days, dtype=np.int64)
    excess = penalty_excess_arrays(
        penalties=cols["penalties"],
        overdue_principal=cols["overdue_principal"],
        overdue_interest=cols["overdue_interest"],
        principal=cols["principal"],
        collateral_value=cols["collateral_value"],
        no_collateral=NO_COLLATERAL,
        secured_by=cols["secured_by"],
        issued_on=cols["issued_on"],
        as_of=cols["as_of"],
        overdue_since=cols["overdue_since"],
        terms=penalty_terms(ruleset),
    )
    starts = start_buckets_arrays(
        base=cols["overdue_principal"] + cols["outstanding_principal"],
        overdue_interest=cols["overdue_interest"],
        penalties=cols["penalties"],
        accrued_interest=cols["accrued_interest"],
        rate_ppm=cols["rate_ppm"],
        payment_day=cols["payment_day"],
        day_count=cols["day_count"],
        as_of=cols["as_of"],
        start_on=start,
        overdue_since=cols["overdue_since"],
        agency_since=cols["agency_since"],
        penalty_excess=excess,
    )
    return LoanArrays(
        principal=cols["principal"],
        term_months=cols["term_months"],
        outstanding_principal=cols["outstanding_principal"],
        overdue_principal=cols["overdue_principal"],
        overdue_interest=cols["overdue_interest"],
        penalties=cols["penalties"],
        rate_ppm=cols["rate_ppm"],
        remaining_term=cols["remaining_term"],
        payment_day=cols["payment_day"],
        method=cols["method"],
        day_count=cols["day_count"],
        scheduled_payment=cols["scheduled_payment"],
        collateral_value=cols["collateral_value"],
        start_on=start,
        lawful_overdue_interest=starts.overdue_interest,
        lawful_penalties=starts.penalties,
        accrued=starts.accrued,
        penalty_excess=starts.penalty_excess,
    )


class Discounting:
    """Lender NPV of batch schedules, exactly as ``schedules.npv.npv_tiyn`` computes it for one schedule.

    ``v^(−τ_k)`` is evaluated by Python's float power per (first-period 30E days, line) and cached, and the sum runs
    in float64 in line order from ``t0``, so the result is the scalar's to the tiyn.
    """

    def __init__(self, discount_rate_pct: Decimal) -> None:
        self.v = 1.0 + float(discount_rate_pct) / 1200.0
        self._rows: dict[int, list[float]] = {}

    def _row(self, first30: int, count: int) -> list[float]:
        row = self._rows.get(first30, [])
        if len(row) < count:
            row = [self.v**-tau for tau in month_offsets(first30, count)]
            self._rows[first30] = row
        return row

    def npv(self, t0: I64, payments: I64, first30: I64) -> I64:
        """``t0`` now plus each loan's ``payments`` row (zero-padded) on its due dates, in tiyn."""
        total: F64 = t0.astype(np.float64)
        lines = payments.shape[1] if payments.ndim == 2 else 0
        if lines and t0.size:
            keys = np.unique(first30)
            table = np.array([self._row(int(k), lines)[:lines] for k in keys], dtype=np.float64)
            factors = table[np.searchsorted(keys, first30)]
            for k in range(lines):
                total += payments[:, k] * factors[:, k]
        return np.floor(total + 0.5).astype(np.int64)


def _first30(start: I64, payment_day: I64) -> I64:
    """30E days from ``start_on`` to the first due date on ``payment_day`` (the NPV's first month fraction)."""
    _, days = first_due(start, payment_day, np.full(start.shape, DC_30E_360, dtype=np.int64))
    return days


def _one_block(loans: LoanArrays, plan: PlanArrays, max_term_months: int) -> BlockResult:
    blocks = iter_blocks(loans, plan, max_term_months=max_term_months, block_size=loans.size, with_schedule=True)
    return next(iter(blocks))


@dataclass(frozen=True)
class _Figures:
    """Per-loan figures of one chunk under the plan, in tiyn (copies: the engine reuses its buffers)."""

    violations: I64
    instalments: I64
    first_payment: I64
    max_regular_payment: I64
    maturity_on: I64
    total_payment: I64
    relief: I64
    concession: I64


def batch_figures(
    loans: LoanArrays, plan: PlanParams, ruleset: RuleSet, discounting: Discounting
) -> _Figures:
    """The plan on every loan of ``loans`` with the batch engine, and its relief and concession."""
    arrays = plan_arrays(plan)
    got = _one_block(loans, arrays, ruleset.max_term_months)
    assert got.schedule_payment is not None  # noqa: S101 — asked for with_schedule
    pday = loans.payment_day if int(arrays.payment_day) == OMITTED else np.full_like(loans.payment_day,
                                                                                       int(arrays.payment_day))
    plan_npv = discounting.npv(got.settled.copy(), got.schedule_payment, _first30(loans.start_on, pday))
    figures = {
        name: getattr(got, name).copy()
        for name in ("violations", "instalments", "first_payment", "max_regular_payment", "maturity_on",
                     "total_payment")
    }
    # The contract (SPEC §5): overdue paid now + the remaining contractual schedule, i.e. the baseline of the
    # loan with its overdue buckets removed (contract-preserving levels); no remaining term: all due now.
    zero = np.zeros_like(loans.overdue_principal)
    contract_loans = dataclasses.replace(
        loans,
        overdue_principal=zero,
        overdue_interest=zero,
        penalties=zero,
        lawful_overdue_interest=None,
        lawful_penalties=None,
        accrued=None,
        penalty_excess=None,
    )
    contract = _one_block(contract_loans, plan_arrays(PlanParams()), ruleset.max_term_months)
    assert contract.schedule_payment is not None  # noqa: S101
    t0 = loans.overdue_principal + loans.overdue_interest + loans.penalties
    contract_npv = discounting.npv(t0, contract.schedule_payment, _first30(loans.start_on, loans.payment_day))
    cp = loans.outstanding_principal
    contract_npv = np.where((cp > 0) & (loans.remaining_term < 1), t0 + cp, contract_npv)
    return _Figures(
        **figures,
        relief=loans.scheduled_payment - figures["max_regular_payment"],
        concession=contract_npv - plan_npv,
    )


class _Mandatory:
    """R-MANDATORY per loan (rules.mandatory), cached: a portfolio has few distinct (plan, flags) combinations."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._seen: dict[tuple[Any, ...], bool] = {}

    def applies(self, plan: PlanParams | None, row: Row, income_drop: bool) -> bool:
        cats = tuple(row[_AT["vulnerable_categories"]] or ())
        tsa = bool(row[_AT["targeted_social_assistance"]])
        emergency = bool(row[_AT["emergency_affected"]])
        return self.applies_flags(plan, (cats, tsa, emergency), income_drop)

    def applies_flags(self, plan: PlanParams | None, flags: Flags, income_drop: bool) -> bool:
        cats, tsa, emergency = flags
        key = (plan, cats, tsa, emergency, income_drop)
        if key not in self._seen:
            borrower = BorrowerFlags(vulnerable_categories=cats, targeted_social_assistance=tsa,
                                     emergency_affected=emergency)
            self._seen[key] = mandatory(plan, borrower, income_drop, self.ruleset).applies
        return self._seen[key]


def _flags(row: Row) -> BorrowerFlags:
    return BorrowerFlags(
        vulnerable_categories=tuple(row[_AT["vulnerable_categories"]] or ()),
        targeted_social_assistance=bool(row[_AT["targeted_social_assistance"]]),
        emergency_affected=bool(row[_AT["emergency_affected"]]),
        other_monthly_debt_payments=row[_AT["other_monthly_debt_payments"]] or Decimal("0.00"),
    )


@dataclass
class _Totals:
    loans: int = 0
    feasible: int = 0
    with_incomes: int = 0
    affordable: int = 0
    mandatory: int = 0
    relief: int = 0
    concession: int = 0

    def aggregate(self) -> Aggregate:
        return Aggregate(self.loans, self.feasible, self.with_incomes, self.affordable, self.mandatory,
                         _money(self.relief), _money(self.concession))


@dataclass(frozen=True)
class _Burden:
    kdn: Decimal | None
    dti_recent: Decimal | None
    affordable: bool | None


def _burden(summary: IncomeSummary | None, payment: Decimal | None, other: Decimal, target: Decimal) -> _Burden:
    if summary is None:
        return _Burden(None, None, None)
    if payment is None:
        return _Burden(None, None, False)
    b = burden(payment, other, summary)
    return _Burden(b.kdn, b.dti_recent, within(b.dti_recent_exact, target))


class _Page:
    """Collects the items after the cursor, one more than the limit (to know whether a next page exists)."""

    def __init__(self, cursor: int | None, limit: int) -> None:
        self.cursor = -1 if cursor is None else cursor
        self.limit = limit
        self.items: list[LoanOutcome] = []
        self.more = False

    def wants(self, key: int) -> bool:
        if key <= self.cursor or self.more:
            return False
        if len(self.items) >= self.limit:
            self.more = True
            return False
        return True

    def next_cursor(self) -> str | None:
        if not self.more or not self.items:
            return None
        last = self.items[-1]
        return str(last.loan_id if last.loan_id is not None else last.index)


class _Run:
    """One what-if: the rule set, the incomes, the aggregate and the page, fed chunk by chunk."""

    def __init__(self, request: WhatIfRequest, today: date, inline: bool) -> None:
        self.request = request
        self.today = today
        self.inline = inline
        self.ruleset = ruleset_for(today)
        self.discounting = Discounting(self.ruleset.discount_rate_pct)
        self.mandatory = _Mandatory(self.ruleset)
        self.totals = _Totals()
        self.page = _Page(request.cursor, request.limit)
        self.summaries: dict[int, IncomeSummary] = {}
        self.seen: set[int] = set()

    def summarise(self, key: int, incomes: Mapping[date, Decimal], where: str) -> None:
        try:
            self.summaries[key] = summarise(
                incomes, self.today, drop_threshold_pct=self.ruleset.income_drop_threshold_pct
            )
        except RulesError as e:
            raise InvalidInput("Incomes are incomplete or invalid.", {where: [str(e)]}) from e

    def _outcome(self, row: Row, key: int, **figures: Any) -> LoanOutcome:
        return LoanOutcome(
            loan_id=None if self.inline else key,
            index=key if self.inline else None,
            contract_number=row[_AT["contract_number"]],
            current_payment=row[_AT["scheduled_payment"]],
            **figures,
        )

    def add_plan_chunk(self, rows: Sequence[Row], plan: PlanParams) -> None:
        loans = loan_arrays_of(rows, self.request.start_on, self.ruleset)
        fig = batch_figures(loans, plan, self.ruleset, self.discounting)
        feasible = fig.violations == 0
        t = self.totals
        t.loans += len(rows)
        t.feasible += int(feasible.sum())
        t.relief += int(fig.relief[feasible].sum())
        t.concession += int(fig.concession[feasible].sum())
        target = self.ruleset.dti_target
        document = params_document(plan)
        for i, row in enumerate(rows):
            key = row[0]
            summary = self.summaries.get(key)
            ok = bool(feasible[i])
            payment = _money(int(fig.max_regular_payment[i])) if ok else None
            b = _burden(summary, payment, _flags(row).other_monthly_debt_payments, target)
            drop = summary is not None and summary.drop_test_passed
            applies = self.mandatory.applies(plan, row, drop)
            t.with_incomes += summary is not None
            t.affordable += bool(b.affordable)
            t.mandatory += applies
            if not self.page.wants(key):
                continue
            maturity = int(fig.maturity_on[i])
            self.page.items.append(self._outcome(
                row, key,
                feasible=ok,
                violations=violation_ids(int(fig.violations[i])),
                first_payment=_money(int(fig.first_payment[i])) if ok else None,
                max_regular_payment=payment,
                relief=_money(int(fig.relief[i])) if ok else None,
                instalments=int(fig.instalments[i]) if ok else None,
                maturity_on=EPOCH + timedelta(days=maturity) if ok and maturity >= 0 else None,
                total_paid=_money(int(fig.total_payment[i])) if ok else None,
                concession=_money(int(fig.concession[i])) if ok else None,
                kdn=b.kdn,
                dti_recent=b.dti_recent,
                affordable=b.affordable,
                mandatory=applies,
                target_met=None,
                plan=document,
            ))

    def add_columns(self, cols: LoanColumns, plan: PlanParams) -> None:
        """A block of loaded columns under ``plan``: totals on whole arrays; Python only for the loans with incomes
        and the page's items (whose ``contract_number`` :func:`_contract_numbers` fills in afterwards)."""
        loans = loan_arrays_from_columns(cols, self.request.start_on, self.ruleset)
        fig = batch_figures(loans, plan, self.ruleset, self.discounting)
        feasible = fig.violations == 0
        ids = cols["id"]
        t = self.totals
        t.loans += cols.size
        t.feasible += int(feasible.sum())
        t.relief += int(fig.relief[feasible].sum())
        t.concession += int(fig.concession[feasible].sum())
        by_flags = np.array([self.mandatory.applies_flags(plan, f, False) for f in cols.flag_values] or [False])
        applies = by_flags[cols["flags"]]
        target = self.ruleset.dti_target
        burdens: dict[int, _Burden] = {}
        if self.summaries:
            keys = np.fromiter(self.summaries, dtype=np.int64, count=len(self.summaries))
            for i in np.flatnonzero(np.isin(ids, keys)):
                key = int(ids[i])
                summary = self.summaries[key]
                self.seen.add(key)
                payment = _money(int(fig.max_regular_payment[i])) if feasible[i] else None
                b = _burden(summary, payment, _money(int(cols["other_monthly_debt_payments"][i])), target)
                burdens[int(i)] = b
                applies[i] = self.mandatory.applies_flags(
                    plan, cols.flag_values[int(cols["flags"][i])], summary.drop_test_passed
                )
                t.with_incomes += 1
                t.affordable += bool(b.affordable)
        t.mandatory += int(applies.sum())
        if self.page.more:
            return
        document = params_document(plan)
        none = _Burden(None, None, None)
        for i in np.flatnonzero(ids > self.page.cursor)[: self.page.limit + 1]:
            key = int(ids[i])
            if not self.page.wants(key):
                break
            ok = bool(feasible[i])
            b = burdens.get(int(i), none)
            maturity = int(fig.maturity_on[i])
            self.page.items.append(LoanOutcome(
                loan_id=key,
                index=None,
                contract_number=None,
                current_payment=_money(int(cols["scheduled_payment"][i])),
                feasible=ok,
                violations=violation_ids(int(fig.violations[i])),
                first_payment=_money(int(fig.first_payment[i])) if ok else None,
                max_regular_payment=_money(int(fig.max_regular_payment[i])) if ok else None,
                relief=_money(int(fig.relief[i])) if ok else None,
                instalments=int(fig.instalments[i]) if ok else None,
                maturity_on=EPOCH + timedelta(days=maturity) if ok and maturity >= 0 else None,
                total_paid=_money(int(fig.total_payment[i])) if ok else None,
                concession=_money(int(fig.concession[i])) if ok else None,
                kdn=b.kdn,
                dti_recent=b.dti_recent,
                affordable=b.affordable,
                mandatory=bool(applies[i]),
                target_met=None,
                plan=document,
            ))

    def add_recommended(self, row: Row) -> None:
        key = row[0]
        rs = self.ruleset
        snapshot = loan_snapshot(dict(zip(_COLUMNS, row, strict=True)))
        flags = _flags(row)
        summary = self.summaries.get(key)
        incomes = self.request.incomes_by_loan.get(key) if not self.inline else None
        if self.inline and self.request.loans is not None:
            incomes = self.request.loans[key].incomes
        if not incomes:
            # No incomes: zero income, so no instalment meets the target and the waterfall returns the plan with
            # the lowest burden it finds.
            incomes = {m: Decimal("0.00") for m in months_before(month_of(self.today), 12)}
        assessment = assess(snapshot, flags, incomes, self.today, ruleset=rs)
        rec = recommend(snapshot, assessment, start_on=self.request.start_on, ruleset=rs)
        plan: PlanResult = rec.plan
        ok = plan.feasible
        m = plan.metrics
        payment = m.max_regular_payment if ok else None
        b = _burden(summary, payment, flags.other_monthly_debt_payments, rs.dti_target)
        drop = summary is not None and summary.drop_test_passed
        params = plan.params
        applies = self.mandatory.applies(params, row, drop)
        relief = snapshot.scheduled_payment - m.max_regular_payment
        t = self.totals
        t.loans += 1
        t.feasible += ok
        t.with_incomes += summary is not None
        t.affordable += bool(b.affordable)
        t.mandatory += applies
        if ok:
            t.relief += _tiyn(relief)
            t.concession += _tiyn(m.concession)
        if not self.page.wants(key):
            return
        self.page.items.append(self._outcome(
            row, key,
            feasible=ok,
            violations=tuple(v.rule for v in plan.violations),
            first_payment=m.first_payment if ok else None,
            max_regular_payment=payment,
            relief=relief if ok else None,
            instalments=m.instalments if ok else None,
            maturity_on=m.maturity_on if ok else None,
            total_paid=plan.totals.payment if ok else None,
            concession=m.concession if ok else None,
            kdn=b.kdn,
            dti_recent=b.dti_recent,
            affordable=b.affordable,
            mandatory=applies,
            target_met=rec.target_met if summary is not None else None,
            plan=params_document(params),
        ))

    def result(self) -> WhatIfResult:
        return WhatIfResult(
            items=tuple(self.page.items),
            next_cursor=self.page.next_cursor(),
            aggregate=self.totals.aggregate(),
            rule_set=self.ruleset.id,
            target=self.ruleset.dti_target,
        )


def _select() -> Any:
    columns = [getattr(Loan, name) for name in _COLUMNS[: 2 + len(SNAPSHOT_FIELDS)]]
    columns += [getattr(Borrower, name) for name in _FLAG_COLUMNS]
    return select(*columns).join(Borrower, Borrower.id == Loan.borrower_id).order_by(Loan.id)


def stored_chunks(
    session: Session, loan_ids: Sequence[int] | None, chunk: int = CHUNK, id_range: IdRange | None = None
) -> Iterator[Sequence[Row]]:
    """Stored loans with their borrowers' flags, in loan id order, ``chunk`` at a time (a server-side cursor).

    ``loan_ids`` selects (unique, any order); an id that does not exist is an ``InvalidInput`` naming it. Without
    ``loan_ids``, ``id_range`` (default: all) selects.
    """
    if loan_ids is None:
        result = session.execute(in_range(_select(), id_range).execution_options(yield_per=chunk))
        yield from result.partitions()
        return
    ids = sorted(loan_ids)
    missing: list[int] = []
    for lo in range(0, len(ids), chunk):
        part = ids[lo : lo + chunk]
        rows = session.execute(_select().where(Loan.id.in_(part))).all()
        found = {r[0] for r in rows}
        missing += [i for i in part if i not in found]
        yield rows
    if missing:
        shown = ", ".join(str(i) for i in missing[:20]) + (" …" if len(missing) > 20 else "")
        raise InvalidInput("Some loans do not exist.", {"loan_ids": [f"No loan with id {shown}."]})


def _inline_row(index: int, loan: InlineLoan, today: date) -> Row:
    s = loan.snapshot
    fields: dict[str, Any] = {name: s.get(name) for name in SNAPSHOT_FIELDS}
    data = LoanData(borrower_id=0, contract_number=s.get("contract_number") or "", **fields)
    problems = snapshot_problems(data, today=today)
    if problems:
        errors = {f"loans.{index}.{name}": messages for name, messages in problems.items()}
        raise InvalidInput("An inline loan snapshot is not possible.", errors)
    b = loan.borrower
    flags = (b.vulnerable_categories, b.targeted_social_assistance, b.emergency_affected,
             b.other_monthly_debt_payments)
    return (index, s.get("contract_number"), *(s.get(name) for name in SNAPSHOT_FIELDS), *flags)


def check_request(request: WhatIfRequest) -> None:
    """The request's own consistency (``InvalidInput``), before any loan is read."""
    _check(request)


def _check(request: WhatIfRequest) -> None:
    errors: dict[str, list[str]] = {}
    if request.loan_ids is not None and request.loans is not None:
        errors["loans"] = ["Give loan_ids or loans, not both."]
    if request.loan_ids is not None and len(set(request.loan_ids)) != len(request.loan_ids):
        errors["loan_ids"] = ["A loan is listed more than once."]
    if request.loans is not None and request.incomes_by_loan:
        errors["incomes_by_loan"] = ["Inline loans carry their own incomes."]
    if request.loan_ids is not None:
        unknown = sorted(set(request.incomes_by_loan) - set(request.loan_ids))
        if unknown:
            errors["incomes_by_loan"] = [f"Loan {unknown[0]} is not in loan_ids."]
    if errors:
        raise InvalidInput("The what-if request is inconsistent.", errors)


def _check_recommended_size(size: int, limit: int | None = None) -> None:
    limit = MAX_RECOMMENDED if limit is None else limit
    if size > limit:
        raise InvalidInput(
            f"The recommended plan runs on at most {limit} loans; this selection has {size}.",
            {"recommended": [f"At most {limit} loans (MAX_RECOMMENDED); select fewer with loan_ids."]},
        )


Loader = Literal["columns", "rows"]
"""How stored loans are read for a plan over the whole book: ``columns`` (``restructure/portfolio_loader.py``:
binary COPY on PostgreSQL, rows by blocks elsewhere, arrays computed by block) or ``rows`` (the chunked row path of
before issue #17, kept as the reference the columns must equal)."""
Progress = Callable[[int], None]
"""Told the number of loans done after each block."""


def what_if(
    uow: UnitOfWork,
    request: WhatIfRequest,
    *,
    today: date,
    loader: Loader = "columns",
    progress: Progress | None = None,
    id_range: IdRange | None = None,
    recommended_limit: int | None = None,
) -> WhatIfResult:
    """SPEC §2, §4, §5: ``request.plan`` (or the recommended plan) on every selected loan from ``start_on``; the page
    of per-loan results after ``cursor`` and the aggregate over the whole selection. Reads only.

    ``id_range`` narrows a selection of every stored loan to those ids (one partition of a distributed run,
    ``restructure/portfolio_dask.py``); ``recommended_limit`` replaces :data:`MAX_RECOMMENDED` (a job's bound)."""
    _check(request)
    inline = request.loans is not None
    run = _Run(request, today, inline)
    if request.loans is not None:
        for i, loan in enumerate(request.loans):
            if loan.incomes:
                run.summarise(i, loan.incomes, f"loans.{i}.incomes")
        if request.plan is None:
            _check_recommended_size(len(request.loans))
        rows = [_inline_row(i, loan, today) for i, loan in enumerate(request.loans)]
        chunks: Iterator[Sequence[Row]] = (rows[lo : lo + CHUNK] for lo in range(0, len(rows), CHUNK))
        _feed(run, request.plan, chunks)
        return run.result()
    for loan_id, incomes in request.incomes_by_loan.items():
        run.summarise(loan_id, incomes, f"incomes_by_loan.{loan_id}")
    with uow:
        if request.plan is None:
            size = len(request.loan_ids) if request.loan_ids is not None else int(
                uow.session.scalar(in_range(select(func.count()).select_from(Loan), id_range)) or 0
            )
            _check_recommended_size(size, recommended_limit)
        if request.plan is not None and request.loan_ids is None and loader == "columns":
            for cols in column_blocks(uow.session, id_range=id_range):
                run.add_columns(cols, request.plan)
                if progress is not None:
                    progress(run.totals.loans)
            _contract_numbers(uow.session, run)
        else:
            chunk = CHUNK if request.plan is not None else RECOMMENDED_CHUNK
            _feed(run, request.plan, stored_chunks(uow.session, request.loan_ids, chunk, id_range), progress)
    if request.loan_ids is None and request.incomes_by_loan:
        unknown = sorted(set(request.incomes_by_loan) - set(run.seen))
        if unknown:
            raise InvalidInput("Incomes for loans that do not exist.",
                               {"incomes_by_loan": [f"No loan with id {unknown[0]}."]})
    return run.result()


def _contract_numbers(session: Session, run: _Run) -> None:
    """Fill in the page's contract numbers (the columns carry none)."""
    ids = [item.loan_id for item in run.page.items]
    if not ids:
        return
    rows = session.execute(select(Loan.id, Loan.contract_number).where(Loan.id.in_(ids))).all()
    numbers = {r[0]: r[1] for r in rows}
    run.page.items = [
        dataclasses.replace(item, contract_number=numbers.get(item.loan_id or 0)) for item in run.page.items
    ]


def count_stored(uow: UnitOfWork, loan_ids: Sequence[int] | None) -> int:
    """How many loans a what-if over ``loan_ids`` (``None``: every stored loan) covers."""
    if loan_ids is not None:
        return len(loan_ids)
    with uow:
        return int(uow.session.scalar(select(func.count()).select_from(Loan)) or 0)


def _feed(
    run: _Run, plan: PlanParams | None, chunks: Iterator[Sequence[Row]], progress: Progress | None = None
) -> None:
    for rows in chunks:
        if not rows:
            continue
        if run.request.incomes_by_loan:
            run.seen.update(r[0] for r in rows if r[0] in run.request.incomes_by_loan)
        if plan is not None:
            run.add_plan_chunk(rows, plan)
        else:
            for row in rows:
                run.add_recommended(row)
        if progress is not None:
            progress(run.totals.loans)
