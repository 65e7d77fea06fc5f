#!/usr/bin/env bash
# From a fresh clone: create the virtualenv, install, start PostgreSQL, then lint, type-check, check the layers and
# run the whole suite on SQLite and on PostgreSQL.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e ".[dev]"
bash scripts/postgres.sh
bash scripts/pdf-deps.sh

export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff" && ruff check .
echo "== mypy (strict on schedules, rules, restructure)" && mypy schedules rules restructure
echo "== import-linter (layers point inward)" && lint-imports
echo "== Debian chromium for the browser tests (tests/e2e; never \`playwright install\`)" && \
  { command -v chromium >/dev/null || apt-get install -y chromium || { apt-get update && apt-get install -y chromium; }; }
echo "== tests on SQLite" && python -m pytest -q -p no:cacheprovider
# the database-facing tests again on PostgreSQL (unit tests are pure; the browser tests run on their own SQLite)
echo "== tests on PostgreSQL" && \
  TEST_DATABASE_URL="postgresql+psycopg://postgres:postgres@127.0.0.1:5432/test" \
  python -m pytest -q -p no:cacheprovider tests/integration tests/api
