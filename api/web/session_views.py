"""Sign in with a token, sign out, and switch the page language."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, session, url_for

from api.runtime import uow
from api.web import bp, home_for, safe_next, signed_in, t
from api.web.texts import LANGUAGES
from restructure.users import authenticate


@bp.get("/")
def index() -> Any:
    """The home of whoever is signed in."""
    return redirect(home_for(signed_in()))


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in() -> Any:
    """Sign in with a bearer token; a real deployment puts the lender's SSO in front of this."""
    error = None
    if request.method == "POST":
        who = authenticate(uow(), request.form.get("token", "").strip()) if request.form.get("token") else None
        if who is None:
            error = t("bad_token")
        else:
            keep = session.get("lang")
            session.clear()  # a fresh session (and CSRF token) for the new user
            session["actor"] = {"user_id": who.user_id, "role": who.role, "borrower_id": who.borrower_id}
            if keep:
                session["lang"] = keep
            return redirect(safe_next(request.form.get("next"), home_for(who)))
    return render_template("pages/sign_in.html", error=error, next=request.values.get("next", "")), (
        401 if error else 200
    )


@bp.post("/sign-out")
def sign_out() -> Any:
    """Forget the user: the session cookie is cleared."""
    keep = session.get("lang")
    session.clear()
    if keep:
        session["lang"] = keep
    flash(t("signed_out"), "ok")
    return redirect(url_for("pages.sign_in"))


@bp.get("/language/<code>")
def language(code: str) -> Any:
    """Switch the page language and go back to the page."""
    if code in LANGUAGES:
        session["lang"] = code
    return redirect(safe_next(request.args.get("next"), home_for(signed_in())))
