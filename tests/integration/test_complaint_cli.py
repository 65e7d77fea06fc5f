"""The complaint register from the ``restructure`` command: the new roles, the sweep's lines, the demo."""

from click.testing import CliRunner
from sqlalchemy import create_engine, select

from api import create_app
from api.cli import main
from restructure.complaints_orm import Complaint
from restructure.complaints_workflow import STATUSES


def run(env, *args):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def env_for(tmp_path):
    return {"RESTRUCTURE_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.db'}", "RESTRUCTURE_TODAY": "2026-11-25"}


def test_users_create_accepts_the_lawyer_and_director_roles(tmp_path):
    env = env_for(tmp_path)
    run(env, "db", "upgrade")
    for role in ("lawyer", "director"):
        result = run(env, "users", "create", "--name", f"A {role}", "--role", role)
        assert result.exit_code == 0, result.output
        token = result.output.strip().splitlines()[-1]
        app = create_app({"DATABASE_URL": env["RESTRUCTURE_DATABASE_URL"], "TODAY": "2026-11-25"})
        response = app.test_client().get("/api/v1/complaints", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        app.extensions["restructure"].engine.dispose()


def test_the_demo_has_a_complaint_in_every_state_and_the_sweep_prints_complaint_breaches(tmp_path):
    env = env_for(tmp_path)
    first = run(env, "demo")
    assert first.exit_code == 0, first.output
    assert any(line.strip().startswith("lawyer") for line in first.output.splitlines())
    assert any(line.strip().startswith("director") for line in first.output.splitlines())
    assert "complaint answers overdue: 1 (IN-2026-000009)" in first.output
    assert "complaint extension notices late: 1 (IN-2026-000010)" in first.output
    engine = create_engine(env["RESTRUCTURE_DATABASE_URL"])
    with engine.connect() as connection:
        assert set(connection.scalars(select(Complaint.status))) == set(STATUSES)
    engine.dispose()
    again = run(env, "deadlines", "sweep")
    assert "complaint answers overdue: 0" in again.output  # idempotent: already recorded
    assert "complaint extension notices late: 0" in again.output
    later = run(env | {"RESTRUCTURE_TODAY": "2026-12-25"}, "deadlines", "sweep")
    assert "complaint answers overdue: " in later.output and "complaint answers overdue: 0" not in later.output
