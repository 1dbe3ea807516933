#!/usr/bin/env bash
# Fuzzes a live scimgate with schemathesis, driven by its own GET /openapi.json: positive and
# negative cases, then stateful sequences (links inferred from Location headers and
# parameter names). Fails on any 5xx, any response outside the document, and any error body
# that is not a SCIM error (RFC 6749 error on /oauth/token).
# usage: ops/schemathesis.sh [max-examples]   (default 15: ~45 s on 2 cores; 50: ~2 min; plus the
# first venv install)
# Server on SQLite in a fresh temp dir; the report lands in target/schemathesis/.
set -euo pipefail
max_examples=${1:-15}
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/debug/scimgate"
venv="$root/.venv-schemathesis"
version=4.32.5

if [ "$("$venv/bin/schemathesis" --version 2>/dev/null | awk '{print $NF}')" != "$version" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "schemathesis==$version"
fi
[ -x "$bin" ] || cargo build --quiet -p scimgate-api

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
origin="http://127.0.0.1:$port"
admin_key="schemathesis-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
env -u DATABASE_URL -u REDIS_URL -u SCIMGATE_CONFIG \
  SCIMGATE_DATABASE_URL="sqlite://$work/scimgate.sqlite?mode=rwc" SCIMGATE_LISTEN="127.0.0.1:$port" \
  SCIMGATE_DEMO=false SCIMGATE_ADMIN_KEY="$admin_key" RUST_LOG="${RUST_LOG:-warn}" \
  SCIMGATE_EVENT_POLL_WAIT_SECS=2 \
  "$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "$origin/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

admin() { # method path body -> JSON answer of the operator admin API
  curl -fsS -X "$1" "$origin/admin/v1$2" -H "Authorization: Bearer $admin_key" \
    -H 'Content-Type: application/json' --data "$3"
}
field() { python3 -c "import json,sys; print(json.load(sys.stdin)['$1'])"; }

tenant=fuzz
admin POST /tenants "{\"slug\": \"$tenant\"}" >/dev/null
# Every scope, and a policy mapping the token to a User so /Me answers rather than 501.
token=$(admin POST "/tenants/$tenant/tokens" '{"name": "schemathesis",
  "scopes": ["scim:read", "scim:write", "scim:bulk", "scim:admin"],
  "claims": {"email": "me@example.com"},
  "policy": {"meFilter": "userName eq \"{{claims.email}}\""}}' | field token)
# The token's own User, so /Me reaches its logic.
curl -fsS -X POST "$origin/t/$tenant/scim/v2/Users" -H "Authorization: Bearer $token" \
  -H 'Content-Type: application/scim+json' \
  --data '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"], "userName": "me@example.com"}' >/dev/null
client=$(admin POST "/tenants/$tenant/clients" '{"name": "schemathesis", "scopes": ["scim:read"]}')

export SCHEMATHESIS_TOKEN="$token" SCHEMATHESIS_ADMIN_KEY="$admin_key" SCHEMATHESIS_TENANT="$tenant"
export SCHEMATHESIS_CLIENT_ID=$(echo "$client" | field clientId)
export SCHEMATHESIS_CLIENT_SECRET=$(echo "$client" | field clientSecret)
export SCHEMATHESIS_HOOKS=schemathesis_hooks PYTHONPATH="$root/ops"

mkdir -p "$root/target/schemathesis"
cd "$work" # schemathesis keeps its cache in the working directory
status=0
"$venv/bin/schemathesis" --config-file "$root/ops/schemathesis.toml" run "$origin/openapi.json" \
  --mode all --phases examples,coverage,fuzzing,stateful \
  --checks not_a_server_error,response_schema_conformance,error_bodies_are_scim_or_oauth \
  --max-examples "$max_examples" --workers 2 --seed 1 --no-shrink \
  --request-timeout 10 --suppress-health-check all \
  --report junit --report-dir "$root/target/schemathesis" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log (errors) ---"
  grep -E 'request failed|panicked' "$work/server.log" | tail -50 || true
fi
exit "$status"
