#!/usr/bin/env bash
# Make .venv match a lock file exactly: `bash scripts/venv.sh runtime` (requirements.lock) or `dev`
# (requirements-dev.lock, a superset). The lock's hash is recorded in .venv; an environment built from another lock,
# or from none, is removed and rebuilt, never reused silently. Then the package itself is installed (editable, no
# dependencies, no build isolation: every build tool comes from the lock too).
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:?usage: scripts/venv.sh runtime|dev}
case "$kind" in
  runtime) lock=requirements.lock ;;
  dev) lock=requirements-dev.lock ;;
  *) echo "usage: scripts/venv.sh runtime|dev" >&2; exit 2 ;;
esac
# pip, with the machine's notes about absent local indexes left out
pipq() {
  local out status=0
  out=$(.venv/bin/python -m pip --disable-pip-version-check "$@" 2>&1) || status=$?
  printf '%s\n' "$out" | grep -v -e '^WARNING: Location' -e '^$' >&2 || true
  return "$status"
}
digest() { sha256sum "$1" | cut -d' ' -f1; }
stamp=.venv/restructure-lock
want_runtime="requirements.lock $(digest requirements.lock)"
want_dev="requirements-dev.lock $(digest requirements-dev.lock)"

usable() {
  [ -x .venv/bin/python ] && [ -f "$stamp" ] || return 1
  # a dev environment serves the runtime too (its lock is the runtime lock's superset, resolved together)
  grep -qxF "$want_dev" "$stamp" && return 0
  [ "$kind" = runtime ] && grep -qxF "$want_runtime" "$stamp"
}

if ! usable; then
  if [ -e .venv ]; then echo "Rebuilding .venv: it was not built from the current $lock." >&2; fi
  rm -rf .venv
  python3 -m venv .venv
  echo "Installing from $lock (pinned, with hashes) into .venv ..." >&2
  pipq install -q --require-hashes --no-deps -r "$lock"
  if [ "$kind" = dev ]; then printf '%s\n%s\n' "$want_dev" "$want_runtime" > "$stamp"; else echo "$want_runtime" > "$stamp"; fi
fi
pipq install -q --no-deps --no-build-isolation -e .
pipq check -q >/dev/null
