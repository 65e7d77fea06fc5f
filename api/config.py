"""Configuration. The only module that reads the environment (``RESTRUCTURE_*`` variables)."""

from __future__ import annotations

import os
from collections.abc import Mapping
from datetime import date
from typing import Any

ENV_KEYS = (
    "DATABASE_URL", "TODAY", "ENV", "SECRET_KEY", "LOG_FORMAT", "LENDER_NAME", "SMTP_URL", "SMS_DIR", "REDIS_URL",
    "AUTH_FAILURE_LIMIT", "PROXIES", "DASK_SCHEDULER",
)


class ConfigError(RuntimeError):
    """The configuration is unsafe or malformed; the service refuses to start."""


def from_environment(environ: Mapping[str, str] | None = None) -> dict[str, Any]:
    """Settings from ``RESTRUCTURE_<KEY>`` variables; absent ones are left to the defaults."""
    environ = os.environ if environ is None else environ
    return {key: environ[f"RESTRUCTURE_{key}"] for key in ENV_KEYS if f"RESTRUCTURE_{key}" in environ}


def defaults(instance_path: str) -> dict[str, Any]:
    """The embedded default: a SQLite file under ``instance/``."""
    return {
        "DATABASE_URL": f"sqlite:///{os.path.join(instance_path, 'restructure.db')}",
        "TODAY": None,
        "ENV": "development",
        "SECRET_KEY": "dev-only-not-secret",
        "LOG_FORMAT": "console",
        "LENDER_NAME": None,
        "SMTP_URL": None,  # the outbox's e-mail channel, smtp://host:port?from=address
        "SMS_DIR": None,  # the development SMS gateway's directory
        "REDIS_URL": None,  # shared rate-limit counters; in-memory per worker without it
        "AUTH_FAILURE_LIMIT": "20/minute",  # failed sign-ins and bad tokens per client address
        "PROXIES": "0",  # trusted reverse proxies in front (nginx: 1); their X-Forwarded-For names the client
        "DASK_SCHEDULER": None,  # tcp://host:8786: portfolio what-if jobs run on that dask.distributed cluster
    }


def validate(settings: Mapping[str, Any]) -> date | None:
    """Refuse unsafe combinations; return the fixed business date, if one is configured."""
    today = settings.get("TODAY")
    if today in (None, ""):
        if settings.get("ENV") == "production" and settings.get("SECRET_KEY") == "dev-only-not-secret":
            raise ConfigError("RESTRUCTURE_SECRET_KEY must be set when RESTRUCTURE_ENV=production.")
        return None
    if settings.get("ENV") == "production":
        raise ConfigError(
            "RESTRUCTURE_TODAY fixes the business date and is refused when RESTRUCTURE_ENV=production."
        )
    if isinstance(today, date):
        return today
    try:
        return date.fromisoformat(str(today))
    except ValueError as exc:
        raise ConfigError(f"RESTRUCTURE_TODAY must be a date YYYY-MM-DD, not {today!r}.") from exc
