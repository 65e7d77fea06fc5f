"""Page sessions live on the server: revocation, deactivation and sign-out end them at once (SPEC §11)."""

from __future__ import annotations

import re
from collections.abc import Callable

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from api.runtime import runtime
from restructure.admin import deactivate, revoke_tokens
from restructure.orm import AuditEvent
from restructure.uow import UnitOfWork
from restructure.users import create_user


def _csrf(client: FlaskClient, path: str = "/sign-in") -> str:
    html = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', html) or re.search(
        r'value="([^"]+)"[^>]*name="csrf_token"', html
    )
    assert match, html[:500]
    return match.group(1)


def _officer(app: Flask) -> tuple[int, str]:
    rt = runtime(app)
    user = create_user(UnitOfWork(rt.session_factory), name="page officer", role="credit_officer",
                       borrower_id=None, now=rt.clock.now())
    return user.user_id, user.token


def _sign_in(client: FlaskClient, token: str) -> None:
    response = client.post("/sign-in", data={"token": token, "csrf_token": _csrf(client)})
    assert response.status_code == 302, response.get_data(as_text=True)[:300]


def test_revoking_the_token_ends_the_page_session_at_once(app: Flask, client: FlaskClient) -> None:
    user_id, token = _officer(app)
    _sign_in(client, token)
    assert client.get("/console").status_code == 200
    revoke_tokens(UnitOfWork(runtime(app).session_factory), user_id, actor="cli", now=runtime(app).clock.now())
    response = client.get("/console")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_deactivating_the_user_ends_the_page_session_at_once(app: Flask, client: FlaskClient) -> None:
    user_id, token = _officer(app)
    _sign_in(client, token)
    assert client.get("/console").status_code == 200
    deactivate(UnitOfWork(runtime(app).session_factory), user_id, actor="cli", now=runtime(app).clock.now())
    assert client.get("/console").status_code == 302


def test_a_cookie_copied_before_sign_out_is_dead_after_it(app: Flask, client: FlaskClient) -> None:
    _, token = _officer(app)
    _sign_in(client, token)
    cookie = client.get_cookie("session")
    assert cookie is not None
    copied = cookie.value
    assert client.post("/sign-out", data={"csrf_token": _csrf(client, "/console")}).status_code == 302
    thief = app.test_client()
    thief.set_cookie("session", copied)
    response = thief.get("/console")
    assert response.status_code == 302
    assert "/sign-in" in response.headers["Location"]


def test_admin_actions_go_into_the_audit_trail(app: Flask, uow: Callable[[], UnitOfWork]) -> None:
    user_id, _ = _officer(app)
    now = runtime(app).clock.now()
    assert revoke_tokens(uow(), user_id, actor="cli", now=now) == 1
    deactivate(uow(), user_id, actor="cli", now=now)
    with uow() as work:
        actions = work.session.scalars(
            select(AuditEvent.action).where(AuditEvent.target == f"user:{user_id}").order_by(AuditEvent.id)
        ).all()
    assert actions == ["tokens_revoked", "user_deactivated"]


def test_the_session_cookie_is_secure_outside_development(database_url: str) -> None:
    from api import create_app
    from tests.conftest import app_settings

    assert create_app(app_settings(database_url, ENV="staging")).config["SESSION_COOKIE_SECURE"] is True
    assert create_app(app_settings(database_url, ENV="development")).config["SESSION_COOKIE_SECURE"] is False
