#!/usr/bin/env bash
# Runs the third-party conformance suites against the real scimgate binary on an empty tenant.
# usage: conformance/run.sh postgres|sqlite
# postgres mode needs TEST_DATABASE_URL and TEST_REDIS_URL; sqlite mode uses the defaults.
set -euo pipefail
mode=${1:?postgres or sqlite}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/debug/scimgate"
venv="$root/.venv-conformance"

if [ ! -x "$venv/bin/scim-sanity" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r "$root/conformance/requirements.txt"
fi
[ -x "$bin" ] || cargo build --quiet -p scimgate-api

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
env_args=(env -u DATABASE_URL -u REDIS_URL -u SCIMGATE_CONFIG SCIMGATE_LISTEN="127.0.0.1:$port" SCIMGATE_DEMO=false)
if [ "$mode" = postgres ]; then
  env_args+=(DATABASE_URL="${TEST_DATABASE_URL:?}" REDIS_URL="${TEST_REDIS_URL:?}"
             SCIMGATE_DATABASE_SCHEMA="conformance_$(date +%s)_$$" SCIMGATE_REDIS_PREFIX="conformance-$$")
fi

cd "$work"
"${env_args[@]}" "$bin" tenant create conformance >/dev/null 2>&1
token=$("${env_args[@]}" "$bin" token create --tenant conformance --name conformance 2>/dev/null)
"${env_args[@]}" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  python3 -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:$port/healthz', timeout=1)" 2>/dev/null && break
  sleep 0.1
done

echo "conformance ($mode) against http://127.0.0.1:$port/t/conformance/scim/v2"
"$venv/bin/python" "$root/conformance/check.py" "http://127.0.0.1:$port/t/conformance/scim/v2" "$token" "$root/target/conformance-$mode"
