"""The ``restructure`` command: migrations, users and tokens, the production server, demo data."""

from __future__ import annotations

import errno
import socket
import sys
from importlib import resources
from typing import Any

import click
from alembic import command
from alembic.config import Config
from flask import Flask

from api import create_app
from api.config import ConfigError
from api.runtime import runtime
from restructure.access import ROLES
from restructure.errors import DomainError
from restructure.uow import UnitOfWork
from restructure.users import create_user


def _app() -> Flask:
    try:
        return create_app()
    except ConfigError as exc:
        raise click.ClickException(str(exc)) from exc


def alembic_config(url: str) -> Config:
    """Alembic configured from code, so migrations run wherever the package is installed."""
    config = Config()
    config.set_main_option("script_location", str(resources.files("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(app: Flask, revision: str = "head") -> None:
    """Apply migrations up to ``revision`` on the app's database."""
    rt = runtime(app)
    with rt.engine.begin() as connection:
        config = alembic_config(str(rt.engine.url))
        config.attributes["connection"] = connection
        command.upgrade(config, revision)


@click.group()
def main() -> None:
    """Loan-restructuring decision service."""


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def db_upgrade(revision: str) -> None:
    """Apply Alembic migrations to RESTRUCTURE_DATABASE_URL."""
    app = _app()
    upgrade(app, revision)
    click.echo(f"Database at {runtime(app).engine.url.render_as_string(hide_password=True)} is at {revision}.")


@main.group()
def users() -> None:
    """Users and their bearer tokens."""


@users.command("create")
@click.option("--name", required=True)
@click.option("--role", required=True, type=click.Choice(ROLES))
@click.option(
    "--person",
    "person_id",
    default=None,
    help="The person behind the account (e.g. the employee number); default: a new person. Accounts of one person "
    "never concur with each other's decisions.",
)
@click.option("--borrower-id", type=int, default=None, help="Required for, and only for, the borrower role.")
def users_create(name: str, role: str, borrower_id: int | None, person_id: str | None) -> None:
    """Create a user; the bearer token is the last line of output (it is never shown again)."""
    app = _app()
    rt = runtime(app)
    try:
        user = create_user(
            UnitOfWork(rt.session_factory),
            name=name,
            role=role,
            borrower_id=borrower_id,
            now=rt.clock.now(),
            person_id=person_id,
        )
    except DomainError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in getattr(exc, "errors", {}).items())
        raise click.ClickException(f"{exc.detail} {details}".strip()) from exc
    from restructure.admin import record

    with UnitOfWork(rt.session_factory) as work:
        record(work, actor="cli", action="user_created", target=f"user:{user.user_id}", now=rt.clock.now(), role=role)
        work.commit()
    click.echo(f"Created user {user.user_id} with role {user.role} for person {user.person_id}. Token (shown once):")
    click.echo(user.token)


@users.command("revoke")
@click.option("--user-id", required=True, type=int)
def users_revoke(user_id: int) -> None:
    """Revoke every token of a user; its API calls and page sessions stop at once."""
    from restructure.admin import revoke_tokens

    rt = runtime(_app())
    try:
        count = revoke_tokens(UnitOfWork(rt.session_factory), user_id, actor="cli", now=rt.clock.now())
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"Revoked {count} token(s) of user {user_id}.")


@users.command("deactivate")
@click.option("--user-id", required=True, type=int)
def users_deactivate(user_id: int) -> None:
    """Deactivate a user; its tokens and page sessions stop working at once."""
    from restructure.admin import deactivate

    rt = runtime(_app())
    try:
        deactivate(UnitOfWork(rt.session_factory), user_id, actor="cli", now=rt.clock.now())
    except DomainError as exc:
        raise click.ClickException(exc.detail) from exc
    click.echo(f"Deactivated user {user_id}.")


@main.group()
def idempotency() -> None:
    """Stored Idempotency-Key answers."""


@idempotency.command("purge")
def idempotency_purge() -> None:
    """Delete keys older than 24 hours (run it hourly, e.g. from cron)."""
    from restructure.idempotency import purge

    rt = runtime(_app())
    count = purge(UnitOfWork(rt.session_factory), now=rt.clock.now())
    click.echo(f"Purged {count} idempotency key(s) older than 24 hours.")


def ensure_port_free(host: str, port: int) -> None:
    """Fail with one clear line when ``host:port`` cannot be bound (taken, or not an address of this machine)."""
    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET, socket.SOCK_STREAM) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as exc:
        reason = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
        raise click.ClickException(
            f"Port {port} on {host} {reason}: stop what holds it, or choose another (--port, or PORT=... for"
            " scripts/demo.sh)."
        ) from exc


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=2, show_default=True, type=int)
@click.option("--threads", default=8, show_default=True, type=int, help="Threads per worker running the app.")
def serve(host: str, port: int, workers: int, threads: int) -> None:
    """Run the production server: gunicorn with async workers that read bodies before the app sees them."""
    from gunicorn.app.base import BaseApplication

    _app()  # fail fast on a bad configuration, before forking workers
    ensure_port_free(host, port)

    class Server(BaseApplication):  # type: ignore[misc]
        def load_config(self) -> None:
            options: dict[str, Any] = {
                "bind": f"{host}:{port}",
                "workers": workers,
                # an event loop per worker reads requests (slow senders and readers cost a coroutine, not a
                # thread); the Flask app runs in a pool of ``threads`` (api/asgi.py)
                "worker_class": "uvicorn_worker.UvicornWorker",
                "accesslog": None,
                "graceful_timeout": 10,
                "timeout": 60,
            }
            for key, value in options.items():
                self.cfg.set(key, value)

        def load(self) -> Any:
            from api.asgi import AsgiFront

            return AsgiFront(create_app(), threads=threads)

    click.echo(f"Serving on http://{host}:{port}/api/v1/docs")
    Server().run()


