"""Idempotency-Key on every state-changing API request (SPEC §11), for every blueprint at once.

A request with the header runs in one request-scoped transaction: the key is claimed first, every unit of work the
services open joins that transaction (``restructure.uow.ambient``), and a 2xx answer is stored with the key before
the single commit. Any other answer rolls everything back, so the key stays free for a retry.
"""

from __future__ import annotations

import hashlib
from typing import Any

from flask import Flask, Response, g, request
from sqlalchemy.exc import DBAPIError, IntegrityError

from api.errors import conflict_response, problem, unavailable_response
from api.runtime import now, runtime
from restructure.idempotency import Claimed, Mismatch, Replay, claim, complete
from restructure.uow import reset_ambient, set_ambient

HEADER = "Idempotency-Key"
METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
MAX_KEY_LENGTH = 255


def _principal() -> str:
    """Keys are private to a caller: the digest of its credentials (never stored in clear)."""
    credentials = request.headers.get("Authorization", "")
    return hashlib.sha256(credentials.encode("utf-8", "replace")).hexdigest()


def _request_hash() -> str:
    digest = hashlib.sha256()
    for part in (request.method, request.path, request.query_string.decode("latin-1"), request.mimetype):
        digest.update(part.encode("utf-8", "replace") + b"\0")
    digest.update(request.get_data(cache=True))
    return digest.hexdigest()


def _valid(key: str) -> bool:
    return 0 < len(key) <= MAX_KEY_LENGTH and all(33 <= ord(c) <= 126 for c in key)


def _replay(answer: Replay) -> Response:
    response = Response(answer.body, status=answer.status_code, content_type=answer.content_type)
    if answer.location:
        response.headers["Location"] = answer.location
    response.headers["Idempotent-Replayed"] = "true"
    return response


def _begin() -> Response | None:
    if request.method not in METHODS or not request.path.startswith("/api/"):
        return None
    key = request.headers.get(HEADER)
    if key is None:
        return None
    if not _valid(key):
        return problem(
            400,
            code="invalid_idempotency_key",
            detail=f"{HEADER} must be 1 to {MAX_KEY_LENGTH} visible ASCII characters.",
        )
    request_hash = _request_hash()
    session = runtime().session_factory()
    g.idempotency_session = session
    g.idempotency_ambient = set_ambient(session)
    outcome = claim(
        session,
        principal=_principal(),
        key=key,
        method=request.method,
        path=request.path,
        request_hash=request_hash,
        now=now(),
    )
    if isinstance(outcome, Claimed):
        g.idempotency_claim = outcome
        return None
    _end_session()
    if isinstance(outcome, Mismatch):
        return problem(
            422,
            code="idempotency_key_reused",
            detail=f"This {HEADER} was already used for another request ({outcome.method} {outcome.path} with"
            " another body); use a new key for a new request.",
            errors={HEADER: ["Already used with another request body."]},
        )
    return _replay(outcome)


def _finish(response: Response) -> Response:
    claimed: Claimed | None = g.pop("idempotency_claim", None)
    session = g.get("idempotency_session")
    if claimed is None or session is None:
        return response
    if 200 <= response.status_code < 300 and not response.direct_passthrough:
        try:
            complete(
                session,
                claimed,
                status_code=response.status_code,
                content_type=response.content_type,
                location=response.headers.get("Location"),
                body=response.get_data(),
            )
            session.commit()
        except IntegrityError:
            session.rollback()
            response = conflict_response()
        except DBAPIError as error:
            session.rollback()
            response = unavailable_response(error)
    else:
        session.rollback()
    _end_session()
    return response


def _end_session(*_: Any) -> None:
    session = g.pop("idempotency_session", None)
    token = g.pop("idempotency_ambient", None)
    if token is not None:
        try:
            reset_ambient(token)
        except ValueError:  # pragma: no cover - reset from another context
            set_ambient(None)
    if session is not None:
        session.close()


def init_app(app: Flask) -> None:
    """Claim keys before every view and store answers after it; register after the body limits."""
    app.before_request(_begin)
    app.after_request(_finish)
    app.teardown_request(_end_session)
