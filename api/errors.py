"""One error policy: every error, 401 to 500, is ``application/problem+json`` with a stable ``code``.

This module holds the only table from domain errors to HTTP statuses. Views never catch domain errors.
"""

from __future__ import annotations

import http
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import marshmallow as ma
import structlog
from flask import Flask, Response, json
from flask_smorest import Api as SmorestApi
from flask_smorest import Blueprint
from sqlalchemy.exc import DataError, DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm.exc import StaleDataError
from werkzeug.exceptions import HTTPException

from restructure.errors import Conflict, DomainError, Forbidden, InvalidInput, NotFound, RuleViolation

PROBLEM_JSON = "application/problem+json"
log = structlog.get_logger("restructure.errors")

STATUS_BY_ERROR: dict[type[DomainError], int] = {
    NotFound: 404,
    Conflict: 409,
    InvalidInput: 422,
    RuleViolation: 422,
    Forbidden: 403,
}

CODE_BY_STATUS = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "validation_error",
    429: "too_many_requests",
    500: "internal_error",
    503: "unavailable",
}


class ProblemSchema(ma.Schema):
    """RFC 9457 problem details, as every error response carries them; extension members name related records."""

    class Meta:
        unknown = ma.INCLUDE

    type = ma.fields.String(metadata={"description": "URI naming the kind of problem"})
    title = ma.fields.String()
    status = ma.fields.Integer()
    detail = ma.fields.String()
    code = ma.fields.String(metadata={"description": "Stable machine code, e.g. validation_error, conflict"})
    errors = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.List(ma.fields.String()),
        metadata={"description": "Field path to messages (422)"},
    )
    rule = ma.fields.String(metadata={"description": "Rule id of a rule violation, e.g. R-MANDATORY"})
    state = ma.fields.String(metadata={"description": "Current state, when a transition is not allowed in it"})


F = TypeVar("F", bound=Callable[..., Any])


def documents_problems(blp: Blueprint, *statuses: int) -> Callable[[F], F]:
    """Document an endpoint's ``application/problem+json`` answers for ``statuses`` in the OpenAPI spec."""

    def decorator(fn: F) -> F:
        for status in statuses:
            fn = blp.alt_response(status, schema=ProblemSchema, content_type=PROBLEM_JSON)(fn)
        return fn

    return decorator


def problem(
    status: int,
    *,
    code: str | None = None,
    title: str | None = None,
    detail: str | None = None,
    errors: Mapping[str, list[str]] | None = None,
    headers: Mapping[str, str] | None = None,
    **extra: Any,
) -> Response:
    """A problem+json response."""
    code = code or CODE_BY_STATUS.get(status, "error")
    body: dict[str, Any] = {
        "type": f"urn:restructure:problem:{code}",
        "title": title or http.HTTPStatus(status).phrase,
        "status": status,
        "detail": detail or http.HTTPStatus(status).description,
        "code": code,
    }
    if errors:
        body["errors"] = dict(errors)
    body.update({k: v for k, v in extra.items() if v is not None})
    response = Response(json.dumps(body), status=status, mimetype=PROBLEM_JSON)
    for name, value in (headers or {}).items():
        response.headers[name] = value
    return response


def flatten(messages: Any, prefix: str = "") -> dict[str, list[str]]:
    """``{"json": {"loan": {"principal": ["..."]}}}`` → ``{"loan.principal": ["..."]}``."""
    if isinstance(messages, Mapping):
        if not prefix and set(messages) <= {"json", "query", "path", "headers", "form", "files", "view_args"}:
            out: dict[str, list[str]] = {}
            for location, inner in messages.items():
                out.update(flatten(inner, "" if location == "json" else f"{location}."))
            return out
        out = {}
        for key, inner in messages.items():
            out.update(flatten(inner, f"{prefix}{key}."))
        return out
    if isinstance(messages, list) and messages and all(isinstance(m, str) for m in messages):
        return {prefix.rstrip(".") or "_body": list(messages)}
    if isinstance(messages, list):
        out = {}
        for index, inner in enumerate(messages):
            out.update(flatten(inner, f"{prefix}{index}."))
        return out
    return {prefix.rstrip(".") or "_body": [str(messages)]}


