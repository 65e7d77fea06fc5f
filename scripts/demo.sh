#!/usr/bin/env bash
# From a fresh clone: create the virtualenv, install, seed a demo book on the embedded SQLite database
# (instance/restructure.db), print a token per role, and serve the API with gunicorn on http://127.0.0.1:8000.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip >/dev/null
.venv/bin/python -m pip install -q -e .
bash scripts/pdf-deps.sh
.venv/bin/restructure demo
exec .venv/bin/restructure serve --host "${HOST:-127.0.0.1}" --port "${PORT:-8000}"