@main.group()
def deadlines() -> None:
    """The legal clocks."""


@deadlines.command("sweep")
@click.option("--send-outbox", is_flag=True, help="Also send the notices due in the outbox.")
def deadlines_sweep(send_outbox: bool) -> None:
    """Lapse unanswered counter-offers and record decision-deadline breaches; safe to run concurrently."""
    from restructure.deadlines import sweep

    app = _app()
    rt = runtime(app)
    report = sweep(lambda: UnitOfWork(rt.session_factory), today=rt.clock.today(), now=rt.clock.now())
    click.echo(f"Swept on {rt.clock.today()}:")
    lines = report.lines()
    if send_outbox:
        from restructure.outbox import send_due
        from restructure.outbox_channels import channels_from

        channels = channels_from(app.config["RESTRUCTURE"])
        uow_factory = lambda: UnitOfWork(rt.session_factory)  # noqa: E731
        lines += send_due(uow_factory, channels, today=rt.clock.today(), now=rt.clock.now()).lines()
    for line in lines:
        click.echo(f"  {line}")


@main.group()
def outbox() -> None:
    """The notices' outbox."""


@outbox.command("send")
def outbox_send() -> None:
    """Queue the application notices not yet queued, then send the notices due (e-mail, SMS, cabinet), with
    retries; safe to run on several hosts at once."""
    from api import complaint_letters
    from api.notices import outbox_text
    from restructure.notice_queue import queue_application_notices, queue_complaint_letters
    from restructure.outbox import send_due
    from restructure.outbox_channels import channels_from

    app = _app()
    rt = runtime(app)
    with app.test_request_context():  # the notices render with the app's templates and catalogues
        factory = lambda: UnitOfWork(rt.session_factory)  # noqa: E731
        queued = queue_application_notices(factory, outbox_text, now=rt.clock.now())
        letters = queue_complaint_letters(factory, complaint_letters.outbox_text, now=rt.clock.now())
    click.echo(f"application notices queued: {queued}; complaint letters queued: {letters}")
    report = send_due(
        lambda: UnitOfWork(rt.session_factory),
        channels_from(app.config["RESTRUCTURE"]),
        today=rt.clock.today(),
        now=rt.clock.now(),
    )
    for line in report.lines():
        click.echo(line)


@main.group("import")
def import_() -> None:
    """Bulk imports from the core system."""


@import_.command("snapshots")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--format", "fmt", type=click.Choice(["auto", "ndjson", "csv"]), default="auto", show_default=True)
def import_snapshots_command(file: str, fmt: str) -> None:
    """Upsert loan snapshots from an NDJSON or CSV FILE (by its extension unless --format); prints the summary."""
    import json

    from api.import_rows import CSV, NDJSON, rows_of
    from restructure.imports import import_snapshots

    rt = runtime(_app())
    media_type = CSV if fmt == "csv" or (fmt == "auto" and file.lower().endswith(".csv")) else NDJSON
    try:
        with open(file, "rb") as stream:
            summary = import_snapshots(
                lambda: UnitOfWork(rt.session_factory),
                rows_of(stream, media_type),
                today=rt.clock.today(),
                now=rt.clock.now(),
            )
    except DomainError as exc:
        details = "; ".join(f"{k}: {' '.join(v)}" for k, v in getattr(exc, "errors", {}).items())
        raise click.ClickException(f"{exc.detail} {details}".strip()) from exc
    click.echo(json.dumps(summary.as_dict(), ensure_ascii=False))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Where the server will listen (for the hints).")
@click.option("--port", default=8000, show_default=True, type=int, help="Where the server will listen (for the hints).")
def demo(host: str, port: int) -> None:
    """Create the schema if needed, seed sample borrowers and loans, and print one token per role."""
    from api.demo import seed

    app = _app()
    upgrade(app)
    seed(app, click.echo, base_url=f"http://{host}:{port}")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
