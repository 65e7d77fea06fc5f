"""The complaint register's pages: the borrower files, follows and reads the answer; staff run the register, the
complaint's page with its trail and the actions of each role, and the quarterly analysis with charts."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Response, abort, redirect, render_template, request, url_for
from flask_babel import gettext

from api import complaint_letters
from api.notices import PDF
from api.runtime import now, today, uow
from api.web import actor, bp, done, lang, page, quarter_asked
from api.web.charts import counts_chart
from restructure import complaints as service
from restructure import complaints_views as views
from restructure import complaints_workflow as cw
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, DIRECTOR, LAWYER, RIGHTS_OFFICER
from restructure.cabinet import cabinet as borrower_cabinet
from restructure.complaints_intake import NewComplaint, register
from restructure.complaints_reports import quarterly_complaints
from restructure.cursors import DueFilter
from restructure.errors import InvalidInput
from rules.complaints import complaint_rules_for

COMPLAINT_STAFF = (CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN, LAWYER, DIRECTOR)
REGISTRARS = (CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
CATEGORIES = ("penalty_calculation", "staff_conduct", "restructuring", "information", "collection", "other")
REGISTER_SIZE = 200


def _form(name: str) -> str:
    return request.form.get(name, "").strip()[:5000]


def _date(name: str, required: bool = True) -> date | None:
    raw = _form(name)
    if not raw and not required:
        return None
    try:
        return date.fromisoformat(raw)
    except ValueError:
        raise InvalidInput(gettext("Required."), {name: [gettext("Required.")]}) from None


def _lines(name: str) -> list[str]:
    return [line.strip() for line in request.form.get(name, "").splitlines() if line.strip()][:20]


def _pdf(complaint_id: int) -> Response:
    complaint = views.get(uow(), actor(), complaint_id)
    return complaint_letters.response(complaint, lang(), PDF)


# --- the borrower's cabinet -------------------------------------------------------------------------------------------


@bp.route("/cabinet/complaints", methods=["GET", "POST"])
@page(BORROWER)
def cabinet_complaints() -> Any:
    """The borrower's complaints and the form to file one (cabinet channel, received today)."""
    if request.method == "POST":
        kind = _form("kind") if _form("kind") in cw.KINDS else "complaint"
        application_id = request.form.get("application_id", type=int)
        language = _form("language") if _form("language") in cw.LANGUAGES else lang()
        category = _form("category") if _form("category") in CATEGORIES else None
        data = NewComplaint(
            kind=kind,
            channel="cabinet",
            language=language,
            text=_form("text"),
            category=category,
            application_id=application_id or None,
        )
        c = register(uow(), actor(), data, today=today(), now=now())
        done()
        return redirect(url_for("pages.cabinet_complaint", complaint_id=c.id))
    assert actor().borrower_id is not None  # noqa: S101 - a borrower page
    items = [views.describe(c, today()) for c in views.of_borrower(uow(), actor().borrower_id)]
    applications = borrower_cabinet(uow(), actor()).applications
    return render_template(
        "pages/cabinet_complaints.html", items=items, applications=applications, kinds=cw.KINDS, categories=CATEGORIES
    )


@bp.get("/cabinet/complaints/<int:complaint_id>")
@page(BORROWER)
def cabinet_complaint(complaint_id: int) -> Any:
    """One of the borrower's complaints: its state, due date, the answer when there is one."""
    c = views.describe(views.get(uow(), actor(), complaint_id), today())
    return render_template("pages/cabinet_complaint.html", c=c)


@bp.post("/cabinet/complaints/<int:complaint_id>/withdrawal")
@page(BORROWER)
def cabinet_withdraw_complaint(complaint_id: int) -> Any:
    """The borrower withdraws the complaint."""
    service.withdraw(uow(), actor(), complaint_id, reason=_form("reason"), today=today(), now=now())
    done()
    return redirect(url_for("pages.cabinet_complaint", complaint_id=complaint_id))


@bp.get("/cabinet/complaints/<int:complaint_id>/answer.pdf")
@page(BORROWER)
def cabinet_complaint_pdf(complaint_id: int) -> Any:
    """The answer letter as a PDF, in the page's language."""
    return _pdf(complaint_id)


# --- the console ------------------------------------------------------------------------------------------------------


@bp.route("/console/complaints", methods=["GET", "POST"])
@page(*COMPLAINT_STAFF)
def complaint_register() -> Any:
    """The register, earliest answer due date first; overdue ones are marked. Registrars may register one."""
    if request.method == "POST":
        if actor().role not in REGISTRARS:
            abort(403)
        name = _form("applicant_name")
        rep = _form("representative_name")
        data = NewComplaint(
            kind=_form("kind") if _form("kind") in cw.KINDS else "complaint",
            channel=_form("channel"),
            language=_form("language") if _form("language") in cw.LANGUAGES else "ru",
            text=_form("text"),
            category=_form("category") if _form("category") in CATEGORIES else None,
            received_on=_date("received_on"),
            forwarded_on=_date("forwarded_on", required=False),
            applicant={"name": name, "contact": _form("applicant_contact")} if name else None,
            representative={"name": rep, "document": _form("poa"), "notarised": bool(request.form.get("notarised"))}
            if rep
            else None,
            reports_crime=bool(request.form.get("reports_crime")),
        )
        c = register(uow(), actor(), data, today=today(), now=now())
        done()
        return redirect(url_for("pages.staff_complaint", complaint_id=c.id))
    show_all = request.args.get("all") == "1"
    statuses = cw.STATUSES if show_all else cw.AWAITING_ANSWER
    items, _ = views.register_page(uow(), DueFilter(statuses, limit=REGISTER_SIZE), today=today())
    return render_template(
        "pages/complaints_register.html",
        items=[views.describe(c, today()) for c in items],
        show_all=show_all,
        channels=cw.STAFF_CHANNELS,
        kinds=cw.KINDS,
        categories=CATEGORIES,
        today=today(),
        can_register=actor().role in REGISTRARS,
    )


