"""Failed sign-ins and bad bearer tokens are rate-limited per client address (Flask-Limiter; SPEC §11).

Only failures count: a client with a good token is never slowed. The counters live in memory per worker, or in
Redis when ``RESTRUCTURE_REDIS_URL`` is set (shared by every worker and host). Over the limit, the API answers 429
problem+json with ``Retry-After`` before even looking the token up.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItem, parse
from werkzeug.exceptions import TooManyRequests

DEFAULT_FAILURES = "20/minute"
SCOPE = "auth-failure"


def _limiter() -> Limiter:
    return current_app.extensions["restructure_limiter"]  # type: ignore[no-any-return]


def _item() -> RateLimitItem:
    return current_app.extensions["restructure_failure_limit"]  # type: ignore[no-any-return]


def check_not_blocked() -> None:
    """Raise 429 when this address has used up its failures."""
    limiter, item, address = _limiter(), _item(), get_remote_address()
    if not limiter.limiter.test(item, SCOPE, address):
        reset_at = limiter.limiter.get_window_stats(item, SCOPE, address).reset_time
        retry_after = max(1, math.ceil(reset_at - time.time()))
        error = TooManyRequests(
            f"Too many failed sign-ins or bad tokens from this address; retry after {retry_after} s.",
            retry_after=retry_after,
        )
        error.data = {"headers": {"Retry-After": str(retry_after)}}  # type: ignore[attr-defined]
        raise error


def record_failure() -> None:
    """Count one failed sign-in or bad token against this address."""
    _limiter().limiter.hit(_item(), SCOPE, get_remote_address())


def init_app(app: Flask, *, redis_url: str | None, failures: str | None) -> None:
    limiter = Limiter(
        get_remote_address,
        app=app,
        storage_uri=redis_url or "memory://",
        default_limits=[],
        strategy="moving-window",
        headers_enabled=False,
    )
    app.extensions["restructure_limiter"] = limiter
    app.extensions["restructure_failure_limit"] = parse(failures or DEFAULT_FAILURES)
