"""Bearer-token authentication and role checks. Per-record visibility is checked by the services."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from flask import Response
from flask_httpauth import HTTPTokenAuth
from flask_smorest import Blueprint

from api.errors import PROBLEM_JSON, ProblemSchema, problem
from api.ratelimit import check_not_blocked, record_failure
from api.runtime import uow
from restructure.access import Actor
from restructure.users import authenticate

auth = HTTPTokenAuth(scheme="Bearer")
F = TypeVar("F", bound=Callable[..., Any])


@auth.verify_token
def _verify(token: str) -> Actor | None:
    check_not_blocked()
    actor = authenticate(uow(), token) if token else None
    if token and actor is None:
        record_failure()
    return actor


@auth.get_user_roles
def _roles(actor: Actor) -> str:
    return actor.role


@auth.error_handler
def _auth_error(status: int) -> Response:
    if status == 401:
        return problem(401, detail="A valid bearer token is required (Authorization: Bearer <token>).")
    return problem(403, detail="Your role may not do this.")


def current_actor() -> Actor:
    """The authenticated caller of this request."""
    actor = auth.current_user()
    assert isinstance(actor, Actor)  # noqa: S101 - guaranteed by login_required
    return actor


def requires(blp: Blueprint, *roles: str) -> Callable[[F], F]:
    """Require a token, and one of ``roles`` if given; documents the security scheme and 401/403."""

    def decorator(fn: F) -> F:
        documented = blp.doc(security=[{"bearerAuth": []}])(fn)
        documented = blp.alt_response(401, schema=ProblemSchema, content_type=PROBLEM_JSON)(documented)
        documented = blp.alt_response(429, schema=ProblemSchema, content_type=PROBLEM_JSON)(documented)
        if fn.__name__ in ("post", "put", "patch"):  # the body checks of api/limits.py, before the view (SPEC §11)
            for status in (400, 413, 415):
                documented = blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_JSON)(documented)
        if roles:
            documented = blp.alt_response(403, schema=ProblemSchema, content_type=PROBLEM_JSON)(documented)
        guarded = auth.login_required(role=list(roles) if roles else None)(documented)
        return guarded  # type: ignore[no-any-return]

    return decorator
