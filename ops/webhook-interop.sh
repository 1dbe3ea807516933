#!/usr/bin/env bash
# Interop check of webhook signatures with the Standard Webhooks reference library (PyPI
# `standardwebhooks`, pinned): starts target/debug/scimgate on 127.0.0.1 with a temp SQLite
# database and a Python receiver (ops/webhook_receiver.py) that verifies each delivery with
# that library and fails the first one once; registers the receiver, makes SCIM writes, and
# checks that every event arrived verified, once, the failed one after its retry.
# usage: ops/webhook-interop.sh   (~10 s after the first venv install into target/webhook-interop-venv)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/debug/scimgate"
venv="$root/target/webhook-interop-venv"
standardwebhooks=1.3.0

if [ "$("$venv/bin/python" -c 'import standardwebhooks; print(standardwebhooks.__version__)' 2>/dev/null)" != "$standardwebhooks" ]; then
  python3 -m venv "$venv"
  # It has no dependencies of its own; the pin keeps CI on the same library every time.
  "$venv/bin/pip" install --quiet --disable-pip-version-check "standardwebhooks==$standardwebhooks"
fi
[ -x "$bin" ] || cargo build --quiet -p scimgate-api

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
port=$(free_port)
hook_port=$(free_port)
origin="http://127.0.0.1:$port"
admin_key="webhook-interop-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
env -u DATABASE_URL -u REDIS_URL -u SCIMGATE_CONFIG \
  SCIMGATE_DATABASE_URL="sqlite://$work/scimgate.sqlite?mode=rwc" SCIMGATE_LISTEN="127.0.0.1:$port" \
  SCIMGATE_DEMO=false SCIMGATE_ADMIN_KEY="$admin_key" \
  RUST_LOG="${RUST_LOG:-warn}" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
receiver=""
trap 'kill $server $receiver 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
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
secret=$(admin POST "/tenants/$tenant/webhooks" "{\"url\": \"http://127.0.0.1:$hook_port/hook\"}" | field secret)
"$venv/bin/python" "$root/ops/webhook_receiver.py" "$hook_port" "$secret" "$work/received.jsonl" &
receiver=$!
sleep 0.5

user=$(scim POST /Users '{"schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
  "userName": "ada@example.com", "active": true, "password": "S3cret-pa55"}' | field id)
scim PATCH "/Users/$user" '{"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
  "Operations": [{"op": "replace", "path": "active", "value": false}]}' >/dev/null
curl -fsS -X DELETE "$origin/t/$tenant/scim/v2/Users/$user" -H "Authorization: Bearer $writer"

# user.created, user.updated, user.deactivated, user.deleted; the first one retried after ~1 s.
expected=4
for _ in $(seq 1 150); do
  [ "$(cat "$work/received.jsonl" 2>/dev/null | wc -l)" -ge "$expected" ] && break
  sleep 0.1
done
status=0
python3 - "$work/received.jsonl" "$expected" <<'PY' || status=$?
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
refused = [l for l in lines if "refused" in l]
assert not refused, f"deliveries that failed verification: {refused}"
types = sorted(l["event"]["type"] for l in lines)
assert types == sorted(["user.created", "user.updated", "user.deactivated", "user.deleted"]), types
assert len({l["id"] for l in lines}) == int(sys.argv[2]), "each event once"
assert all(l["id"] == l["event"]["id"] for l in lines), "webhook-id is the event id"
assert "S3cret" not in json.dumps(lines), "a password reached a webhook"
print(f"webhook interop: {len(lines)} deliveries verified by standardwebhooks, one after a retry")
PY
if [ "$status" -ne 0 ]; then
  echo "--- server log ---"
  tail -50 "$work/server.log" || true
fi
exit "$status"
