"""The console's portfolio what-if (issue #17): one plan, or each loan's recommended plan, over the whole book; its
totals and first loans, and a progress bar while a large what-if runs as a job."""

from __future__ import annotations

from typing import Any

import marshmallow as ma
from flask import redirect, render_template, request, url_for

from api.portfolio import run_or_start, what_if_request
from api.runtime import today, uow
from api.schemas import PortfolioJobSchema, WhatIfRequestSchema, WhatIfSchema
from api.web import STAFF_PAGES, actor, bp, page
from restructure import portfolio_jobs
from restructure.errors import InvalidInput
from restructure.orm import PortfolioJob

PLANS: dict[str, dict[str, Any] | None] = {
    "payment_cut_50": {"payment_cut_pct": "50"},
    "term_extension_12": {"extra_months": 12},
    "deferral_3": {"deferral_months": 3, "deferral_of": "principal"},
    "rate_cut_20": {"new_rate_pct": "20"},
    "recommended": None,
}
"""The plans the page offers: name → plan parameters (SPEC §4); ``recommended`` is each loan's own plan."""
ITEMS = 20
"""Loans listed under the totals."""
REFRESH_SECONDS = 2


@bp.get("/console/portfolio")
@page(*STAFF_PAGES)
def portfolio() -> Any:
    """The form: which plan, from which day, over every stored loan."""
    return render_template("pages/portfolio.html", plans=PLANS, chosen="payment_cut_50", start_on=today(), result=None)


@bp.post("/console/portfolio")
@page(*STAFF_PAGES)
def portfolio_run() -> Any:
    """Run the what-if: the totals on this page, or the job's page with its progress when the book is large."""
    chosen = request.form.get("plan", "")
    body: dict[str, Any] = {"start_on": request.form.get("start_on", "")}
    if chosen not in PLANS:
        raise InvalidInput("Choose one of the plans.", {"plan": [f"One of: {', '.join(PLANS)}."]})
    if PLANS[chosen] is None:
        body["recommended"] = True
    else:
        body["plan"] = PLANS[chosen]
    try:
        data = WhatIfRequestSchema().load(body)
    except ma.ValidationError as e:
        raise InvalidInput("The what-if request is not possible.", e.normalized_messages()) from e  # type: ignore[arg-type]
    started = run_or_start(what_if_request(data, {"limit": ITEMS}), created_by=actor().user_id)
    if isinstance(started, PortfolioJob):
        return redirect(url_for("pages.portfolio_job", job_id=started.id))
    shown = WhatIfSchema().dump(started)
    return render_template("pages/portfolio.html", plans=PLANS, chosen=chosen, start_on=data["start_on"], result=shown)


@bp.get("/console/portfolio/jobs/<int(min=1, max=2147483647):job_id>")
@page(*STAFF_PAGES)
def portfolio_job(job_id: int) -> Any:
    """A what-if job: the progress bar (the page refreshes itself until the job ends), then its totals."""
    job = PortfolioJobSchema().dump(portfolio_jobs.get(uow(), job_id))
    running = job["status"] in ("queued", "running")
    return render_template("pages/portfolio_job.html", job=job, running=running, refresh=REFRESH_SECONDS)
