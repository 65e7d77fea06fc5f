"""Sign in with a token, sign out, and switch the page language."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext

from api.ratelimit import check_not_blocked, record_failure
from api.runtime import now, uow
from api.web import LANGUAGES, bp, home_for, safe_next, signed_in
from restructure.access import Actor
from restructure.sessions import check_session, close_session, open_session


def page_actor() -> Actor | None:
    """The signed-in user, checked against the server-side session, its token and its user once per request."""
    if "page_who" not in g:
        sid = session.get("sid")
        g.page_who = check_session(uow(), sid) if isinstance(sid, str) else None
    return g.page_who  # type: ignore[no-any-return]


@bp.get("/")
def index() -> Any:
    """The home of whoever is signed in."""
    return redirect(home_for(signed_in()))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    """Sign in with a bearer token; a real deployment puts the lender's SSO in front of this."""
    error = None
    if request.method == "POST":
        token = request.form.get("token", "").strip()
        check_not_blocked()
        opened = open_session(uow(), token, now=now()) if token else None
        if opened is None:
            record_failure()
            error = gettext("The token is invalid or revoked.")
        else:
            keep = session.get("lang")
            session.clear()  # a fresh session (and CSRF token) for the new user
            session["sid"] = opened.session_id
            g.page_who = opened.actor
            if keep:
                session["lang"] = keep
            return redirect(safe_next(request.form.get("next"), home_for(opened.actor)))
    return render_template("pages/sign_in.html", error=error, next=request.values.get("next", "")), (
        401 if error else 200
    )


@bp.post("/sign-out")
def sign_out() -> Any:
    """Forget the user: the server-side session ends (a copied cookie is dead too) and the cookie is cleared."""
    sid = session.get("sid")
    if isinstance(sid, str):
        close_session(uow(), sid, now=now())
    keep = session.get("lang")
    session.clear()
    if keep:
        session["lang"] = keep
    flash(gettext("You have signed out."), "ok")
    return redirect(url_for("pages.sign_in"))


@bp.get("/language/<code>")
def language(code: str) -> Any:
    """Switch the page language and go back to the page."""
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), home_for(signed_in())))
