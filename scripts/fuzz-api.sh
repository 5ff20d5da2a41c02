#!/usr/bin/env bash
# The property-based API fuzzer: schemathesis (pinned in scripts/fuzz/requirements.txt, installed by
# scripts/setup.sh) generates requests from the OpenAPI document the REAL pvz-server binary serves,
# on loopback, with the demo network seeded and a credential of every kind (device, seller, buyer
# front, operator), and checks every answer against that document: no 5xx, every status and body
# declared, invalid input refused, valid input accepted, auth enforced. All checks, every phase
# (examples, coverage, fuzzing, stateful), every operation. It reads the operations from the served
# document, so new ones are fuzzed without touching this script.
#
# Exits non-zero with schemathesis' report when it finds anything. Knobs: PVZ_FUZZ_MAX_EXAMPLES (per
# operation and phase, default 40), PVZ_FUZZ_SEED (default 20261207), PVZ_FUZZ_VENV, PVZ_FUZZ_SERVER
# (a pvz-server binary; default: the debug build in $CARGO_TARGET_DIR, built if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pvz-kiosk-target}"
venv="${PVZ_FUZZ_VENV:-/var/tmp/pvz-schemathesis}"
if [ ! -x "$venv/bin/st" ]; then
  echo "schemathesis is not installed in $venv: run scripts/setup.sh" >&2
  exit 1
fi
server="${PVZ_FUZZ_SERVER:-}"
if [ -z "$server" ]; then
  cargo build --locked -p pvz-server --bin pvz-server
  server="$CARGO_TARGET_DIR/debug/pvz-server"
fi

work=$(mktemp -d)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null || true; wait "$server_pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

# The fuzz server: its own data dir, a free loopback port, and rate limits far above what the run
# sends (the fuzzer's wrong credentials would otherwise turn its later 401s into 429s; the limits
# themselves are tested in the server's suite), and no held pulls (a drawn `wait` would hold each
# pull up to 25 s; held pulls are tested in the suite too).
data="$work/data"
cat >"$work/server.toml" <<TOML
bind = "127.0.0.1:0"
enroll_failures_per_minute = 1000000
credential_failures_per_minute = 1000000
max_pull_wait_seconds = 0
TOML
"$server" --data-dir "$data" demo --json >"$work/demo.json"
enroll_code=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["points"][0]["enrollment_code"])' "$work/demo.json")
export PVZ_FUZZ_SELLER_CREDENTIAL PVZ_FUZZ_BUYER_FRONT_CREDENTIAL PVZ_FUZZ_OPERATOR_CREDENTIAL PVZ_FUZZ_DEVICE_CREDENTIAL
PVZ_FUZZ_SELLER_CREDENTIAL=$("$server" --data-dir "$data" seller-credential seller-modnitsa)
PVZ_FUZZ_BUYER_FRONT_CREDENTIAL=$("$server" --data-dir "$data" buyer-front-credential fuzz-front)
PVZ_FUZZ_OPERATOR_CREDENTIAL=$("$server" --data-dir "$data" operator-credential fuzz-operator)

"$server" --data-dir "$data" --config "$work/server.toml" serve >"$work/server.out" 2>"$work/server.log" &
server_pid=$!
url=""
for _ in $(seq 1 300); do
  url=$(sed -n 's/^pvz-server listening on \(http:[^ ]*\)$/\1/p' "$work/server.out")
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || { cat "$work/server.log" >&2; echo "pvz-server did not start" >&2; exit 1; }
  sleep 0.1
done
[ -n "$url" ] || { cat "$work/server.log" >&2; echo "pvz-server did not say where it listens" >&2; exit 1; }

# A kiosk of the first demo point, enrolled through the API as a real one would be.
PVZ_FUZZ_DEVICE_CREDENTIAL=$(python3 - "$url" "$enroll_code" <<'PY'
import json, sys, urllib.request
url, code = sys.argv[1], sys.argv[2]
body = json.dumps({"code": code, "device_name": "Fuzz kiosk"}).encode()
req = urllib.request.Request(url + "/v1/enroll", data=body, method="POST",
                             headers={"Content-Type": "application/json", "X-Pvz-Protocol": "4"})
print(json.load(urllib.request.urlopen(req))["credential"])
PY
)

echo "fuzzing $url/v1/openapi.json with $("$venv/bin/st" --version)"
status=0
# From the scratch dir: schemathesis keeps a cache (.schemathesis/) where it runs. Every check is on by
# default; `--checks all` would also override the one check scripts/fuzz/schemathesis.toml turns off
# for one operation, with its reason (a push answers a schema-breaking op 200 `rejected{invalid_input}`).
# One worker: schemathesis' workers are threads sharing Hypothesis' process-wide caches, and with two
# of them a busy CI run once died inside Hypothesis (a KeyError in its lambda-source cache, reported as
# a flaky "Runtime Error" on POST /v1/sync/push) without any request being wrong.
(cd "$work" && "$venv/bin/st" --config-file "$root/scripts/fuzz/schemathesis.toml" run "$url/v1/openapi.json" \
  --phases examples,coverage,fuzzing,stateful \
  --max-examples "${PVZ_FUZZ_MAX_EXAMPLES:-40}" --seed "${PVZ_FUZZ_SEED:-20261207}" \
  --workers 1 --no-color) || status=$?
if [ "$status" -ne 0 ]; then
  echo "the API fuzzer found the server and its document disagreeing (above); the server's log:" >&2
  grep -E 'ERROR|panicked' "$work/server.log" | tail -n 40 >&2 || true
  exit "$status"
fi
if grep -q 'panicked' "$work/server.log"; then
  echo "the server panicked during the fuzz run:" >&2
  grep -A5 'panicked' "$work/server.log" >&2
  exit 1
fi
