"""The portfolio what-if in partitions of the book (issue #17): on a Dask cluster, past one machine; or one after
another in the serving process (:func:`what_if_in_parts`, the jobs on SQLite).

When ``RESTRUCTURE_DASK_SCHEDULER`` names a ``dask.distributed`` scheduler, a what-if job is cut into partitions:
ranges of loan ids ``[lo, hi)`` balanced by count (every stored loan), or slices of the sorted ``loan_ids``. Each
task gets the database URL, never a session: the worker opens its own connection (one engine per worker process
and URL, :func:`worker_engine`), reads its rows with the columnar loader (``restructure/portfolio_loader.py``) or, for
``recommended``, the row loader, and runs :func:`restructure.portfolio.what_if` on its partition only. It returns a
:class:`Partial`: integer counts, the totals in tiyn and the partition's first page of items after the cursor.

The driver (the job's thread) merges the partials in partition order, so the aggregate is the exact integer sum the
single-process run gives, to the tiyn, and the page is the single-process page: the partitions are in id order, so
their items concatenated and cut at ``limit`` are the first ``limit`` items after the cursor overall. The job's
``done`` advances as partitions finish (in any order).

The workers need this package installed (the same version) and network access to the database; SQLite works only
when every worker sees the same file (one machine, or a shared disk). Start them without the ``MALLOC_TRIM_THRESHOLD_``
that Dask's nanny sets by default (in the workers' Dask config, ``distributed.nanny.pre-spawn-environ`` with
``MALLOC_TRIM_THRESHOLD_: null``; or ``dask worker --no-nanny``): with it glibc maps and unmaps every large temporary
array of the engine, which made a worker 40% slower (measured on 200,000 loans: 3.7 s instead of 2.6 s in one
process).
"""

from __future__ import annotations

import dataclasses
import threading
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import Engine, create_engine, event, func, select
from sqlalchemy.orm import sessionmaker

from restructure import portfolio, portfolio_loader
from restructure.db import make_engine
from restructure.orm import Loan
from restructure.portfolio import (
    Aggregate,
    Loader,
    LoanOutcome,
    WhatIfRequest,
    WhatIfResult,
    check_request,
    what_if,
)
from restructure.portfolio_loader import FlagTable, IdRange, flag_table, given_flag_table
from restructure.uow import UnitOfWork
from schedules.money import from_tiyn, to_tiyn

PARTITION_LOANS = 16_384
"""Loans of a partition under one ``plan``: two engine blocks, a quarter of a second of work. Measured on 200,000
loans with two workers: 1.8 s with 16,384, 2.3 s with 65,536 (the last partitions leave a worker idle); each
partition costs some 30 ms of its own (its COPY's start, its page and their contract numbers; the flag table of the
COPY is read once, by the driver)."""
RECOMMENDED_PARTITION_LOANS = 512
"""Loans of a partition under ``recommended`` (the scalar waterfall, a few milliseconds a loan)."""


@dataclass(frozen=True)
class Partition:
    """The loans of one task: ``loan_ids`` (a slice of the request's, sorted) or, for every stored loan,
    ``id_range``."""

    index: int
    id_range: IdRange | None = None
    loan_ids: tuple[int, ...] | None = None


@dataclass(frozen=True)
class Partial:
    """One partition's answer: counts, totals in tiyn, and its items after the cursor (at most ``limit``, with
    ``more`` when it had further ones)."""

    loans: int
    feasible: int
    with_incomes: int
    affordable: int
    mandatory: int
    relief: int
    concession: int
    items: tuple[LoanOutcome, ...]
    more: bool
    rule_set: str
    target: Decimal


def partial_of(result: WhatIfResult) -> Partial:
    """A partition's result as integers (its totals are sums of tiyn, so the conversion is exact)."""
    a = result.aggregate
    return Partial(
        loans=a.loans,
        feasible=a.feasible,
        with_incomes=a.with_incomes,
        affordable=a.affordable,
        mandatory=a.mandatory,
        relief=to_tiyn(a.total_relief),
        concession=to_tiyn(a.total_concession),
        items=result.items,
        more=result.next_cursor is not None,
        rule_set=result.rule_set,
        target=result.target,
    )


