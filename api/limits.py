"""Limits on what a request may carry (SPEC §11): size, content type, JSON depth, encoding and values.

Checked before any view, for every API blueprint: over 1 MiB is a 413 (read no further), a body that is not JSON
where JSON is expected is a 415, invalid UTF-8, invalid JSON or nesting deeper than 32 levels is a 400, and a
string with a NUL or an unpaired surrogate, or an integer too large to store, is a 422 naming the field.
"""

from __future__ import annotations

import json
import re
from typing import Any

from flask import Flask, Response, g, request

from api.errors import problem

MAX_BODY_BYTES = 1024 * 1024
MAX_DEPTH = 32
MAX_INT = 2**63 - 1
MAX_INT_DIGITS = 19
JSON_TYPES = ("application/json",)
# endpoints that take another body type than JSON, by path prefix
OTHER_BODY_TYPES: dict[str, tuple[str, ...]] = {
    "/api/v1/imports/": ("application/x-ndjson", "text/csv", "application/json"),
}
# endpoints that take larger bodies than MAX_BODY_BYTES, by path prefix: the core system's bulk imports
BODY_LIMITS: dict[str, int] = {"/api/v1/imports/": 256 * 1024 * 1024}
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*"|[\[\]{}]')
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")


class _TooBig(ValueError):
    pass


def _bounded_int(text: str) -> int:
    if len(text.lstrip("-")) > MAX_INT_DIGITS:
        raise _TooBig(text[:20])
    return int(text)


def _too_deep(text: str) -> bool:
    depth = 0
    for match in _TOKENS.finditer(text):
        lexeme = match.group()
        if lexeme in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return True
        elif lexeme in "]}":
            depth -= 1
    return False


def _bad_value(value: Any, path: str = "") -> tuple[str, str] | None:
    """The first string with a NUL or lone surrogate, or integer out of range: (field path, message)."""
    stack: list[tuple[Any, str]] = [(value, path)]
    while stack:
        item, where = stack.pop()
        if isinstance(item, str):
            if _BAD_CHARS.search(item):
                return where, "Must not contain NUL characters or unpaired surrogates."
        elif isinstance(item, bool):
            continue
        elif isinstance(item, int):
            if not -MAX_INT <= item <= MAX_INT:
                return where, "Is too large."
        elif isinstance(item, dict):
            for key, inner in item.items():
                if _BAD_CHARS.search(key):
                    return where or "_body", "A field name must not contain NUL characters or unpaired surrogates."
                stack.append((inner, f"{where}.{key}" if where else key))
        elif isinstance(item, list):
            stack.extend((inner, f"{where}.{i}" if where else str(i)) for i, inner in enumerate(item))
    return None


def body_limit(path: str) -> int:
    """The largest body ``path`` accepts: 1 MiB, or more for the prefixes of ``BODY_LIMITS``."""
    return next((limit for prefix, limit in BODY_LIMITS.items() if path.startswith(prefix)), MAX_BODY_BYTES)


def too_large_detail(limit: int) -> str:
    return f"The body is larger than {limit} bytes ({limit // (1024 * 1024)} MiB)."


def _expects_body() -> bool:
    return request.method in ("POST", "PUT", "PATCH") and request.path.startswith("/api/")


def _has_body() -> bool:
    return bool(request.content_length) or "chunked" in request.headers.get("Transfer-Encoding", "").lower()


def _accepted_types() -> tuple[str, ...]:
    for prefix, types in OTHER_BODY_TYPES.items():
        if request.path.startswith(prefix):
            return types
    return JSON_TYPES


def _is_json(mimetype: str) -> bool:
    return mimetype == "application/json" or (mimetype.startswith("application/") and mimetype.endswith("+json"))


def check_request() -> Response | None:
    """Refuse an oversized, mistyped or malformed body before any view reads it."""
    limit = body_limit(request.path)
    if request.content_length is not None and request.content_length > limit:
        return problem(413, detail=too_large_detail(limit))
    if limit != MAX_BODY_BYTES:
        request.max_content_length = limit
    if not _expects_body() or not _has_body():
        return None
    accepted = _accepted_types()
    mimetype = request.mimetype or ""
    if not (mimetype in accepted or (accepted == JSON_TYPES and _is_json(mimetype))):
        return problem(
            415,
            detail=f"The body must be {' or '.join(accepted)}, not {mimetype or 'untyped'}.",
            headers={"Accept-Post": ", ".join(accepted)},
        )
    if not _is_json(mimetype):
        return None
    raw = request.get_data(cache=True)  # bounded: werkzeug stops reading at MAX_CONTENT_LENGTH
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return problem(400, code="invalid_encoding", detail=f"The body is not valid UTF-8 (byte {exc.start}).")
    if _too_deep(text):
        return problem(400, code="too_deep", detail=f"The JSON is nested deeper than {MAX_DEPTH} levels.")
    try:
        parsed = json.loads(text, parse_int=_bounded_int)
    except _TooBig:
        return problem(422, detail="A number in the body is too large.", errors={"_body": ["A number is too large."]})
    except ValueError:
        return problem(400, code="invalid_json", detail="The body is not valid JSON.")
    bad = _bad_value(parsed)
    if bad is not None:
        where, message = bad
        field = where or "_body"
        return problem(422, detail=f"The request has invalid fields: {field}.", errors={field: [message]})
    g.checked_json = True
    return None


def init_app(app: Flask) -> None:
    """Cap bodies at 1 MiB (werkzeug refuses to read more) and check every request before the views."""
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    app.config["MAX_FORM_MEMORY_SIZE"] = MAX_BODY_BYTES
    app.before_request(check_request)
