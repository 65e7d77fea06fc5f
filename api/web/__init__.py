"""Server-rendered pages: the borrower's cabinet and the officers' console, on the same services as the API.

The signed-in user lives in Flask's signed session cookie (HttpOnly, SameSite=Lax). Every POST to a page carries a
CSRF token (Flask-WTF), checked here for this blueprint only: the JSON API uses bearer tokens and is not affected.
URLs carry record ids only, never an IIN or a name.

Modules (one line each; ``tests/unit/test_module_maps.py`` keeps this list equal to the files):

- ``cabinet``: The borrower's cabinet: loans, the application form, status, documents, the answer
- ``charts``: Small inline SVG charts drawn on the server
- ``complaint_pages``: The complaint register's pages for borrowers and staff
- ``complaint_texts``: The complaint pages' words in Kazakh, Russian and English, merged into ``api.web.texts``
- ``console``: The officers' console: the queue, an application with its assessment, the decisions
- ``notices_pages``: Pages for notices: the console's delinquency list and each loan's notices
- ``session_views``: Sign in with a token, sign out, and switch the page language
- ``texts``: The pages' words in Kazakh, Russian and English
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import wraps
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Blueprint, Flask, abort, flash, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import HTTPException

from api.web.texts import LANGUAGE_NAMES, LANGUAGES, text
from restructure.access import ADMIN, BORROWER, CREDIT_OFFICER, RIGHTS_OFFICER, Actor
from restructure.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RuleViolation

bp = Blueprint(
    "pages", __name__, static_folder="static", static_url_path="/pages-static", template_folder="../templates"
)
csrf = CSRFProtect()
F = TypeVar("F", bound=Callable[..., Any])
STAFF_PAGES = (CREDIT_OFFICER, RIGHTS_OFFICER, ADMIN)


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


def t(key: str, **figures: Any) -> str:
    return text(key, lang(), **figures)


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
def _check_csrf() -> None:
    if request.method == "POST":
        csrf.protect()


@bp.context_processor
def _frame() -> dict[str, Any]:
    return {
        "t": t,
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
    return render_template("pages/error.html", message=t("csrf_failed")), 400


@bp.errorhandler(HTTPException)
def _http_error(error: HTTPException) -> Any:
    message = {403: t("forbidden"), 404: t("not_found")}.get(error.code or 500, error.description or t("error"))
    return render_template("pages/error.html", message=message), error.code or 500


@bp.errorhandler(DomainError)
def _domain_error(error: DomainError) -> Any:
    """A refused action goes back to the page it came from with the reason; a missing record is a 404 page."""
    if isinstance(error, NotFound):
        return render_template("pages/error.html", message=t("not_found")), 404
    if isinstance(error, Forbidden) and request.method != "POST":
        return render_template("pages/error.html", message=t("forbidden")), 403
    if request.method == "POST":
        flash(explain(error), "error")
        return redirect(safe_next(request.form.get("back"), home_for(signed_in())))
    return render_template("pages/error.html", message=explain(error)), 400


def explain(error: DomainError) -> str:
    """A refusal in the page's language, with the service's own detail after it."""
    if isinstance(error, RuleViolation):
        return f"{t('rule_blocks')} ({error.rule}): {error.detail}"
    if isinstance(error, Conflict):
        return f"{t('not_allowed_now')} {error.detail}"
    if isinstance(error, Forbidden):
        return f"{t('forbidden')} {error.detail}"
    if isinstance(error, InvalidInput):
        fields = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.errors.items())
        return f"{t('error')}: {error.detail} {fields}".strip()
    return f"{t('error')}: {error.detail}"


def done() -> None:
    flash(t("done"), "ok")


from api.web import (  # noqa: E402,F401  (routes register on bp)
    cabinet,
    complaint_pages,
    console,
    notices_pages,  # noqa: E402,F401  (delinquency list, each loan's notices, the cabinet's)
    session_views,
)
