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
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from typing import Any, Literal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from restructure.errors import InvalidInput
from restructure.loans import LoanData, snapshot_problems
from restructure.orm import Borrower, Loan
from restructure.portfolio_loader import IdRange, column_blocks, in_range
from restructure.portfolio_run import _Run, loan_arrays_of, penalty_terms
from restructure.portfolio_types import (
    COLUMNS,
    FLAG_COLUMNS,
    Aggregate,
    InlineLoan,
    LoanOutcome,
    Row,
    WhatIfRequest,
    WhatIfResult,
)
from restructure.snapshots import SNAPSHOT_FIELDS
from restructure.uow import UnitOfWork
from schedules.terms import PlanParams

__all__ = [
    "Aggregate", "InlineLoan", "LoanOutcome", "WhatIfRequest", "WhatIfResult", "check_request", "count_stored",
    "loan_arrays_of", "penalty_terms", "stored_chunks", "what_if",
]

MAX_RECOMMENDED = 2000
"""The largest selection ``recommended`` runs on (the scalar waterfall costs milliseconds a loan)."""
CHUNK = 8192
"""Loans read, converted and computed at a time."""
RECOMMENDED_CHUNK = 256
"""Loans of ``recommended`` read at a time (a second or so of the waterfall: the job's progress steps)."""
def _select() -> Any:
    columns = [getattr(Loan, name) for name in COLUMNS[: 2 + len(SNAPSHOT_FIELDS)]]
    columns += [getattr(Borrower, name) for name in FLAG_COLUMNS]
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
