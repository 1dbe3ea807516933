#!/usr/bin/env bash
# Interop check of signed SETs (RFC 8417, RFC 9967) and RFC 8936 poll delivery with a JWT
# library of another language: starts target/debug/scimgate on 127.0.0.1 with a temp SQLite
# database, makes SCIM writes, then ops/set_interop.py polls the SETs and verifies each with
# PyJWT against the server's JWKS, and acknowledges them.
# usage: ops/set-interop.sh   (~10 s after the first venv install into target/set-interop-venv)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/debug/scimgate"
venv="$root/target/set-interop-venv"
pyjwt=2.15.1
cryptography=50.0.2

if [ "$("$venv/bin/python" -c 'import jwt, cryptography; print(jwt.__version__, cryptography.__version__)' 2>/dev/null)" != "$pyjwt $cryptography" ]; then
  python3 -m venv "$venv"
  # Exact pins, transitive ones included, so CI verifies with the same library every time.
  "$venv/bin/pip" install --quiet --disable-pip-version-check "pyjwt[crypto]==$pyjwt" \
    "cryptography==$cryptography" cffi==2.1.1 pycparser==3.12
fi
[ -x "$bin" ] || cargo build --quiet -p scimgate-api

work=$(mktemp -d)
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
origin="http://127.0.0.1:$port"
admin_key="set-interop-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
env -u DATABASE_URL -u REDIS_URL -u SCIMGATE_CONFIG \
  SCIMGATE_DATABASE_URL="sqlite://$work/scimgate.sqlite?mode=rwc" SCIMGATE_LISTEN="127.0.0.1:$port" \
  SCIMGATE_DEMO=false SCIMGATE_ADMIN_KEY="$admin_key" SCIMGATE_EVENT_POLL_WAIT_SECS=2 \
  RUST_LOG="${RUST_LOG:-warn}" "$bin" serve >"$work/server.log" 2>&1 &
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
scim() { # method path body -> JSON answer of a SCIM write
  curl -fsS -X "$1" "$origin/t/$tenant/scim/v2$2" -H "Authorization: Bearer $writer" \
    -H 'Content-Type: application/scim+json' --data "$3"
}

tenant=interop
admin POST /tenants "{\"slug\": \"$tenant\"}" >/dev/null
writer=$(admin POST "/tenants/$tenant/tokens" '{"name": "idp", "scopes": ["scim:read", "scim:write"]}' | field token)
receiver=$(admin POST "/tenants/$tenant/tokens" '{"name": "set-receiver", "scopes": ["scim:events:read"]}')
receiver_token=$(echo "$receiver" | field token)
receiver_id=$(echo "$receiver" | field id)

user=$(scim POST /Users '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName": "ada@example.com", "externalId": "ada", "active": true, "password": "S3cret-pa55"}' | field id)
scim PATCH "/Users/$user" '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [{"op": "replace", "path": "active", "value": false}]}' >/dev/null
scim POST /Groups "{\"schemas\": [\"urn:ietf:params:scim:schemas:core:2.0:Group\"],
  \"displayName\": \"engineering\", \"members\": [{\"value\": \"$user\"}]}" >/dev/null
curl -fsS -X DELETE "$origin/t/$tenant/scim/v2/Users/$user" -H "Authorization: Bearer $writer"

status=0
"$venv/bin/python" "$root/ops/set_interop.py" "$origin" "$tenant" "$receiver_token" "$receiver_id" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log ---"
  tail -50 "$work/server.log" || true
fi
exit "$status"
