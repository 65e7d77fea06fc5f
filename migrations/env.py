"""Alembic environment: runs on a connection handed in by the caller, or on the configured URL."""

from __future__ import annotations

from alembic import context

from restructure.db import make_engine
from restructure.orm import Base

config = context.config
target_metadata = Base.metadata


def _url() -> str:
    url = config.get_main_option("sqlalchemy.url")
    if url:
        return url
    from api import create_app  # the same defaults and environment as the service

    app = create_app()
    app.extensions["restructure"].engine.dispose()
    return str(app.config["RESTRUCTURE"]["DATABASE_URL"])


def _run(connection: object) -> None:
    context.configure(connection=connection, target_metadata=target_metadata, render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as connection:
        _run(connection)
    engine.dispose()


if context.is_offline_mode():
    context.configure(url=_url(), target_metadata=target_metadata, literal_binds=True)
    with context.begin_transaction():
        context.run_migrations()
else:
    run_migrations_online()
