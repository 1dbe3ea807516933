#!/usr/bin/env bash
# Browser proof of the web console (issue #16): starts target/debug/scimgate on 127.0.0.1 with
# a temp SQLite database and an admin key, then drives Debian's headless chromium through its
# chromedriver with ops/console-browser/console-browser.js: the operator signs in, creates
# tenants and a setup link; in a fresh session the IT admin opens it, creates a token, the
# script creates a user with it over SCIM, the console shows the user and the request, the
# token is rotated and revoked and SCIM refuses it; CSRF, cross-tenant and operator-page
# refusals. axe-core runs in every page visited and the run fails on any "serious" or
# "critical" violation. Screenshots of each page go to target/console-screenshots/, the tenant
# overview at README size too (readme-overview.png); to refresh the README's picture, run
# `CONSOLE_OVERVIEW_PNG=docs/console-overview.png bash ops/console-browser.sh` (a CI run leaves
# the checkout as it found it).
#
# Why Node + selenium-webdriver rather than a Rust WebDriver crate: axe-core, the checker the
# issue names, is a JavaScript library, and selenium-webdriver is the W3C WebDriver client of
# the Selenium project; both are pinned in ops/console-browser/package-lock.json and installed
# at run time into target/console-browser (nothing of them is committed or built into
# scimgate, and `cargo test --workspace` stays free of a browser).
#
# Needs: Node >= 20 with npm (the npm registry reachable on first run); installs Debian's
# chromium and chromium-driver with apt-get when /usr/bin/chromium or /usr/bin/chromedriver
# is missing (and Debian's nodejs and npm when there is no npm at all).
# usage: ops/console-browser.sh   (~15 s after the first install)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
bin="$root/target/debug/scimgate"
pkg="$root/ops/console-browser"
modules="$root/target/console-browser"

missing=()
[ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ] || missing+=(chromium chromium-driver)
# Debian's own Node (18 on bookworm) is older than selenium-webdriver asks for (20); it is the
# fallback for a machine without any Node, not what the check was proven with.
command -v npm >/dev/null 2>&1 || missing+=(nodejs npm)
if [ "${#missing[@]}" -gt 0 ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
# Reinstalled only when the committed lock file changed since the last install.
if ! cmp -s "$pkg/package-lock.json" "$modules/package-lock.json" || [ ! -d "$modules/node_modules" ]; then
  mkdir -p "$modules"
  cp "$pkg/package.json" "$pkg/package-lock.json" "$modules/"
  (cd "$modules" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null)
fi
[ -x "$bin" ] || cargo build --quiet -p scimgate-api

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
work=$(mktemp -d)
port=$(free_port)
origin="http://127.0.0.1:$port"
admin_key="console-browser-$(python3 -c 'import secrets; print(secrets.token_hex(24))')"
env -u DATABASE_URL -u REDIS_URL -u SCIMGATE_CONFIG \
  SCIMGATE_DATABASE_URL="sqlite://$work/scimgate.sqlite?mode=rwc" SCIMGATE_LISTEN="127.0.0.1:$port" \
  SCIMGATE_PUBLIC_URL="$origin" SCIMGATE_DEMO=false SCIMGATE_ADMIN_KEY="$admin_key" \
  RUST_LOG="${RUST_LOG:-warn}" "$bin" serve >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 1 100); do
  curl -fsS "$origin/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done

shots="$root/target/console-screenshots"
rm -rf "$shots"
status=0
NODE_PATH="$modules/node_modules" ORIGIN="$origin" ADMIN_KEY="$admin_key" SHOTS="$shots" \
  OVERVIEW_PNG="${CONSOLE_OVERVIEW_PNG:-$shots/readme-overview.png}" node "$pkg/console-browser.js" || status=$?
if [ "$status" -ne 0 ]; then
  echo "--- server log ---"
  tail -50 "$work/server.log" || true
fi
exit "$status"
