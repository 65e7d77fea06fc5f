"""The production entry point: an async front (uvicorn) that reads each body in full, with a size cap and a
deadline, before the Flask app runs in a thread of its own (SPEC §11: slow clients).

A slow sender (1 byte a second) or a slow reader costs one coroutine, not a thread, so 64 of them leave every
thread free for ``/health`` and real work. A body over 1 MiB is a 413 before it is read; a body still incomplete
after ``BODY_TIMEOUT`` seconds is a 408.
"""

from __future__ import annotations

import asyncio
import io
import json
import sys
from collections.abc import Awaitable, Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from api.limits import MAX_BODY_BYTES, body_limit, too_large_detail

BODY_TIMEOUT = 30.0
THREADS = 8

Scope = dict[str, Any]
Receive = Callable[[], Awaitable[dict[str, Any]]]
Send = Callable[[dict[str, Any]], Awaitable[None]]


class BodyTooLarge(Exception):
    pass


Answer = tuple[int, list[tuple[bytes, bytes]], bytes]


def _problem(status: int, code: str, detail: str, headers: Iterable[tuple[bytes, bytes]] = ()) -> Answer:
    body = json.dumps(
        {
            "type": f"urn:restructure:problem:{code}",
            "title": code.replace("_", " ").capitalize(),
            "status": status,
            "detail": detail,
            "code": code,
        }
    ).encode()
    return status, [(b"content-type", b"application/problem+json"), *headers], body


def _environ(scope: Scope, body: bytes) -> dict[str, Any]:
    server = scope.get("server") or ("localhost", 80)
    client = scope.get("client") or ("", 0)
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope["method"],
        "SCRIPT_NAME": scope.get("root_path", "").encode("utf8").decode("latin1"),
        "PATH_INFO": scope["path"].encode("utf8").decode("latin1"),
        "QUERY_STRING": scope["query_string"].decode("latin1"),
        "SERVER_NAME": str(server[0]),
        "SERVER_PORT": str(server[1]),
        "SERVER_PROTOCOL": f"HTTP/{scope['http_version']}",
        "REMOTE_ADDR": client[0],
        "REMOTE_PORT": str(client[1]),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.get("scheme", "http"),
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "CONTENT_LENGTH": str(len(body)),
    }
    for raw_name, raw_value in scope["headers"]:
        name = raw_name.decode("latin1").upper().replace("-", "_")
        value = raw_value.decode("latin1")
        if name == "CONTENT_TYPE":
            environ["CONTENT_TYPE"] = value
            continue
        if name == "CONTENT_LENGTH":
            continue
        key = f"HTTP_{name}"
        environ[key] = f"{environ[key]},{value}" if key in environ else value
    return environ


def _run_wsgi(app: Callable[..., Any], environ: dict[str, Any]) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
    """Run the WSGI app to completion in this thread; the answer is sent by the event loop."""
    started: dict[str, Any] = {}

    def start_response(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Callable[[bytes], None]:
        started["status"] = int(status.split(" ", 1)[0])
        started["headers"] = [(k.lower().encode("latin1"), v.encode("latin1")) for k, v in headers]
        return lambda chunk: None

    result = app(environ, start_response)
    try:
        body = b"".join(result)
    finally:
        close = getattr(result, "close", None)
        if close is not None:
            close()
    return started["status"], started["headers"], body


class AsgiFront:
    """An ASGI app around a WSGI app: bodies read asynchronously, with a cap and a deadline."""

    def __init__(self, wsgi_app: Callable[..., Any], *, threads: int = THREADS, body_timeout: float = BODY_TIMEOUT):
        self.wsgi_app = wsgi_app
        self.body_timeout = body_timeout
        self.executor = ThreadPoolExecutor(max_workers=threads, thread_name_prefix="restructure")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            while True:
                message = await receive()
                if message["type"] == "lifespan.startup":
                    await send({"type": "lifespan.startup.complete"})
                elif message["type"] == "lifespan.shutdown":
                    self.executor.shutdown(wait=False)
                    await send({"type": "lifespan.shutdown.complete"})
                    return
        if scope["type"] != "http":  # pragma: no cover - no websockets here
            return
        answer = await self._answer(scope, receive)
        status, headers, body = answer
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    async def _answer(self, scope: Scope, receive: Receive) -> tuple[int, list[tuple[bytes, bytes]], bytes]:
        limit = body_limit(scope.get("path", ""))
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > limit:
            return _problem(413, "payload_too_large", too_large_detail(limit))
        # a bulk import may take longer to arrive than an ordinary request: its time grows with its size limit
        timeout = self.body_timeout * max(1, limit // MAX_BODY_BYTES // 25)
        try:
            body = await asyncio.wait_for(self._read_body(receive, limit), timeout)
        except TimeoutError:
            return _problem(
                408,
                "request_timeout",
                f"The body did not arrive within {timeout:g} seconds.",
                [(b"connection", b"close")],
            )
        except BodyTooLarge:
            return _problem(413, "payload_too_large", too_large_detail(limit))
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self.executor, _run_wsgi, self.wsgi_app, _environ(scope, body))

    async def _read_body(self, receive: Receive, limit: int) -> bytes:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise TimeoutError
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                raise BodyTooLarge
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)


def make_app() -> AsgiFront:
    """The ASGI app uvicorn's workers load (``restructure serve``)."""
    from api import create_app

    return AsgiFront(create_app())
