#!/usr/bin/env bash
# The PostgreSQL the tests use.
#   bash scripts/postgres.sh start   prints the SQLAlchemy URL to use on standard output:
#     1. TEST_DATABASE_URL, when it is set;
#     2. else the server at 127.0.0.1:5432 when it lets the `postgres` role in with no password (trust; the script
#        never relies on a password it did not set) — it creates the database `test` there if it is missing;
#     3. else a private cluster under .pg/ on a free port (initdb + pg_ctl, trust, 127.0.0.1 only), installing
#        Debian's postgresql first when there are no server binaries (that needs root).
#   bash scripts/postgres.sh stop    stops the private cluster, if this script started one.
# PG_PROBE_PORT (default 5432) moves step 2's probe, e.g. to force step 3.
set -euo pipefail
cd "$(dirname "$0")/.."
export PGPASSFILE=/nonexistent/restructure-no-pgpass PGCONNECT_TIMEOUT=3
unset PGPASSWORD
probe_port=${PG_PROBE_PORT:-5432}
python=${PYTHON:-.venv/bin/python}
say() { echo "postgres.sh: $*" >&2; }

answers() {  # host port database: can the postgres role connect without a password?
  "$python" - "$@" <<'PY' >/dev/null 2>&1
import sys, psycopg
host, port, database = sys.argv[1:]
psycopg.connect(host=host, port=int(port), user="postgres", dbname=database, connect_timeout=3).close()
PY
}

ensure_test_db() {  # host port
  "$python" - "$@" <<'PY' >&2
import sys, psycopg
host, port = sys.argv[1:]
with psycopg.connect(host=host, port=int(port), user="postgres", dbname="postgres", autocommit=True) as conn:
    if conn.execute("SELECT 1 FROM pg_database WHERE datname = 'test'").fetchone() is None:
        conn.execute("CREATE DATABASE test")
        print("postgres.sh: created the database test")
PY
}

bindir() {
  if command -v pg_config >/dev/null 2>&1 && [ -x "$(pg_config --bindir)/initdb" ]; then pg_config --bindir; return; fi
  ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1
}

as_owner() {  # initdb and the server refuse to run as root: run them as the postgres OS user then
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

start_private() {
  local bin
  bin=$(bindir)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      say "no PostgreSQL server binaries here. Install them (as root: apt-get install postgresql) or set TEST_DATABASE_URL."
      exit 1
    fi
    say "installing Debian's postgresql for the tests' private cluster (needs root and apt)."
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2 && apt-get install -y -qq postgresql >/dev/null
    bin=$(bindir)
  fi
  mkdir -p .pg
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir "$PWD/.pg" --shell /usr/sbin/nologin postgres
    chown postgres .pg
    if ! runuser -u postgres -- test -w .pg; then
      say "the postgres OS user cannot reach $PWD/.pg (a parent folder is closed to it); set TEST_DATABASE_URL."
      exit 1
    fi
  fi
  if [ ! -f .pg/data/PG_VERSION ]; then
    say "creating a private cluster in .pg/data"
    as_owner "$bin/initdb" -D .pg/data -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
  fi
  if [ -f .pg/data/postmaster.pid ] && answers 127.0.0.1 "$(cat .pg/port 2>/dev/null || echo 0)" postgres; then
    port=$(cat .pg/port)
  else
    rm -f .pg/data/postmaster.pid
    port=$("$python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    echo "$port" > .pg/port
    as_owner "$bin/pg_ctl" -D .pg/data -l .pg/data/server.log -w -t 60 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $PWD/.pg/data -c fsync=off" start >/dev/null
    say "started a private cluster on 127.0.0.1:$port (stopped again at the end of the run)"
  fi
  ensure_test_db 127.0.0.1 "$port"
  echo "postgresql+psycopg://postgres@127.0.0.1:$port/test"
}

case "${1:-}" in
  start)
    if [ -n "${TEST_DATABASE_URL:-}" ]; then echo "$TEST_DATABASE_URL"; exit 0; fi
    if answers 127.0.0.1 "$probe_port" postgres; then
      ensure_test_db 127.0.0.1 "$probe_port"
      echo "postgresql+psycopg://postgres@127.0.0.1:$probe_port/test"
    else
      say "no PostgreSQL lets the postgres role in without a password on 127.0.0.1:$probe_port"
      start_private
    fi
    ;;
  stop)
    if [ -f .pg/data/postmaster.pid ]; then
      bin=$(bindir)
      as_owner "$bin/pg_ctl" -D .pg/data -m fast -w stop >/dev/null && say "stopped the private cluster"
    fi
    ;;
  *) echo "usage: scripts/postgres.sh start|stop" >&2; exit 2 ;;
esac
