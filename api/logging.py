"""Structured logs (structlog). Personal data never reaches a log: IIN-like digit runs are masked."""

from __future__ import annotations

import logging
import os
import re
import sys
import uuid
from typing import Any

import structlog
from flask import Flask, g, request

_IIN_LIKE = re.compile(r"(?<!\d)\d{12}(?!\d)")


def _mask_personal_data(_: Any, __: str, event: dict[str, Any]) -> dict[str, Any]:
    for key, value in event.items():
        if isinstance(value, str):
            event[key] = _IIN_LIKE.sub("************", value)
    return event


class LineLogger:
    """Writes each record as one line in one ``write(2)``, so records from several workers never interleave."""

    def msg(self, message: str) -> None:
        line = message + "\n"  # a JSON record holds no raw newline (json escapes them)
        stream = sys.stderr
        try:
            fd = stream.fileno()
        except (AttributeError, OSError, ValueError):  # a captured stream (tests): one write call
            stream.write(line)
            stream.flush()
            return
        stream.flush()
        os.write(fd, line.encode("utf-8", "replace"))

    log = debug = info = warning = warn = error = critical = exception = fatal = failure = err = msg


def configure(log_format: str) -> None:
    """JSON lines in production, readable lines in development."""
    renderer: Any = (
        structlog.processors.JSONRenderer()
        if log_format == "json"
        else structlog.dev.ConsoleRenderer(colors=False)
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            structlog.processors.format_exc_info,
            _mask_personal_data,
            renderer,
        ],
        # resolve sys.stderr at each use, so a redirected stream (a supervisor, a test) receives the lines
        logger_factory=lambda *args: LineLogger(),
        cache_logger_on_first_use=False,
    )
    logging.getLogger("werkzeug").setLevel(logging.WARNING)


def init_app(app: Flask) -> None:
    """Bind a request id to every log line and log each request once, without bodies or query strings."""
    log = structlog.get_logger("restructure.http")

    @app.before_request
    def _bind() -> None:
        structlog.contextvars.clear_contextvars()
        g.request_id = request.headers.get("X-Request-Id") or uuid.uuid4().hex
        structlog.contextvars.bind_contextvars(request_id=g.request_id)

    @app.after_request
    def _log(response: Any) -> Any:
        log.info("request", method=request.method, path=request.path, status=response.status_code)
        response.headers["X-Request-Id"] = g.get("request_id", "")
        return response
