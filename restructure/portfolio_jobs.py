"""Portfolio what-if jobs (issue #17): a what-if over more than :data:`JOB_THRESHOLD` loans runs in the background.

``start`` records a ``queued`` job (its ``total`` = the loans selected) and hands the run to a *runner*; the run
marks it ``running``, writes ``done`` (loans computed) after every block in a unit of work of its own, and ends
``done`` with the result document, or ``failed`` with the problem's message.

Limits (documented in API.md's addition and the endpoint): the default runner is a daemon thread in the serving
process, one job at a time per process (:data:`_ONE_AT_A_TIME`; others wait their turn, ``queued``). A job does not
survive its process: after a restart a ``queued``/``running`` job stays so, and must be asked again. With several
worker processes each runs its own jobs; any of them answers ``GET`` from the table.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import update

from restructure.errors import DomainError, InvalidInput, NotFound
from restructure.orm import PortfolioJob
from restructure.uow import UnitOfWork

log = logging.getLogger(__name__)

JOB_THRESHOLD = 100_000
"""A what-if under one ``plan`` over more stored loans than this runs as a job."""
RECOMMENDED_JOB_THRESHOLD = 2000
"""``recommended`` over more stored loans than this runs as a job (inline it stops at ``portfolio.MAX_RECOMMENDED``,
the same number)."""
MAX_RECOMMENDED_JOB = 1_000_000
"""The largest selection a ``recommended`` job takes: memory stays one chunk whatever the size, but the scalar
waterfall costs a few milliseconds a loan (100,000 loans: minutes on one core), so a bound keeps a mistaken request
from holding the job thread for hours. Beyond it: 422."""
STATUSES = ("queued", "running", "done", "failed")
_ONE_AT_A_TIME = threading.Semaphore(1)

Progress = Callable[[int], None]
"""Told the loans done so far."""
Runner = Callable[[Callable[[], None]], None]
"""Runs a job's work: :func:`thread_runner` in the service, something synchronous or deferred in tests."""


def check_recommended_job(total: int) -> None:
    """A ``recommended`` job's selection within :data:`MAX_RECOMMENDED_JOB` (``InvalidInput`` beyond)."""
    if total > MAX_RECOMMENDED_JOB:
        raise InvalidInput(
            f"A recommended what-if job runs on at most {MAX_RECOMMENDED_JOB} loans; this selection has {total}.",
            {"recommended": [f"At most {MAX_RECOMMENDED_JOB} loans (MAX_RECOMMENDED_JOB); select fewer."]},
        )


def thread_runner(work: Callable[[], None]) -> None:
    """A daemon thread in this process, one job at a time."""

    def run() -> None:
        with _ONE_AT_A_TIME:
            work()

    threading.Thread(target=run, name="portfolio-job", daemon=True).start()


def _set(uow: UnitOfWork, job_id: int, **values: Any) -> None:
    with uow:
        uow.session.execute(update(PortfolioJob).where(PortfolioJob.id == job_id).values(**values))
        uow.commit()


def start(
    uow_factory: Callable[[], UnitOfWork],
    *,
    total: int,
    created_by: int | None,
    now: Callable[[], datetime],
    compute: Callable[[Callable[[int], None]], dict[str, Any]],
    runner: Runner = thread_runner,
) -> PortfolioJob:
    """Record a queued job over ``total`` loans and run ``compute(progress)`` (which returns the result document)
    through ``runner``. Returns the job as recorded."""
    uow = uow_factory()
    with uow:
        job = PortfolioJob(status="queued", total=total, done=0, created_by=created_by, created_at=now())
        uow.session.add(job)
        uow.session.flush()
        uow.commit()
        job_id = job.id

    def work() -> None:
        _set(uow_factory(), job_id, status="running")
        try:
            result = compute(lambda done: _set(uow_factory(), job_id, done=done))
        except DomainError as e:
            _set(uow_factory(), job_id, status="failed", error=str(e), finished_at=now())
            return
        except Exception:  # the job must end; the log names the job only
            log.exception("portfolio job %s failed", job_id)
            _set(uow_factory(), job_id, status="failed", error="The what-if failed; see the service log.",
                 finished_at=now())
            return
        _set(uow_factory(), job_id, status="done", done=total, result=result, finished_at=now())

    runner(work)
    return job


def get(uow: UnitOfWork, job_id: int) -> PortfolioJob:
    """The job, or ``NotFound``."""
    with uow:
        job = uow.session.get(PortfolioJob, job_id)
        if job is None:
            raise NotFound(f"No portfolio job {job_id}.")
        return job
