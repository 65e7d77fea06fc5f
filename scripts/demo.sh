#!/usr/bin/env bash
# From a fresh clone: build .venv from requirements.lock (rebuilt whenever the lock changes), seed a demo book on
# the embedded SQLite database (instance/restructure.db), print a token per role, and serve with gunicorn on
# http://$HOST:$PORT (default 127.0.0.1:8000).
set -euo pipefail
cd "$(dirname "$0")/.."
HOST=${HOST:-127.0.0.1}
PORT=${PORT:-8000}

# an occupied port is one clear line, before anything is installed or seeded
python3 - "$HOST" "$PORT" <<'PY' || exit 1
import errno, socket, sys
host, port = sys.argv[1], int(sys.argv[2])
try:
    with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        probe.bind((host, port))
except OSError as exc:
    why = "is already in use" if exc.errno == errno.EADDRINUSE else f"cannot be used ({exc.strerror})"
    sys.exit(f"Port {port} on {host} {why}: stop what holds it, or run PORT=8001 bash scripts/demo.sh.")
PY

bash scripts/venv.sh runtime
bash scripts/pdf-deps.sh
.venv/bin/restructure demo --host "$HOST" --port "$PORT"
exec .venv/bin/restructure serve --host "$HOST" --port "$PORT"
