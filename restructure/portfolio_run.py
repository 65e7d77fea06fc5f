"""One portfolio what-if run: the rule set, the incomes, the aggregate and the page, fed block by block.

Rows (the reference path, and inline loans) become the engine's arrays here; loaded columns go straight to the
engine (``schedules/portfolio.py``). Every total is summed in exact integer tiyn.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fractions import Fraction
from typing import Any

from restructure.errors import InvalidInput
from restructure.portfolio_types import (
    AT,
    COLUMNS,
    Aggregate,
    LoanOutcome,
    Row,
    WhatIfRequest,
    WhatIfResult,
)
from restructure.snapshots import SNAPSHOT_FIELDS, loan_snapshot, params_document
from rules.assessment import assess
from rules.borrower import BorrowerFlags
from rules.errors import RulesError
from rules.income import IncomeSummary, month_of, months_before, summarise
from rules.kdn import burden, within
from rules.mandatory import mandatory
from rules.penalty import penalty_excess
from rules.recommend import recommend
from rules.ruleset import RuleSet, ruleset_for
from schedules.batch import EPOCH, LoanArrays, loan_arrays, violation_ids
from schedules.batch_start import PenaltyTerms
from schedules.columns import Flags, LoanColumns, flagged, positions_after, positions_of
from schedules.money import from_tiyn, to_tiyn
from schedules.portfolio import (
    Discounting,
    PlanFigures,
    batch_figures,
    loan_arrays_from_columns,
)
from schedules.result import PlanResult
from schedules.terms import PlanParams


def loan_arrays_of(rows: Sequence[Row], start_on: date, ruleset: RuleSet | None = None) -> LoanArrays:
    """The batch engine's arrays for ``rows``: their snapshots, with penalties above R-PENALTY's cap removed."""
    width = len(SNAPSHOT_FIELDS)
    snapshots = [loan_snapshot(dict(zip(SNAPSHOT_FIELDS, row[2 : 2 + width], strict=True))) for row in rows]
    excess = [Decimal(0) if ruleset is None else penalty_excess(s, ruleset) for s in snapshots]
    return loan_arrays(snapshots, start_on, excess)


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


def _figures(loans: LoanArrays, plan: PlanParams, ruleset: RuleSet, discounting: Discounting) -> PlanFigures:
    return batch_figures(loans, plan, max_term_months=ruleset.max_term_months, discounting=discounting)


class _Mandatory:
    """R-MANDATORY per loan (rules.mandatory), cached: a portfolio has few distinct (plan, flags) combinations."""

    def __init__(self, ruleset: RuleSet) -> None:
        self.ruleset = ruleset
        self._seen: dict[tuple[Any, ...], bool] = {}

    def applies(self, plan: PlanParams | None, row: Row, income_drop: bool) -> bool:
        cats = tuple(row[AT["vulnerable_categories"]] or ())
        tsa = bool(row[AT["targeted_social_assistance"]])
        emergency = bool(row[AT["emergency_affected"]])
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
        vulnerable_categories=tuple(row[AT["vulnerable_categories"]] or ()),
        targeted_social_assistance=bool(row[AT["targeted_social_assistance"]]),
        emergency_affected=bool(row[AT["emergency_affected"]]),
        other_monthly_debt_payments=row[AT["other_monthly_debt_payments"]] or Decimal("0.00"),
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
                         from_tiyn(self.relief), from_tiyn(self.concession))


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
            contract_number=row[AT["contract_number"]],
            current_payment=row[AT["scheduled_payment"]],
            **figures,
        )

    def _item(
        self, row: Row | None, key: int, fig: PlanFigures, i: int, current: Decimal, b: _Burden, applies: bool,
        document: Mapping[str, Any],
    ) -> LoanOutcome:
        """Loan ``i`` of a block's figures as an outcome (figures only when its plan is feasible)."""
        ok = int(fig.violations[i]) == 0
        maturity = int(fig.maturity_on[i])

        def money(values: Any) -> Decimal | None:
            return from_tiyn(int(values[i])) if ok else None

        return LoanOutcome(
            loan_id=None if self.inline else key,
            index=key if self.inline else None,
            contract_number=None if row is None else row[AT["contract_number"]],
            current_payment=current,
            feasible=ok,
            violations=violation_ids(int(fig.violations[i])),
            first_payment=money(fig.first_payment),
            max_regular_payment=money(fig.max_regular_payment),
            relief=money(fig.relief),
            instalments=int(fig.instalments[i]) if ok else None,
            maturity_on=EPOCH + timedelta(days=maturity) if ok and maturity >= 0 else None,
            total_paid=money(fig.total_payment),
            concession=money(fig.concession),
            kdn=b.kdn,
            dti_recent=b.dti_recent,
            affordable=b.affordable,
            mandatory=applies,
            target_met=None,
            plan=document,
        )

    def _add_totals(self, size: int, fig: PlanFigures) -> None:
        feasible, relief, concession = fig.feasible_totals()
        t = self.totals
        t.loans += size
        t.feasible += feasible
        t.relief += relief
        t.concession += concession

    def add_plan_chunk(self, rows: Sequence[Row], plan: PlanParams) -> None:
        loans = loan_arrays_of(rows, self.request.start_on, self.ruleset)
        fig = _figures(loans, plan, self.ruleset, self.discounting)
        self._add_totals(len(rows), fig)
        t = self.totals
        target = self.ruleset.dti_target
        document = params_document(plan)
        for i, row in enumerate(rows):
            key = row[0]
            summary = self.summaries.get(key)
            ok = int(fig.violations[i]) == 0
            payment = from_tiyn(int(fig.max_regular_payment[i])) if ok else None
            b = _burden(summary, payment, _flags(row).other_monthly_debt_payments, target)
            drop = summary is not None and summary.drop_test_passed
            applies = self.mandatory.applies(plan, row, drop)
            t.with_incomes += summary is not None
            t.affordable += bool(b.affordable)
            t.mandatory += applies
            if self.page.wants(key):
                self.page.items.append(self._item(row, key, fig, i, row[AT["scheduled_payment"]], b, applies,
                                                  document))

    def add_columns(self, cols: LoanColumns, plan: PlanParams) -> None:
        """A block of loaded columns under ``plan``: totals on whole arrays; Python only for the loans with incomes
        and the page's items (whose ``contract_number`` :func:`_contract_numbers` fills in afterwards)."""
        loans = loan_arrays_from_columns(cols, self.request.start_on, penalty_terms(self.ruleset))
        fig = _figures(loans, plan, self.ruleset, self.discounting)
        self._add_totals(cols.size, fig)
        ids = cols["id"]
        t = self.totals
        applies = flagged(cols["flags"], [self.mandatory.applies_flags(plan, f, False) for f in cols.flag_values])
        target = self.ruleset.dti_target
        burdens: dict[int, _Burden] = {}
        for i in positions_of(ids, self.summaries) if self.summaries else ():
            key = int(ids[i])
            summary = self.summaries[key]
            self.seen.add(key)
            payment = from_tiyn(int(fig.max_regular_payment[i])) if int(fig.violations[i]) == 0 else None
            b = _burden(summary, payment, from_tiyn(int(cols["other_monthly_debt_payments"][i])), target)
            burdens[i] = b
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
        for i in positions_after(ids, self.page.cursor, self.page.limit + 1):
            key = int(ids[i])
            if not self.page.wants(key):
                break
            current = from_tiyn(int(cols["scheduled_payment"][i]))
            self.page.items.append(self._item(None, key, fig, i, current, burdens.get(i, none), bool(applies[i]),
                                              document))

    def add_recommended(self, row: Row) -> None:
        key = row[0]
        rs = self.ruleset
        snapshot = loan_snapshot(dict(zip(COLUMNS, row, strict=True)))
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
            t.relief += to_tiyn(relief)
            t.concession += to_tiyn(m.concession)
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