class Api(SmorestApi):
    """flask-smorest's Api, answering every HTTP error as problem+json (with ``Allow`` on 405)."""

    ERROR_SCHEMA = ProblemSchema

    def _register_responses(self) -> None:
        """Document every error status as problem+json (smorest's default is application/json)."""
        from flask_smorest.utils import prepare_response

        for status in http.HTTPStatus:
            response: dict[str, Any] = {"description": status.phrase}
            if status >= 400:
                response["schema"] = self.ERROR_SCHEMA
                prepare_response(response, self.spec, PROBLEM_JSON)
            self.spec.components.response(status.name, response, lazy=True)
        default = {"description": "Default error response", "schema": self.ERROR_SCHEMA}
        prepare_response(default, self.spec, PROBLEM_JSON)
        self.spec.components.response("DEFAULT_ERROR", default, lazy=True)

    def handle_http_exception(self, error: HTTPException) -> Response:  # type: ignore[override]
        status = error.code or 500
        data = getattr(error, "data", None) or {}
        headers = dict(data.get("headers") or {})
        if status == 405 and getattr(error, "valid_methods", None):
            headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        errors = None
        if "messages" in data:
            errors = flatten(data["messages"])
        detail = data.get("message")
        if errors and status == 422:
            detail = detail or "The request has invalid fields: " + ", ".join(sorted(errors)) + "."
        elif errors:
            detail = detail or "; ".join(m for msgs in errors.values() for m in msgs)
        if status >= 500:
            log.error("http_error", status=status)
        return problem(status, detail=detail or error.description, errors=errors, headers=headers)


def _domain_error(error: DomainError) -> Response:
    status = next((s for cls, s in STATUS_BY_ERROR.items() if isinstance(error, cls)), 400)
    extra: dict[str, Any] = {}
    if isinstance(error, RuleViolation):
        extra["rule"] = error.rule
    if isinstance(error, Conflict):
        extra["state"] = error.state
        extra.update(error.related)
    errors = error.errors if isinstance(error, InvalidInput) else None
    log.info("domain_error", code=error.code, status=status)
    return problem(status, code=error.code, title=error.title, detail=error.detail, errors=errors, **extra)


def _stale(_: StaleDataError) -> Response:
    return problem(
        409, detail="The record was changed by another request at the same time; reload and retry."
    )


def conflict_response() -> Response:
    return problem(409, detail="The change conflicts with data stored by another request; reload and retry.")


def _integrity(_: IntegrityError) -> Response:
    return conflict_response()


RETRY_AFTER_SECONDS = 2


def unavailable_response(error: BaseException | None = None) -> Response:
    """503 ``unavailable`` while the database cannot be reached; one short log line, no traceback, no SQL."""
    log.warning(
        "database_unavailable",
        error_type=type(getattr(error, "orig", None) or error).__name__ if error is not None else None,
    )
    return problem(
        503,
        detail="The database is unavailable; nothing was changed. Retry after a few seconds.",
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )


def _unavailable(error: DBAPIError) -> Response:
    return unavailable_response(error)


def _database_error(error: DBAPIError) -> Response:
    if isinstance(error, (OperationalError, InterfaceError)) or error.connection_invalidated:
        return unavailable_response(error)
    log.error("database_error", error_type=type(error.orig or error).__name__)
    return problem(500, detail="An unexpected database error occurred; nothing was changed.")


def _data_error(error: DataError) -> Response:
    log.info("data_error", error_type=type(error.orig or error).__name__)
    return problem(
        422, detail="A value in the request cannot be stored (out of range or with forbidden characters)."
    )


def _unexpected(error: Exception) -> Response:
    if isinstance(error, HTTPException):  # pragma: no cover - handled by Api
        raise error
    log.exception("unhandled_error", error_type=type(error).__name__)
    return problem(500, detail="An unexpected error occurred; nothing was changed.")


def register_error_handlers(app: Flask) -> None:
    """Domain, concurrency and unexpected errors; HTTP errors are handled by :class:`Api`."""
    app.register_error_handler(DomainError, _domain_error)
    app.register_error_handler(StaleDataError, _stale)
    app.register_error_handler(IntegrityError, _integrity)
    app.register_error_handler(OperationalError, _unavailable)
    app.register_error_handler(InterfaceError, _unavailable)
    app.register_error_handler(DataError, _data_error)
    app.register_error_handler(DBAPIError, _database_error)
    app.register_error_handler(Exception, _unexpected)
