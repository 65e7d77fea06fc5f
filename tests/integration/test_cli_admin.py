"""``restructure users revoke/deactivate`` and ``restructure idempotency purge``, as an operator runs them."""

from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import create_engine, select

from api import create_app
from api.cli import main
from restructure.orm import AuditEvent


def _run(env: dict[str, str], *args: str) -> str:
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def _status(env: dict[str, str], token: str) -> int:
    app = create_app({"DATABASE_URL": env["RESTRUCTURE_DATABASE_URL"], "TODAY": "2026-11-25"})
    status = app.test_client().get("/api/v1/loans/1", headers={"Authorization": f"Bearer {token}"}).status_code
    app.extensions["restructure"].engine.dispose()
    return status


def test_revoke_and_deactivate_end_access_and_are_audited(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"RESTRUCTURE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "RESTRUCTURE_TODAY": "2026-11-25"}
    _run(env, "db", "upgrade")
    first = _run(env, "users", "create", "--name", "One", "--role", "credit_officer").strip().splitlines()[-1]
    second = _run(env, "users", "create", "--name", "Two", "--role", "credit_officer").strip().splitlines()[-1]
    assert _status(env, first) == 404 and _status(env, second) == 404  # authenticated; no loan 1
    assert "Revoked 1 token(s) of user 1." in _run(env, "users", "revoke", "--user-id", "1")
    assert _status(env, first) == 401
    assert "Deactivated user 2." in _run(env, "users", "deactivate", "--user-id", "2")
    assert _status(env, second) == 401
    assert "Purged 0 idempotency key(s)" in _run(env, "idempotency", "purge")
    engine = create_engine(env["RESTRUCTURE_DATABASE_URL"])
    with engine.connect() as connection:
        actions = connection.execute(select(AuditEvent.action).order_by(AuditEvent.id)).scalars().all()
    engine.dispose()
    assert actions == ["user_created", "user_created", "tokens_revoked", "user_deactivated"]


def test_revoking_an_unknown_user_fails_in_one_line(tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = {"RESTRUCTURE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "RESTRUCTURE_TODAY": "2026-11-25"}
    _run(env, "db", "upgrade")
    result = CliRunner().invoke(main, ["users", "revoke", "--user-id", "99"], env=env)
    assert result.exit_code != 0
    assert "No user with id 99." in result.output