def merge(partials: Sequence[Partial], limit: int) -> WhatIfResult:
    """The what-if of the whole selection from its partitions' partials, given in partition (= loan id) order."""
    if not partials:
        raise ValueError("no partitions to merge")
    items = [item for p in partials for item in p.items]
    more = len(items) > limit or any(p.more for p in partials)
    page = tuple(items[:limit])
    last = page[-1].loan_id if page else None
    aggregate = Aggregate(
        loans=sum(p.loans for p in partials),
        feasible=sum(p.feasible for p in partials),
        with_incomes=sum(p.with_incomes for p in partials),
        affordable=sum(p.affordable for p in partials),
        mandatory=sum(p.mandatory for p in partials),
        total_relief=from_tiyn(sum(p.relief for p in partials)),
        total_concession=from_tiyn(sum(p.concession for p in partials)),
    )
    return WhatIfResult(
        items=page,
        next_cursor=str(last) if more and last is not None else None,
        aggregate=aggregate,
        rule_set=partials[0].rule_set,
        target=partials[0].target,
    )


def partitions(uow: UnitOfWork, request: WhatIfRequest, size: int) -> list[Partition]:
    """The request's loans cut into partitions of about ``size`` loans, in loan id order."""
    if request.loan_ids is not None:
        ids = sorted(request.loan_ids)
        return [
            Partition(index=i, loan_ids=tuple(ids[lo : lo + size]))
            for i, lo in enumerate(range(0, max(len(ids), 1), size))
        ]
    with uow:
        low, high, count = uow.session.execute(select(func.min(Loan.id), func.max(Loan.id), func.count())).one()
        if count and high - low + 1 == count:  # no gaps: the bounds by arithmetic (a million ids: 0.3 s less)
            starts = list(range(low, high + 1, size))
        else:
            numbered = select(Loan.id.label("id"), func.row_number().over(order_by=Loan.id).label("n")).subquery()
            query = select(numbered.c.id).where((numbered.c.n - 1) % size == 0).order_by(numbered.c.id)
            starts = list(uow.session.scalars(query))
    # the first partition is open below and the last above, so every id, stored or not, falls in exactly one
    bounds: list[int | None] = [None, *starts[1:], None]
    return [Partition(index=i, id_range=(bounds[i], bounds[i + 1])) for i in range(len(bounds) - 1)]


def restrict(request: WhatIfRequest, partition: Partition) -> WhatIfRequest:
    """The request for one partition: its loans and only their incomes."""
    if partition.loan_ids is not None:
        mine = set(partition.loan_ids)
        incomes = {k: v for k, v in request.incomes_by_loan.items() if k in mine}
        return dataclasses.replace(request, loan_ids=list(partition.loan_ids), incomes_by_loan=incomes)
    lo, hi = partition.id_range or (None, None)
    incomes = {k: v for k, v in request.incomes_by_loan.items() if (lo is None or k >= lo) and (hi is None or k < hi)}
    return dataclasses.replace(request, incomes_by_loan=incomes)


_ENGINES: dict[str, Engine] = {}
_ENGINES_LOCK = threading.Lock()


def read_engine(url: str) -> Engine:
    """An engine for reading only. SQLite: deferred transactions (the service's ``BEGIN IMMEDIATE`` would make the
    workers queue for the write lock); others: the service's engine (``restructure.db.make_engine``)."""
    if not url.startswith("sqlite"):
        return make_engine(url, pool_size=2, max_overflow=0)
    engine = create_engine(url, connect_args={"timeout": 30}, hide_parameters=True)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA busy_timeout=30000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN")  # a read snapshot for the whole partition

    return engine


def worker_engine(url: str) -> Engine:
    """This process's read engine for ``url`` (made once; a worker keeps its pooled connection between tasks)."""
    with _ENGINES_LOCK:
        if url not in _ENGINES:
            _ENGINES[url] = read_engine(url)
        return _ENGINES[url]


