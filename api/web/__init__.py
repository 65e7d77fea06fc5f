"""Server-rendered pages: the borrower's cabinet and the officers' console, on the same services as the API.

The signed-in user lives in Flask's signed session cookie (HttpOnly, SameSite=Lax). Every POST to a page carries a
CSRF token (Flask-WTF), checked here for this blueprint only: the JSON API uses bearer tokens and is not affected.
URLs carry record ids only, never an IIN or a name.

Modules (one line each; ``tests/unit/test_module_maps.py`` keeps this list equal to the files):

- ``cabinet``: The borrower's cabinet: loans, the application form, status, documents, the answer
- ``changes``: What an offered plan changes for the borrower, from the loan and the plan the page has
- ``charts``: Small inline SVG charts drawn on the server
- ``complaint_pages``: The complaint register's pages for borrowers and staff
- ``console``: The officers' console: the queue, an application with its assessment, the decisions
- ``names``: The name of every code a page shows, in the page's language: states, reasons, rules
- ``notices_pages``: Pages for notices: the console's delinquency list and each loan's notices
- ``portfolio_pages``: The console's portfolio what-if: the form, the totals, and a job's progress bar
- ``session_views``: Sign in with a token, sign out, and switch the page language
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext, refresh
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from api.notices import LOCALES
from api.web.names import citation_name, code_name, rule_name
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, Actor
from restructure.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RuleViolation

bp = Blueprint(
    "pages", __name__, static_folder="static", static_url_path="/pages-static", template_folder="../templates"
)
csrf = CSRFProtect()
F = TypeVar("F", bound=Callable[..., Any])
STAFF_PAGES = (CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)
LANGUAGES = ("kk", "ru", "en")
LANGUAGE_NAMES = {"kk": "Қазақша", "ru": "Русский", "en": "English"}  # the switcher names each in itself


def init_app(app: Flask) -> None:
    """Bind CSRF (checked only on the pages' POSTs), harden the session cookie and register the pages."""
    app.config["WTF_CSRF_CHECK_DEFAULT"] = False
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    csrf.init_app(app)
    app.register_blueprint(bp)


# --- who and which language --------------------------------------------------------------------------------------


def lang() -> str:
    """The page language: the switcher's choice, else the browser's preference, else Russian."""
    chosen = session.get("lang")
    if chosen in LANGUAGES:
        return str(chosen)
    return request.accept_languages.best_match(LANGUAGES) or "ru"


def use_page_locale() -> None:
    """Flask-Babel speaks the page's language for the rest of this request.

    Babel's locale selector (api/notices.py) returns the locale put in ``g.notice_locale``; a notice rendered during
    a page request (the outbox) sets it to the notice's language, so a page sets it back before it speaks again.
    """
    g.notice_locale = LOCALES[lang()]
    refresh()  # Babel caches the locale per request


def signed_in() -> Actor | None:
    """The signed-in user; the server-side session is checked on every request (api/web/session_views.py)."""
    from api.web.session_views import page_actor

    return page_actor()


def actor() -> Actor:
    """The signed-in user of this request (set by :func:`page`)."""
    return g.page_actor  # type: ignore[no-any-return]


def page(*roles: str) -> Callable[[F], F]:
    """Require a signed-in user with one of ``roles``; others are sent to sign in, or refused."""

    def decorator(fn: F) -> F:
        @wraps(fn)
        def wrapper(*args: Any, **kwargs: Any) -> Any:
            who = signed_in()
            if who is None:
                return redirect(url_for("pages.sign_in", next=request.path))
            if who.role not in roles:
                abort(403)
            g.page_actor = who
            return fn(*args, **kwargs)

        return wrapper  # type: ignore[return-value]

    return decorator


def safe_next(target: str | None, default: str) -> str:
    """Only a path on this site (never another host) is a place to go back to."""
    if not target:
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return default
    return target


def home_for(who: Actor | None) -> str:
    if who is None:
        return url_for("pages.sign_in")
    if who.role == BORROWER:
        return url_for("pages.cabinet")
    if who.role not in STAFF_PAGES:  # lawyer, director: the complaint register
        return url_for("pages.complaint_register")
    return url_for("pages.queue")


# --- every POST to a page carries the CSRF token ---------------------------------------------------------------------


@bp.before_request
def _speak_the_page_language() -> None:
    use_page_locale()


@bp.before_request
def _check_csrf() -> None:
    if request.method == "POST":
        csrf.protect()


@bp.context_processor
def _frame() -> dict[str, Any]:
    return {
        "code_name": code_name,
        "rule_name": rule_name,
        "citation_name": citation_name,
        "lang": lang(),
        "languages": LANGUAGE_NAMES,
        "me": signed_in(),
        "money": money,
        "day": day,
        "ratio": ratio,
        "pct": pct,
        "gesv": gesv,
    }


# --- formats ---------------------------------------------------------------------------------------------------------


def money(value: Any, currency: bool = True) -> str:
    """``"1500000.00"`` → ``1 500 000,00 ₸`` (kk/ru) or ``1,500,000.00 ₸`` (en)."""
    if value is None or value == "":
        return "—"
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    grouped = f"{amount:,.2f}"
    if lang() != "en":
        grouped = grouped.replace(",", "\u202f").replace(".", ",")
    return f"{grouped} ₸" if currency else grouped


def day(value: Any) -> str:
    """A date as a person reads it: 25.11.2026."""
    if value is None or value == "":
        return "—"
    d = value if isinstance(value, date) else date.fromisoformat(str(value))
    return f"{d:%d.%m.%Y}"


def pct(value: Any) -> str:
    """A rate as a person reads it: ``36.0000`` → ``36,00%``, ``9.4822`` → ``9,4822%``."""
    if value is None:
        return "—"
    rate = Decimal(str(value)).normalize()
    places = min(max(2, -int(rate.as_tuple().exponent)), 4)
    return ratio(f"{rate:.{places}f}") + "%"


def gesv(value: Any) -> str:
    """The effective rate as disclosed: one decimal, as the engine rounded it (``19.0`` → ``19,0%``)."""
    return "—" if value is None else ratio(str(value)) + "%"


def ratio(value: Any) -> str:
    if value is None:
        return "—"
    return str(value) if lang() == "en" else str(value).replace(".", ",")


# --- errors on pages: HTML in the page's language, never problem+json ------------------------------------------


@bp.errorhandler(CSRFError)
def _csrf_error(error: CSRFError) -> Any:
    use_page_locale()
    return render_template(
        "pages/error.html", message=gettext("The form has expired. Reload the page and try again.")
    ), 400


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    use_page_locale()
    message = {403: gettext("Your role may not open this page."), 404: gettext("Not found.")}.get(
        error.code or 500, error.description or gettext("Error")
    )
    return render_template("pages/error.html", message=message), error.code or 500


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Any:
    """A refused action goes back to the page it came from with the reason; a missing record is a 404 page."""
    use_page_locale()
    if isinstance(error, NotFound):
        return render_template("pages/error.html", message=gettext("Not found.")), 404
    if isinstance(error, Forbidden) and request.method != "POST":
        return render_template("pages/error.html", message=gettext("Your role may not open this page.")), 403
    if request.method == "POST":
        flash(explain(error), "error")
        return redirect(safe_next(request.form.get("back"), home_for(signed_in())))
    return render_template("pages/error.html", message=explain(error)), 400


def explain(error: DomainError) -> str:
    """A refusal in the page's language, with the service's own detail after it."""
    if isinstance(error, RuleViolation):
        return gettext("A rule forbids this") + f" — {rule_name(error.rule)}: {error.detail}"
    if isinstance(error, Conflict):
        return gettext("This is not possible in the current state.") + f" {error.detail}"
    if isinstance(error, Forbidden):
        return gettext("Your role may not open this page.") + f" {error.detail}"
    if isinstance(error, InvalidInput):
        fields = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())
        return gettext("Error") + f": {error.detail} {fields}".strip()
    return gettext("Error") + f": {error.detail}"


def choice(field: str, allowed: Collection[str]) -> str:
    """A form field the page's own buttons send: one of ``allowed``, or the request is a 400."""
    value = request.form.get(field)
    if value is None or value not in allowed:
        abort(400)
    return value


def quarter_asked(on: date) -> tuple[int, int]:
    """The report's ``year`` and ``quarter`` from the query, the quarter of ``on`` by default; out of range is a 404."""
    year = request.args.get("year", type=int) or on.year
    quarter = request.args.get("quarter", type=int) or (on.month - 1) // 3 + 1
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        abort(404)
    return year, quarter


def done() -> None:
    use_page_locale()
    flash(gettext("Saved."), "ok")


from api.web import (  # noqa: E402,F401  (routes register on bp)
    cabinet,
    complaint_pages,
    console,
    notices_pages,  # noqa: E402,F401  (delinquency list, each loan's notices, the cabinet's)
    portfolio_pages,  # noqa: E402,F401  (the portfolio what-if and its jobs)
    session_views,
)