@bp.get("/console/complaints/<int:complaint_id>")
@page(*COMPLAINT_STAFF)
def staff_complaint(complaint_id: int) -> Any:
    """The complaint, its trail, and the actions of the signed-in role in its current state."""
    c = views.describe(views.get(uow(), actor(), complaint_id), today())
    role, status = actor().role, c["status"]
    allowed = {action for action, states in cw.ALLOWED.items() if status in states}
    can = {
        "assign": role in (RIGHTS_OFFICER, DIRECTOR) and "assign" in allowed,
        "request_information": role == RIGHTS_OFFICER and "request_information" in allowed,
        "extend": role == DIRECTOR and "extend" in allowed and not c["extension"],
        "draft": role == RIGHTS_OFFICER and "draft" in allowed,
        "review": role == LAWYER and "review" in allowed,
        "sign": role == DIRECTOR and "sign" in allowed,
        "close": role == RIGHTS_OFFICER
        and ("close" in allowed or (c["forwarded_to_authorities"] and status == cw.REGISTERED)),
        "refuse": role == RIGHTS_OFFICER and "refuse" in allowed,
    }
    return render_template(
        "pages/staff_complaint.html",
        c=c,
        events=views.events(uow(), actor(), complaint_id),
        can=can,
        outcomes=cw.OUTCOMES,
        reasons=complaint_rules_for(c["received_on"]).refusal_reasons,
        today=today(),
    )


def _back(complaint_id: int) -> Any:
    return redirect(url_for("pages.staff_complaint", complaint_id=complaint_id))


@bp.post("/console/complaints/<int:complaint_id>/<action>")
@page(RIGHTS_OFFICER, LAWYER, DIRECTOR)
def complaint_action(complaint_id: int, action: str) -> Any:
    """One step of the workflow; the service checks the state, the rules and the person."""
    who, on, at = actor(), today(), now()
    need = {
        "assignment": (RIGHTS_OFFICER, DIRECTOR),
        "information": (RIGHTS_OFFICER,),
        "extension": (DIRECTOR,),
        "answer": (RIGHTS_OFFICER,),
        "review": (LAWYER,),
        "signature": (DIRECTOR,),
        "closure": (RIGHTS_OFFICER,),
        "refusal": (RIGHTS_OFFICER,),
    }
    if action not in need:
        abort(404)
    if who.role not in need[action]:
        abort(403)
    if action == "assignment":
        service.assign(uow(), who, complaint_id, unit=_form("unit"), handler=_form("handler"), today=on, now=at)
    elif action == "information":
        service.request_information(
            uow(),
            who,
            complaint_id,
            unit=_form("unit"),
            items=_lines("items"),
            due_on=_date("due_on") or on,
            outside_information=bool(request.form.get("outside_information")),
            reason=_form("reason"),
            today=on,
            now=at,
        )
    elif action == "extension":
        service.extend(
            uow(),
            who,
            complaint_id,
            days=request.form.get("days", type=int) or 0,
            reason=_form("reason"),
            decided_on=_date("decided_on", required=False),
            notice_sent_on=_date("notice_sent_on", required=False),
            today=on,
            now=at,
        )
    elif action == "answer":
        outcome = _form("outcome") if _form("outcome") in cw.OUTCOMES else None
        answer = {
            "outcome": outcome,
            "text": _form("text"),
            "lender_actions": _form("lender_actions"),
            "client_actions": _form("client_actions"),
            "references": _lines("references"),
        }
        service.draft_answer(uow(), who, complaint_id, answer=answer, today=on, now=at)
    elif action == "review":
        verdict = _form("verdict")
        if verdict not in ("approve", "return"):
            abort(400)
        service.legal_review(uow(), who, complaint_id, verdict=verdict, comment=_form("comment"), today=on, now=at)
    elif action == "signature":
        service.sign(uow(), who, complaint_id, today=on, now=at)
    elif action == "closure":
        service.close(uow(), who, complaint_id, summary=_form("summary"), today=on, now=at)
    else:
        service.refuse(uow(), who, complaint_id, reason=_form("reason"), comment=_form("comment"), today=on, now=at)
    done()
    return _back(complaint_id)


@bp.get("/console/complaints/<int:complaint_id>/answer.pdf")
@page(*COMPLAINT_STAFF)
def staff_complaint_pdf(complaint_id: int) -> Any:
    """The answer letter as the client receives it (PDF, in the complaint's language)."""
    complaint = views.get(uow(), actor(), complaint_id)
    return complaint_letters.response(complaint, None, PDF)


@bp.get("/console/complaints/report")
@page(RIGHTS_OFFICER, DIRECTOR, ADMIN)
def complaints_report() -> Any:
    """The quarterly analysis with charts; every figure links to its complaints."""
    on = today()
    year, quarter = quarter_asked(on)
    data = quarterly_complaints(uow(), year=year, quarter=quarter, today=on)
    charts = {
        "by_channel": counts_chart(data["by_channel"], "channel", title=gettext("Channel")),
        "by_kind": counts_chart(data["by_kind"], "complaint_kind", title=gettext("Kind")),
        "by_category": counts_chart(data["by_category"], "category", title=gettext("Category")),
        "by_outcome": counts_chart(data["by_outcome"], "complaint_outcome", title=gettext("Outcome")),
        "refusals": counts_chart(data["refusals_by_reason"], "refusal_reason", title=gettext("Refusals by reason")),
    }
    return render_template("pages/complaints_report.html", year=year, quarter=quarter, data=data, charts=charts)