def run_partition(
    database_url: str,
    request: WhatIfRequest,
    partition: Partition,
    today: date,
    loader: Loader,
    recommended_limit: int | None,
    flags: FlagTable | None = None,
) -> Partial:
    """A Dask task: the what-if of one partition, on a connection of this worker's own. ``flags``: the driver's
    flag table for the binary COPY (read again here if a borrower's flags changed since)."""
    factory = sessionmaker(bind=worker_engine(database_url), expire_on_commit=False)

    def run() -> Partial:
        result = what_if(
            UnitOfWork(factory),
            request,
            today=today,
            loader=loader,
            id_range=partition.id_range,
            recommended_limit=recommended_limit,
        )
        return partial_of(result)

    if flags is not None:
        try:
            with given_flag_table(flags):
                return run()
        except ValueError:
            pass  # a borrower's flags changed since the driver read them: nothing was kept, so again on our own
    return run()


def what_if_in_parts(
    uow_factory: Callable[[], UnitOfWork],
    request: WhatIfRequest,
    *,
    today: date,
    loader: Loader = "columns",
    progress: Callable[[int], None] | None = None,
    recommended_limit: int | None = None,
) -> WhatIfResult:
    """The same partitions run one after the other in this process, each in a transaction of its own, merged as on
    Dask. For SQLite, whose every transaction takes the write lock: a job's progress is written between partitions,
    never while a read holds the lock (one long read would lock out the progress and the job's page)."""
    if request.loans is not None:
        raise ValueError("inline loans run in the serving process")
    check_request(request)
    # parts the size of the single process's blocks, so the progress advances as often as it does there
    size = portfolio_loader.BLOCK if request.plan is not None else portfolio.RECOMMENDED_CHUNK
    partials = []
    done = 0
    for part in partitions(uow_factory(), request, size):
        result = what_if(
            uow_factory(),
            restrict(request, part),
            today=today,
            loader=loader,
            id_range=part.id_range,
            recommended_limit=recommended_limit,
        )
        partials.append(partial_of(result))
        done += partials[-1].loans
        if progress is not None:
            progress(done)
    return merge(partials, request.limit)


def what_if_distributed(
    scheduler: str,
    database_url: str,
    uow: UnitOfWork,
    request: WhatIfRequest,
    *,
    today: date,
    loader: Loader = "columns",
    progress: Callable[[int], None] | None = None,
    recommended_limit: int | None = None,
    partition_loans: int | None = None,
) -> WhatIfResult:
    """:func:`restructure.portfolio.what_if` over stored loans on the Dask cluster at ``scheduler``: equal to the
    single-process result (aggregate to the tiyn, the same page). ``progress`` is told the loans done each time a
    partition finishes."""
    from distributed import Client, as_completed

    if request.loans is not None:
        raise ValueError("inline loans run in the serving process")
    check_request(request)
    size = partition_loans or (PARTITION_LOANS if request.plan is not None else RECOMMENDED_PARTITION_LOANS)
    parts = partitions(uow, request, max(1, size))
    flags = _flags_for_copy(uow) if request.plan is not None and loader == "columns" else None
    partials: dict[int, Partial] = {}
    run = uuid.uuid4().hex[:12]
    with Client(scheduler, set_as_default=False) as client:  # type: ignore[no-untyped-call]
        futures = {
            client.submit(
                run_partition,
                database_url,
                restrict(request, p),
                p,
                today,
                loader,
                recommended_limit,
                flags,
                pure=False,
                key=f"portfolio-what-if-{run}-{p.index}",
            ): p.index
            for p in parts
        }
        done = 0
        try:
            for future in as_completed(list(futures), loop=client.loop):  # type: ignore[no-untyped-call]
                partial: Partial = future.result()
                partials[futures[future]] = partial
                done += partial.loans
                if progress is not None:
                    progress(done)
        except BaseException:
            client.cancel(list(futures))
            raise
    return merge([partials[i] for i in sorted(partials)], request.limit)


def _flags_for_copy(uow: UnitOfWork) -> FlagTable | None:
    with uow:
        bind = uow.session.get_bind()
        if bind.dialect.name == "postgresql" and bind.dialect.driver == "psycopg":
            return flag_table(uow.session)
    return None
