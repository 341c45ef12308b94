#!/usr/bin/env bash
# Runs the web client's smoke test (src/lib/smoke.test.ts) against a real `hearth serve`: a fresh
# SQLite data directory, a free port, the first account registered as its owner. `make test` runs it
# after the Rust tests, which have built the debug binary.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${HEARTH_BIN:-${CARGO_TARGET_DIR:-../target}/debug/hearth}"
[ -x "$bin" ] || { echo "smoke: $bin not found; build it with cargo build -p hearth-server" >&2; exit 1; }

data="$(mktemp -d)"
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
HEARTH_DATA_DIR="$data" HEARTH_LISTEN="127.0.0.1:$port" "$bin" serve >"$data/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null; wait "$server" 2>/dev/null; rm -rf "$data"' EXIT

url="http://127.0.0.1:$port"
for _ in $(seq 1 100); do curl -fs "$url/healthz" >/dev/null 2>&1 && break; sleep 0.1; done
password="smoke-$(date +%s)-password"
curl -fs -X POST "$url/api/v1/auth/register" -H 'Content-Type: application/json' \
  -d "{\"username\": \"smoke\", \"password\": \"$password\"}" >/dev/null

# Node 20 has WebSocket behind a flag; 22 and later have it by default.
HEARTH_SMOKE_URL="$url" HEARTH_SMOKE_USER=smoke HEARTH_SMOKE_PASS="$password" \
  NODE_OPTIONS="--experimental-websocket" npx vitest run src/lib/smoke.test.ts
