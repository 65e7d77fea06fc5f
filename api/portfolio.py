"""Portfolio what-if: one plan, or each loan's recommended plan, over many loans, with an aggregate."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import current_app, jsonify, url_for
from flask.views import MethodView
from flask_smorest import Blueprint

from api.auth import current_actor, requires
from api.errors import documents_problems
from api.runtime import runtime, today, uow
from api.schemas import PortfolioJobSchema, WhatIfQuerySchema, WhatIfRequestSchema, WhatIfSchema
from restructure import portfolio_dask, portfolio_jobs
from restructure.access import ADMIN, CREDIT_OFFICER, RIGHTS_OFFICER
from restructure.orm import PortfolioJob
from restructure.portfolio import (
    InlineLoan,
    Loader,
    WhatIfRequest,
    WhatIfResult,
    check_request,
    count_stored,
    what_if,
)
from restructure.snapshots import borrower_flags, incomes_mapping, plan_params
from restructure.uow import UnitOfWork

blp = Blueprint("portfolio", __name__, url_prefix="/api/v1/portfolio", description="Portfolio what-if")


def what_if_request(data: dict[str, Any], query: dict[str, Any]) -> WhatIfRequest:
    loans = data.get("loans")
    return WhatIfRequest(
        start_on=data["start_on"],
        plan=None if data.get("recommended") else plan_params(data["plan"]),
        loan_ids=data.get("loan_ids"),
        loans=None if loans is None else [
            InlineLoan(
                snapshot=loan,
                borrower=borrower_flags(loan.get("borrower") or {}),
                incomes=incomes_mapping(loan["incomes"]) if loan.get("incomes") else None,
            )
            for loan in loans
        ],
        incomes_by_loan={int(k): incomes_mapping(v) for k, v in (data.get("incomes_by_loan") or {}).items()},
        limit=query["limit"],
        cursor=int(query["cursor"]) if "cursor" in query else None,
    )


@blp.route("/what-if")
class WhatIf(MethodView):
    @requires(blp, CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
    @blp.arguments(WhatIfRequestSchema)
    @blp.arguments(WhatIfQuerySchema, location="query", unknown=ma.RAISE)
    @blp.response(200, WhatIfSchema)
    @blp.alt_response(
        202, schema=PortfolioJobSchema,
        description="The what-if runs as a job (a plan over 100,000 stored loans, recommended over 2000)",
    )
    @documents_problems(blp, 422)
    def post(self, data: dict[str, Any], query: dict[str, Any]) -> Any:
        """Apply one plan, or each loan's recommended plan, to many loans; per-loan results and totals.

        Selection: `loan_ids` (each once), inline `loans` (items keyed by `index`), or neither: every stored loan.
        Items come in loan id (or index) order, `limit` a page; pass `next_cursor` as `cursor` for the next page.
        The `aggregate` always covers the whole selection, whatever the page.

        A `plan` runs on the vectorised engine (100,000 loans in seconds). `"recommended": true` runs the scalar
        waterfall per loan (a few milliseconds each): on stored loans over 2000 it runs as a job (below), up to
        1,000,000 loans (422 beyond); on inline `loans` it takes at most 2000 (422 beyond).

        Definitions:
        - `feasible`: no violation of the engine's checks (for `recommended`, also of the plan rules). Per-loan
          figures are null for infeasible plans; totals sum over feasible ones.
        - `relief` = `current_payment` (the loan's `scheduled_payment`) − the plan's `max_regular_payment`,
          negative when the plan raises the instalment. `concession` = NPV(contract) − NPV(plan) (SPEC §5).
        - Incomes: the store keeps none per borrower, so they come with the request — `incomes_by_loan`
          (stored loans, by id) or `incomes` (inline loans), the 12 months before the current month. With
          incomes, `kdn` and `dti_recent` use the plan's `max_regular_payment` plus the borrower's other monthly
          debt payments; `affordable` = the plan is feasible and `dti_recent` ≤ `target`. Without incomes they are
          null and the loan never counts as affordable; `aggregate.with_incomes` says how many had incomes.
          `recommended` without incomes walks the whole waterfall (no target can be met) and returns the plan
          with the lowest burden.
        - `mandatory`: R-MANDATORY would apply if the borrower asked for the loan's plan — it defers, or cuts the
          instalment by at least the set's minimum (50%), and the borrower is emergency-affected, or vulnerable
          (Housing Law Art. 68) and receives АСП or, where incomes are given, passes the income-drop test.
          Without incomes the income-drop ground counts as not met: a lower bound.

        Over more than 100,000 stored loans under a `plan`, or more than 2000 stored loans under `recommended`,
        the what-if runs as a job: the answer is 202 with the job (`Location`: `GET /portfolio/jobs/{id}`), which
        gives the progress (`done` of `total` loans, `progress_pct`), then this same document as `result`. The
        job runs in a background thread of the serving process, one at a time per process; it does not survive a
        restart of the service (ask again). With `RESTRUCTURE_DASK_SCHEDULER` set, the job's thread hands the
        loans to that Dask cluster in partitions of loan ids, each worker reading its own rows from the database;
        the result is the same to the tiyn and `done` advances as partitions finish.
        """
        started = run_or_start(what_if_request(data, query), created_by=current_actor().user_id)
        if not isinstance(started, PortfolioJob):
            return started
        response = jsonify(PortfolioJobSchema().dump(started))
        response.status_code = 202
        response.headers["Location"] = url_for("portfolio.PortfolioJobView", job_id=started.id)
        return response


def run_or_start(request: WhatIfRequest, *, created_by: int) -> WhatIfResult | PortfolioJob:
    """The what-if's result, or the job it runs as when the selection is large (the API and the console's page)."""
    loader: Loader = current_app.config.get("PORTFOLIO_LOADER", "columns")
    if request.loans is None:
        check_request(request)
        total = count_stored(uow(), request.loan_ids)
        if request.plan is not None:
            threshold = current_app.config.get("PORTFOLIO_JOB_THRESHOLD", portfolio_jobs.JOB_THRESHOLD)
        else:
            threshold = current_app.config.get(
                "PORTFOLIO_RECOMMENDED_JOB_THRESHOLD", portfolio_jobs.RECOMMENDED_JOB_THRESHOLD
            )
        if total > threshold:
            if request.plan is None:
                portfolio_jobs.check_recommended_job(total)
            return _start_job(request, total, loader, created_by)
    return what_if(uow(), request, today=today(), loader=loader)


def _start_job(request: WhatIfRequest, total: int, loader: Loader, created_by: int) -> PortfolioJob:
    rt = runtime()
    day = today()
    settings = current_app.config["RESTRUCTURE"]
    scheduler = settings.get("DASK_SCHEDULER") or None
    database_url = settings["DATABASE_URL"]
    limit = portfolio_jobs.MAX_RECOMMENDED_JOB

    def factory() -> UnitOfWork:
        return UnitOfWork(rt.session_factory)

    def compute(progress: portfolio_jobs.Progress) -> dict[str, Any]:
        if scheduler:
            result = portfolio_dask.what_if_distributed(
                scheduler, database_url, factory(), request, today=day, loader=loader, progress=progress,
                recommended_limit=limit,
            )
        elif rt.engine.dialect.name == "sqlite":  # every SQLite transaction holds the write lock: read by parts
            result = portfolio_dask.what_if_in_parts(
                factory, request, today=day, loader=loader, progress=progress, recommended_limit=limit
            )
        else:
            result = what_if(factory(), request, today=day, loader=loader, progress=progress, recommended_limit=limit)
        return WhatIfSchema().dump(result)  # type: ignore[no-any-return]

    job = portfolio_jobs.start(
        factory,
        total=total,
        created_by=created_by,
        now=rt.clock.now,
        compute=compute,
        runner=current_app.extensions.get("portfolio_jobs_runner", portfolio_jobs.thread_runner),
    )
    return job


@blp.route("/jobs/<int(min=1, max=2147483647):job_id>")
class PortfolioJobView(MethodView):
    @requires(blp, CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
    @blp.response(200, PortfolioJobSchema)
    @documents_problems(blp, 404)
    def get(self, job_id: int) -> Any:
        """A what-if job: `status` (queued, running, done, failed), `done` of `total` loans and `progress_pct`;
        when done, `result` is what `POST /portfolio/what-if` answers; when failed, `error` says why."""
        return portfolio_jobs.get(uow(), job_id)
