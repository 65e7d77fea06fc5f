#!/usr/bin/env bash
# Make sure PostgreSQL answers on 127.0.0.1:5432 with a database named "test"; install and start it if needed.
# Fails (exit 1) if it cannot.
set -euo pipefail
export PGPASSWORD=postgres

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! command -v pg_isready >/dev/null 2>&1 || ! ready; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    echo "PostgreSQL is not installed: installing Debian's postgresql package." >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
  fi
  version=$(ls /etc/postgresql | sort -V | tail -1)
  echo "Starting PostgreSQL $version." >&2
  pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
  for _ in $(seq 1 30); do ready && break; sleep 1; done
  if ! ready; then echo "PostgreSQL did not start on 127.0.0.1:5432." >&2; exit 1; fi
  # a fresh Debian cluster wants a password over TCP: give the postgres role the one the tests use
  su postgres -c "psql -q -c \"ALTER USER postgres PASSWORD 'postgres'\"" >/dev/null 2>&1 || true
fi

if ! psql -h 127.0.0.1 -U postgres -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'test'" | grep -q 1; then
  psql -h 127.0.0.1 -U postgres -d postgres -qc "CREATE DATABASE test"
fi
psql -h 127.0.0.1 -U postgres -d test -tAc "SELECT 1" >/dev/null
echo "PostgreSQL is ready at 127.0.0.1:5432/test." >&2
