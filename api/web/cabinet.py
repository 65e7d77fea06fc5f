"""The borrower's cabinet: loans and arrears, the hardship application form, status, documents, answer, withdrawal."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_babel import gettext
from marshmallow import ValidationError

from api.rule_texts import localise
from api.runtime import now, today, uow
from api.schemas import PlanParamsSchema
from api.web import actor, bp, choice, day, done, lang, page
from api.web.changes import what_changes
from api.web.charts import payments_chart
from restructure import application_views as views
from restructure import applications as service
from restructure.access import BORROWER
from restructure.cabinet import cabinet as borrower_cabinet
from restructure.errors import Conflict, InvalidInput
from restructure.loans import get_loan
from restructure.workflow import HARDSHIP_REASONS

AMOUNT = re.compile(r"^[0-9]{1,12}([.,][0-9]{1,2})?$")
RELIEFS = ("extend", "cut", "defer", "rate", "forgive")


@bp.get("/cabinet")
@page(BORROWER)
def cabinet() -> Any:
    """The borrower's loans with their arrears, and their applications."""
    mine = borrower_cabinet(uow(), actor())
    apps = [views.describe(a, today()) for a in mine.applications]
    open_loans = {a["loan_id"] for a in apps if a["status"] not in ("agreed", "refused", "withdrawn", "lapsed")}
    return render_template("pages/cabinet.html", loans=mine.loans, applications=apps, open_loans=open_loans)


def months_before(day: date, count: int = 12) -> list[str]:
    """The ``count`` months before ``day``'s month, oldest first: ``["2025-11", …, "2026-10"]``."""
    index = day.year * 12 + day.month - 1
    return [f"{(i // 12):04d}-{(i % 12) + 1:02d}" for i in range(index - count, index)]


@bp.route("/cabinet/loans/<int:loan_id>/apply", methods=["GET", "POST"])
@page(BORROWER)
def apply(loan_id: int) -> Any:
    """The hardship application: reasons, a statement, the relief asked for and twelve months of income."""
    loan = get_loan(uow(), actor(), loan_id).loan
    months = months_before(today())
    form: dict[str, Any] = {
        "reasons": [],
        "statement": "",
        "relief": "",
        "extra_months": "12",
        "payment_cut_pct": "50",
        "deferral_months": "3",
        "deferral_of": "principal",
        "new_rate_pct": "",
        "amounts": [""] * len(months),
    }
    errors: dict[str, str] = {}
    top_error = None
    if request.method == "POST":
        form, errors, data = _read_application(months)
        if not errors:
            try:
                created = service.submit(
                    uow(), actor(), service.NewApplication(loan_id=loan.id, **data), today=today(), now=now()
                )
            except InvalidInput as exc:
                errors = {_field_of(key): " ".join(messages) for key, messages in exc.errors.items()}
                top_error = gettext("The application could not be registered") + f": {exc.detail}"
            except Conflict:
                top_error = gettext("This loan already has an open application.")
            else:
                done()
                return redirect(url_for("pages.borrower_application", application_id=created.id))
        top_error = top_error or gettext("Please correct the marked fields.")
    status = 422 if top_error else 200
    return render_template(
        "pages/apply.html",
        loan=loan,
        months=months,
        form=form,
        errors=errors,
        top_error=top_error,
        hardship_reasons=HARDSHIP_REASONS,
        reliefs=RELIEFS,
    ), status


def _field_of(key: str) -> str:
    if key.startswith("incomes."):
        return "amount_" + key.split(".")[1]
    if key.startswith(("requested", "plan")):
        return "relief"
    return key.split(".")[0]


def _read_application(months: list[str]) -> tuple[dict[str, Any], dict[str, str], dict[str, Any]]:
    """The form as typed, its errors in the page's language, and the service's input when there are none."""
    f = request.form
    form: dict[str, Any] = {
        "reasons": [r for r in f.getlist("reasons") if r in HARDSHIP_REASONS],
        "statement": f.get("statement", "").strip(),
        "relief": f.get("relief", ""),
        "extra_months": f.get("extra_months", "").strip(),
        "payment_cut_pct": f.get("payment_cut_pct", "").strip(),
        "deferral_months": f.get("deferral_months", "").strip(),
        "deferral_of": f.get("deferral_of", "principal"),
        "new_rate_pct": f.get("new_rate_pct", "").strip().replace(",", "."),
        "amounts": [f.get(f"amount_{i}", "").strip() for i in range(len(months))],
    }
    errors: dict[str, str] = {}
    if not form["reasons"]:
        errors["reasons"] = gettext("Choose at least one reason.")
    if len(form["statement"]) > 5000:
        errors["statement"] = gettext("Too long.")
    requested: dict[str, Any] = {}
    relief = form["relief"]
    if relief not in RELIEFS:
        errors["relief"] = gettext("Choose the relief you ask for.")
    elif relief == "extend":
        requested = _whole(form, "extra_months", 1, 600, errors)
    elif relief == "cut":
        requested = _whole(form, "payment_cut_pct", 1, 99, errors)
    elif relief == "defer":
        requested = _whole(form, "deferral_months", 1, 60, errors)
        requested["deferral_of"] = "principal_and_interest" if form["deferral_of"] == "all" else "principal"
    elif relief == "rate":
        if not re.fullmatch(r"[0-9]{1,3}(\.[0-9]{1,4})?", form["new_rate_pct"]):
            errors["new_rate_pct"] = gettext("Enter a number (e.g. 18.5).")
        else:
            requested = {"new_rate_pct": form["new_rate_pct"]}
    else:
        requested = {"forgive": {"penalties": "all"}}
    if requested and "relief" not in errors:
        try:
            PlanParamsSchema().load(requested)
        except ValidationError:
            errors["relief"] = gettext("Choose the relief you ask for.")
    incomes = []
    for i, (month, typed) in enumerate(zip(months, form["amounts"], strict=True)):
        cleaned = typed.replace(" ", "").replace("\u00a0", "").replace("\u202f", "")
        if not cleaned:
            errors[f"amount_{i}"] = gettext("Required.")
        elif not AMOUNT.fullmatch(cleaned):
            errors[f"amount_{i}"] = gettext("An amount in tenge with at most two decimals: 250000 or 250000.50.")
        else:
            incomes.append({"month": month, "amount": cleaned.replace(",", ".")})
    data = {
        "language": lang(),
        "reasons": tuple(form["reasons"]),
        "statement": form["statement"],
        "requested": requested,
        "incomes": incomes,
        "channel": "cabinet",
    }
    return form, errors, data


