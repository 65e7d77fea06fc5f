"""The officers' console: the queue, an application with its assessment and simulation, and the decisions."""

from __future__ import annotations

import json
from datetime import date, timedelta
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext, pgettext
from marshmallow import ValidationError

from api.rule_texts import localise
from api.runtime import now, today, uow
from api.schemas import PlanParamsSchema
from api.web import STAFF_PAGES, actor, bp, choice, done, lang, page, quarter_asked
from api.web.cabinet import application_page, notice_response, schedule_chart
from api.web.charts import counts_chart
from api.web.names import code_name
from restructure import application_views as views
from restructure import applications as service
from restructure.access import ADMIN, CREDIT_OFFICER, RIGHTS_OFFICER
from restructure.cursors import DueFilter
from restructure.errors import InvalidInput
from restructure.simulation import simulate
from restructure.workflow import FINAL, REFUSAL_REASONS, STATUSES

QUEUE_SIZE = 200


@bp.get("/console")
@page(*STAFF_PAGES)
def queue() -> Any:
    """Open applications, earliest decision due date first; overdue ones are marked."""
    show_all = request.args.get("all") == "1"
    statuses = STATUSES if show_all else tuple(s for s in STATUSES if s not in FINAL)
    items, _ = views.queue(uow(), DueFilter(statuses, limit=QUEUE_SIZE), today=today())
    return render_template(
        "pages/queue.html", items=[views.describe(a, today()) for a in items], show_all=show_all, today=today()
    )


def _simulation(app: dict[str, Any], loan: Any) -> dict[str, Any] | None:
    """The presets, the requested plan and the recommendation for this application, as of today (stores nothing)."""
    if app["status"] in FINAL:
        return None
    start_on = max(today(), loan.as_of)
    found = simulate(
        uow(),
        actor(),
        start_on=start_on,
        incomes=app["incomes"],
        today=today(),
        loan_id=loan.id,
        received_on=app["received_on"],
        requested=(app["requested_plan"] or {}).get("params"),
    )
    return localise(found, lang())  # type: ignore[no-any-return]


