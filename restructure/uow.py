"""The unit of work: one transaction per service call, rolled back unless the service commits.

A caller may open an *ambient* session (:func:`ambient`), e.g. one per HTTP request carrying an Idempotency-Key.
While it is open, every unit of work entered in the same context joins it: entering opens a SAVEPOINT,
``commit()`` releases it, leaving without a commit rolls back to it, and the ambient owner commits the whole
transaction once (so a stored idempotency answer and the change it describes are durable together).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from types import TracebackType

from sqlalchemy.orm import Session, SessionTransaction

_AMBIENT: ContextVar[Session | None] = ContextVar("restructure_ambient_session", default=None)


@contextmanager
def ambient(session: Session) -> Iterator[Session]:
    """Make ``session`` the one every unit of work in this context joins; the caller commits or rolls it back."""
    token = _AMBIENT.set(session)
    try:
        yield session
    finally:
        _AMBIENT.reset(token)


def set_ambient(session: Session | None) -> object:
    """Set the ambient session without a ``with`` block (request hooks); pass the result to :func:`reset_ambient`."""
    return _AMBIENT.set(session)


def reset_ambient(token: object) -> None:
    _AMBIENT.reset(token)  # type: ignore[arg-type]


class UnitOfWork:
    """Opens a session on enter; ``commit()`` makes the work durable, anything else is rolled back on exit."""

    session: Session

    def __init__(self, session_factory: Callable[[], Session]) -> None:
        self._session_factory = session_factory
        self._savepoint: SessionTransaction | None = None
        self._joined = False

    def __enter__(self) -> UnitOfWork:
        shared = _AMBIENT.get()
        if shared is not None:
            self._joined = True
            self.session = shared
            self._savepoint = shared.begin_nested()
        else:
            self._joined = False
            self.session = self._session_factory()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._joined:
            if self._savepoint is not None and self._savepoint.is_active:
                self._savepoint.rollback()
            self._savepoint = None
            return
        # close() rolls back whatever was not committed, and keeps loaded values readable (rollback() would
        # expire them)
        self.session.close()

    def commit(self) -> None:
        if self._joined:
            if self._savepoint is not None and self._savepoint.is_active:
                self._savepoint.commit()
            self._savepoint = self.session.begin_nested()
            return
        self.session.commit()

    def rollback(self) -> None:
        if self._joined:
            if self._savepoint is not None and self._savepoint.is_active:
                self._savepoint.rollback()
            self._savepoint = self.session.begin_nested()
            return
        self.session.rollback()
