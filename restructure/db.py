"""Engines and sessions. SQLite gets real transactions (explicit BEGIN, so SAVEPOINT works) and foreign keys."""

from __future__ import annotations

import time
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

CONNECT_TIMEOUT = 3
CONNECT_ATTEMPTS = 3
CONNECT_BACKOFF_SECONDS = 0.1


def make_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for ``url``; SQLite is set up to behave transactionally."""
    kwargs.setdefault("hide_parameters", True)  # statements' values (names, incomes) never reach a log
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30}, **kwargs)

        @event.listens_for(engine, "connect")
        def _on_connect(dbapi_connection: Any, _record: Any) -> None:
            dbapi_connection.isolation_level = None  # let SQLAlchemy emit BEGIN itself
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            cursor.execute("PRAGMA busy_timeout=30000")
            cursor.close()

        @event.listens_for(engine, "begin")
        def _on_begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

        return engine
    engine = create_engine(
        url, pool_pre_ping=True, pool_timeout=5, connect_args={"connect_timeout": CONNECT_TIMEOUT}, **kwargs
    )

    @event.listens_for(engine, "do_connect")
    def _connect(dialect: Any, _record: Any, cargs: Any, cparams: Any) -> Any:
        # a few quick retries ride out a restart; then the request gets a 503 instead of waiting
        for attempt in range(CONNECT_ATTEMPTS):
            try:
                return dialect.loaded_dbapi.connect(*cargs, **cparams)
            except dialect.loaded_dbapi.OperationalError:
                if attempt == CONNECT_ATTEMPTS - 1:
                    raise
                time.sleep(CONNECT_BACKOFF_SECONDS * 2**attempt)
        return None  # pragma: no cover

    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    """Sessions that keep loaded values after commit, so a service can return what it wrote."""
    return sessionmaker(bind=engine, expire_on_commit=False)
