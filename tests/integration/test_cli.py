"""The ``restructure`` command on a fresh SQLite file, as an operator would run it."""

import os
import socket
import subprocess
import sys
import time
import urllib.request

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, func, select

from api import create_app
from api.cli import main
from restructure.orm import Application, Borrower, Loan
from restructure.workflow import STATUSES


@pytest.fixture
def env(tmp_path):
    return {"RESTRUCTURE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "RESTRUCTURE_TODAY": "2026-11-25"}


def run(env, *args):
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    return result


def test_db_upgrade_creates_the_schema(env):
    result = run(env, "db", "upgrade")
    assert result.exit_code == 0, result.output
    engine = create_engine(env["RESTRUCTURE_DATABASE_URL"])
    with engine.connect() as connection:
        assert "application_events" in engine.dialect.get_table_names(connection)
    engine.dispose()


def test_users_create_prints_a_working_token_as_the_last_line(env):
    run(env, "db", "upgrade")
    result = run(env, "users", "create", "--name", "Officer One", "--role", "credit_officer")
    assert result.exit_code == 0, result.output
    token = result.output.strip().splitlines()[-1]
    app = create_app({"DATABASE_URL": env["RESTRUCTURE_DATABASE_URL"], "TODAY": "2026-11-25"})
    response = app.test_client().get("/api/v1/loans/1", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 404  # authenticated; there is simply no loan 1
    app.extensions["restructure"].engine.dispose()


def test_a_borrower_user_needs_a_borrower(env):
    run(env, "db", "upgrade")
    result = CliRunner().invoke(main, ["users", "create", "--name", "B", "--role", "borrower"], env=env)
    assert result.exit_code != 0
    assert "borrower_id" in result.output


def test_business_date_override_is_refused_in_production(env):
    env = env | {"RESTRUCTURE_ENV": "production", "RESTRUCTURE_SECRET_KEY": "s3cret"}
    result = CliRunner().invoke(main, ["db", "upgrade"], env=env)
    assert result.exit_code != 0
    assert "RESTRUCTURE_TODAY" in result.output


def test_demo_seeds_once_and_prints_a_token_per_role(env):
    first = run(env, "demo")
    assert first.exit_code == 0, first.output
    for role in ("credit_officer", "rights_officer", "admin", "borrower"):
        assert any(line.strip().startswith(role) for line in first.output.splitlines()), role
    second = run(env, "demo")
    assert "already present" in second.output
    engine = create_engine(env["RESTRUCTURE_DATABASE_URL"])
    with engine.connect() as connection:
        assert connection.scalar(select(func.count(Borrower.id))) == 10
        assert connection.scalar(select(func.count(Loan.id))) == 10
        statuses = set(connection.scalars(select(Application.status)))
    assert statuses == set(STATUSES)  # every state of the workflow, including lapsed
    assert "overdue" in first.output
    engine.dispose()


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_serve_runs_gunicorn_workers_that_answer_health(env):
    run(env, "db", "upgrade")
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "serve", "--port", str(port), "--workers", "2"],
        env=os.environ | env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/health", timeout=2) as response:  # noqa: S310
                    assert response.status == 200
                    assert response.headers["Server"] == "uvicorn"  # gunicorn's uvicorn workers (api/asgi.py)
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert b"Booting worker" in output


def test_deadlines_sweep_prints_what_it_changed(env):
    run(env, "demo")
    result = run(env, "deadlines", "sweep")
    assert result.exit_code == 0, result.output
    assert "Swept on 2026-11-25" in result.output
    assert "lapsed counter-offers:" in result.output
    assert "decision deadlines breached:" in result.output


def test_serve_on_an_occupied_port_is_one_clear_line_before_serving(env):
    with socket.socket() as holder:
        holder.bind(("127.0.0.1", 0))
        holder.listen()
        port = holder.getsockname()[1]
        result = CliRunner().invoke(main, ["serve", "--port", str(port)], env=env)
    assert result.exit_code == 1
    assert f"Port {port} on 127.0.0.1 is already in use" in result.output
    assert "Serving on" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_demo_hints_name_the_port_the_server_will_use(env):
    result = run(env, "demo", "--port", "8123")
    assert result.exit_code == 0, result.output
    assert "API=http://127.0.0.1:8123/api/v1" in result.output
    assert "http://127.0.0.1:8000" not in result.output


def test_users_create_binds_accounts_to_a_person(env):
    from restructure.orm import User

    run(env, "db", "upgrade")
    first = run(env, "users", "create", "--name", "A. Officer", "--role", "credit_officer", "--person", "E-7")
    second = run(env, "users", "create", "--name", "A. Officer", "--role", "rights_officer", "--person", "E-7")
    other = run(env, "users", "create", "--name", "B. Officer", "--role", "rights_officer")
    assert first.exit_code == second.exit_code == other.exit_code == 0, other.output
    assert "for person E-7" in first.output
    engine = create_engine(env["RESTRUCTURE_DATABASE_URL"])
    with engine.connect() as connection:
        persons = [row[0] for row in connection.execute(select(User.person_id).order_by(User.id))]
    engine.dispose()
    assert persons[:2] == ["E-7", "E-7"]
    assert persons[2] not in ("E-7", "") and persons[2].startswith("person-")
def test_import_snapshots_reads_a_file_and_prints_the_summary(env, tmp_path):
    import json as _json

    from tests.conftest import borrower_payload, loan_payload

    run(env, "db", "upgrade")
    row = loan_payload(0)
    del row["borrower_id"]
    row["borrower"] = {k: v for k, v in borrower_payload().items() if k != "other_monthly_debt_payments"}
    path = tmp_path / "snapshots.ndjson"
    path.write_text(_json.dumps(row) + "\n" + _json.dumps(row | {"principal": "x"}) + "\n", encoding="utf-8")
    result = run(env, "import", "snapshots", str(path))
    assert result.exit_code == 0, result.output
    summary = _json.loads(result.output.strip().splitlines()[-1])
    assert (summary["rows"], summary["created"], [e["line"] for e in summary["errors"]]) == (2, 1, [2])
    again = _json.loads(run(env, "import", "snapshots", str(path)).output.strip().splitlines()[-1])
    assert (again["created"], again["unchanged"]) == (0, 1)


def test_outbox_send_sends_the_cabinet_notices(env):
    run(env, "db", "upgrade")
    result = run(env, "outbox", "send")
    assert result.exit_code == 0, result.output
    assert "outbox sent: 0" in result.output
