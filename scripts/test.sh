#!/usr/bin/env bash
# From a fresh clone: build .venv from requirements-dev.lock (rebuilt whenever the lock changes), find or start
# PostgreSQL (scripts/postgres.sh), then lint, type-check, check the layers and run the whole suite on SQLite and the
# database-facing tests again on PostgreSQL. Root is needed only for what the machine lacks: Debian's chromium (the
# browser tests), the PDF libraries (Pango, DejaVu fonts) and the PostgreSQL server binaries.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/venv.sh dev
bash scripts/pdf-deps.sh
database_url=$(bash scripts/postgres.sh start)
trap 'bash scripts/postgres.sh stop' EXIT

export PATH="$PWD/.venv/bin:$PATH"
echo "== ruff" && ruff check .
echo "== mypy (strict on schedules, rules, restructure)" && mypy schedules rules restructure
echo "== import-linter (layers point inward)" && lint-imports
echo "== Debian chromium for the browser tests (tests/e2e; never \`playwright install\`)"
if ! command -v chromium >/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -qq chromium >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }
  else
    echo "chromium is missing and this is not root: the browser tests will be skipped (apt-get install chromium)."
  fi
fi
echo "== axe-core for the browser tests' accessibility checks (package.json; skipped without node)"
if command -v npm >/dev/null; then
  npm ci --no-audit --no-fund >/dev/null
else
  echo "npm is missing: the accessibility checks will be skipped."
fi
echo "== tests on SQLite" && python -m pytest -q -p no:cacheprovider
# the database-facing tests again on PostgreSQL (unit tests are pure; the browser tests run on their own SQLite)
echo "== tests on PostgreSQL ($(sed -E 's#(//[^:/@]*):[^@]*@#\1:***@#' <<<"$database_url"))" && \
  TEST_DATABASE_URL="$database_url" python -m pytest -q -p no:cacheprovider tests/integration tests/api