def _columns(app: dict[str, Any], sim: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The plans side by side: the recommendation first, then what was asked, the presets and the unchanged loan.

    A proposed counter-offer comes first. It was checked when it was proposed as what it is, an offer the borrower
    accepts (SPEC §8 "Simulations and consent"); a preset with the same terms shows that check, not the
    simulation's check of the same terms as if imposed without consent.
    """
    if sim is None:
        return []
    columns = [{"key": "recommended", "name": gettext("Recommended"), "plan": sim["recommended"]["plan"]}]
    if app["requested_plan"]:
        columns.append({"key": "requested", "name": gettext("Requested"), "plan": app["requested_plan"]})
    for i, plan in enumerate(sim["plans"]):
        label = plan["params"].get("label") or "custom"
        columns.append({"key": f"preset-{i}", "name": code_name("plan", label), "plan": plan})
    columns.append({"key": "baseline", "name": gettext("Unchanged"), "plan": sim["baseline"]})
    decision = app["decision"] or {}
    offered = decision.get("plan") if decision.get("outcome") == "counter_offer" else None
    if offered:
        terms = _terms(offered["params"])
        for column in columns:
            if column["key"] != "baseline" and _terms(column["plan"]["params"]) == terms:
                column["proposed"] = True
                column["plan"] = column["plan"] | {
                    k: offered[k] for k in ("feasible", "needs_consent", "violations") if k in offered
                }
        name = gettext("Proposed counter-offer")
        columns.insert(0, {"key": "proposed", "name": name, "plan": offered, "proposed": True})
    return columns


def _terms(params: dict[str, Any] | None) -> dict[str, Any]:
    """A plan's terms without its preset label."""
    return {k: v for k, v in (params or {}).items() if k != "label" and v not in (None, [], {})}


@bp.get("/console/applications/<int:application_id>")
@page(*STAFF_PAGES)
def staff_application(application_id: int) -> Any:
    """The application, its assessment with cited rules, the simulation panel and the actions of the role."""
    app, loan, events = application_page(application_id)
    sim = _simulation(app, loan) if actor().role in (CREDIT_OFFICER, RIGHTS_OFFICER) else None
    # the rules' texts in the page's language: the same assessment, recomputed by the simulation
    assessment = sim["assessment"] if sim else app["assessment"]
    columns = _columns(app, sim)
    decided = (app["decision"] or {}).get("plan")
    return render_template(
        "pages/staff_application.html",
        app=app,
        assessment=assessment,
        loan=loan,
        events=events,
        sim=sim,
        columns=columns,
        chart=schedule_chart(decided),
        refusal_reasons=REFUSAL_REASONS,
        respond_by=today() + timedelta(days=10),
        json=json,
        can_decide=actor().role == CREDIT_OFFICER,
        can_concur=actor().role == RIGHTS_OFFICER,
    )


def _back(application_id: int) -> Any:
    return redirect(url_for("pages.staff_application", application_id=application_id))


@bp.post("/console/applications/<int:application_id>/document-requests")
@page(CREDIT_OFFICER)
def request_documents(application_id: int) -> Any:
    """Ask the borrower for documents by a date."""
    items = [line.strip() for line in request.form.get("items", "").splitlines() if line.strip()]
    try:
        respond_by = date.fromisoformat(request.form.get("respond_by", ""))
    except ValueError:
        raise InvalidInput(gettext("Required."), {"respond_by": [gettext("Required.")]}) from None
    if not items:
        raise InvalidInput(gettext("Required."), {"items": [gettext("Required.")]})
    service.request_documents(
        uow(), actor(), application_id, items=items, respond_by=respond_by, today=today(), now=now()
    )
    done()
    return _back(application_id)


@bp.post("/console/applications/<int:application_id>/decision")
@page(CREDIT_OFFICER)
def decide(application_id: int) -> Any:
    """Propose accepting the request, a counter-offer (one of the simulated plans) or a reasoned refusal."""
    outcome = request.form.get("outcome")
    plan = None
    if outcome == "counter_offer":
        try:
            plan = PlanParamsSchema().load(json.loads(request.form.get("plan", "")))  # checked as the API checks it
        except (ValueError, TypeError, ValidationError):
            raise InvalidInput(
                gettext("Choose the relief you ask for."), {"plan": [gettext("Choose the relief you ask for.")]}
            ) from None
    elif outcome not in ("accept", "refuse"):
        abort(400)
    reasons = tuple(r for r in request.form.getlist("reasons") if r in REFUSAL_REASONS)
    proposal = service.Proposal(
        outcome=outcome, plan=plan, reasons=reasons, comment=request.form.get("comment", "").strip()[:2000]
    )
    service.propose(uow(), actor(), application_id, proposal, today=today(), now=now())
    done()
    return _back(application_id)


@bp.post("/console/applications/<int:application_id>/approval")
@page(RIGHTS_OFFICER)
def approve(application_id: int) -> Any:
    """Concur with the proposed decision, or return it with a comment."""
    verdict = choice("verdict", ("approve", "return"))
    service.concur(
        uow(),
        actor(),
        application_id,
        verdict=verdict,
        comment=request.form.get("comment", "").strip()[:2000],
        today=today(),
        now=now(),
    )
    done()
    if request.form.get("from") == "queue":
        return redirect(url_for("pages.queue"))
    return _back(application_id)


@bp.get("/console/applications/<int:application_id>/notice.pdf")
@page(*STAFF_PAGES)
def staff_notice_pdf(application_id: int) -> Any:
    """The notice the borrower receives, as a PDF."""
    return notice_response(application_id)


@bp.get("/console/report")
@page(RIGHTS_OFFICER, ADMIN)
def report() -> Any:
    """The quarterly report for the client-rights officer, with charts (figures link to their applications)."""
    on = today()
    year, quarter = quarter_asked(on)
    try:
        from restructure import reports
    except ImportError:  # the report service is not part of this build
        return render_template("pages/report.html", year=year, quarter=quarter, data=None, charts={})
    data = reports.quarterly(uow(), year=year, quarter=quarter, today=on)
    intake, mandatory, refusals = data["intake"], data["mandatory"], data["refusals"]
    charts = {
        "by_channel": counts_chart(intake["by_channel"], "channel", title=gettext("Channel")),
        "by_reason": counts_chart(intake["by_reason"], "reason", title=pgettext("reasons", "Reasons")),
        "by_outcome": counts_chart(intake["by_outcome"], "report_outcome", title=gettext("Decision")),
        "mandatory": counts_chart(mandatory["by_outcome"], "report_outcome", title=gettext("Mandatory approvals")),
        "refusals": counts_chart(refusals["by_kind"], "report_outcome", title=gettext("Refusals")),
    }
    return render_template("pages/report.html", year=year, quarter=quarter, data=data, charts=charts)
