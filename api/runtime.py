"""What a request needs from the app: a unit of work, the clock, the authenticated actor."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from flask import Flask, current_app
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from api.clock import Clock
from restructure.uow import UnitOfWork


@dataclass
class Runtime:
    """Bound to the app at ``app.extensions["restructure"]``; tests swap ``session_factory``."""

    engine: Engine
    session_factory: sessionmaker[Session]
    clock: Clock


def runtime(app: Flask | None = None) -> Runtime:
    """The runtime of ``app`` or of the current app."""
    return (app or current_app).extensions["restructure"]  # type: ignore[no-any-return]


def uow() -> UnitOfWork:
    """A fresh unit of work on the current app's database."""
    return UnitOfWork(runtime().session_factory)


def today() -> date:
    """The business date (Asia/Almaty, or ``RESTRUCTURE_TODAY``)."""
    return runtime().clock.today()


def now() -> datetime:
    """An aware UTC timestamp."""
    return runtime().clock.now()