def _whole(form: dict[str, Any], name: str, lo: int, hi: int, errors: dict[str, str]) -> dict[str, Any]:
    value = form[name]
    if not value.isdigit() or not lo <= int(value) <= hi:
        errors[name] = gettext("Enter a whole number") + ": " + gettext("between %(lo)s and %(hi)s", lo=lo, hi=hi) + "."
        return {}
    return {name: value if name == "payment_cut_pct" else int(value)}


@bp.get("/cabinet/applications/<int:application_id>")
@page(BORROWER)
def borrower_application(application_id: int) -> Any:
    """Status, deadlines, document requests, the offered schedule with its chart, and the borrower's actions."""
    app, loan, events = application_page(application_id)
    plan = (app["decision"] or {}).get("plan") or app["requested_plan"]
    return render_template(
        "pages/borrower_application.html",
        app=app,
        loan=loan,
        events=events,
        plan=plan,
        change=what_changes(loan, plan) if plan else None,
        chart=schedule_chart(plan),
        today=today(),
        days_between=_days_between,
    )


def application_page(application_id: int) -> tuple[dict[str, Any], Any, list[Any]]:
    """What an application's page shows: the application as the API describes it, in the page's language, its loan
    and its trail (a borrower's own only)."""
    app = localise(views.describe(views.get(uow(), actor(), application_id), today()), lang())
    loan = get_loan(uow(), actor(), app["loan_id"]).loan
    return app, loan, views.events(uow(), actor(), application_id)


def schedule_chart(plan: dict[str, Any] | None) -> Any:
    """The payments-over-time chart of a plan's schedule; none without a plan."""
    return payments_chart(plan["schedule"], title=gettext("Payments over time"), day=day) if plan else None


def _days_between(later: Any, earlier: date) -> int:
    d = later if isinstance(later, date) else date.fromisoformat(str(later))
    return (d - earlier).days


@bp.post("/cabinet/applications/<int:application_id>/documents")
@page(BORROWER)
def provide_documents(application_id: int) -> Any:
    """The borrower provides the requested documents today."""
    items = [line.strip() for line in request.form.get("items", "").splitlines() if line.strip()]
    if not items:
        raise InvalidInput(gettext("Required."), {"items": [gettext("Required.")]})
    service.receive_documents(uow(), actor(), application_id, items=items, received_on=None, today=today(), now=now())
    done()
    return redirect(url_for("pages.borrower_application", application_id=application_id))


@bp.post("/cabinet/applications/<int:application_id>/response")
@page(BORROWER)
def respond(application_id: int) -> Any:
    """Accept or decline the counter-offer."""
    answer = choice("answer", ("accept", "decline"))
    service.respond(uow(), actor(), application_id, answer=answer, today=today(), now=now())
    done()
    return redirect(url_for("pages.borrower_application", application_id=application_id))


@bp.post("/cabinet/applications/<int:application_id>/withdrawal")
@page(BORROWER)
def withdraw(application_id: int) -> Any:
    """Withdraw the application."""
    service.withdraw(
        uow(), actor(), application_id, reason=request.form.get("reason", "")[:500], today=today(), now=now()
    )
    done()
    return redirect(url_for("pages.borrower_application", application_id=application_id))


@bp.get("/cabinet/applications/<int:application_id>/notice.pdf")
@page(BORROWER)
def notice_pdf(application_id: int) -> Any:
    """The notice of the application as a PDF, in the page's language."""
    return notice_response(application_id)


def notice_response(application_id: int) -> Any:
    """The notices service's PDF for the signed-in user (visibility is checked by the service)."""
    try:
        from api import notices as rendering
        from restructure import notices
    except ImportError:  # the notices service is not part of this build
        abort(404)
    notice = notices.notice(uow(), actor(), application_id)
    return rendering.response(notice, lang(), rendering.PDF)
