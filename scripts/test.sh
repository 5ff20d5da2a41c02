#!/usr/bin/env bash
# Runs exactly what CI runs: rustfmt, the layout check, clippy -D warnings, TypeScript typecheck + lint, UI and Rust
# unit tests, integration tests, the API fuzzer (scripts/fuzz-api.sh), the TypeScript bindings drift check, the end-to-end tests in
# the real built app (tauri-driver + WebKitWebDriver under xvfb-run) and the install test of both Debian packages.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

# One target directory shared by every checkout on this machine keeps CI warm; a fresh
# machine simply starts cold.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pvz-kiosk-target}"
export CARGO_TERM_COLOR=never

step() { printf '\n==> %s (%ss)\n' "$*" "$SECONDS"; }

# Every checkout path compiles the workspace crates anew into the shared directory, and their
# incremental caches pile up (one CI run failed on a full disk at 67 GB). Below 20 GB free, drop
# the incremental caches: they only speed up rebuilds of the same checkout.
mkdir -p "$CARGO_TARGET_DIR"
free_kib=$(df -Pk "$CARGO_TARGET_DIR" | awk 'NR == 2 { print $4 }')
if [ "${free_kib:-0}" -lt $((20 * 1024 * 1024)) ]; then
  echo "less than 20 GB free beside $CARGO_TARGET_DIR: removing its incremental caches"
  rm -rf "$CARGO_TARGET_DIR"/debug/incremental "$CARGO_TARGET_DIR"/release/incremental
fi

# Test runners' output is also kept here, to add up the totals at the end.
results=$(mktemp)
trap 'rm -f "$results"' EXIT

step "setup"
scripts/setup.sh

step "rustfmt"
cargo fmt --all --check

step "layout: no import circle, pure server rules, SQL only in the kiosk's store/"
python3 scripts/check-layout.py

step "UI: typecheck, lint, unit tests, build"
npm --prefix ui run format:check
npm --prefix ui run typecheck
npm --prefix ui run lint
npm --prefix ui test | tee -a "$results"
npm --prefix ui run build
npm --prefix ui run build:web

step "clippy"
cargo clippy --workspace --all-targets --locked -- -D warnings

step "Rust unit and integration tests"
cargo test --workspace --exclude pvz-e2e --locked | tee -a "$results"

step "the server's integration suite again, on PostgreSQL (a throwaway cluster the tests start)"
PVZ_TEST_BACKEND=postgres cargo test -p pvz-server --test server --locked | tee -a "$results"

step "the API fuzzer (schemathesis) against the real server and the document it serves"
scripts/fuzz-api.sh

step "TypeScript bindings match the Rust types"
if git -C "$root" rev-parse --git-dir >/dev/null 2>&1; then
  drift=$(git -C "$root" status --porcelain -- ui/src/bindings)
  if [ -n "$drift" ]; then
    echo "ui/src/bindings changed when the Rust types were exported; commit the regenerated files:" >&2
    echo "$drift" >&2
    exit 1
  fi
fi

step "build the kiosk app (and the updater service the update test runs)"
cargo build -p pvz-kiosk -p pvz-kiosk-updater --locked

step "end-to-end tests in the real window"
WEBKIT_DISABLE_COMPOSITING_MODE=1 xvfb-run -a -s "-screen 0 1280x800x24" \
  cargo test -p pvz-e2e --locked -- --test-threads=1 | tee -a "$results"

step "the Debian packages: build, install, start against each other, remove (scripts/test-packages.sh)"
scripts/test-packages.sh

step "all checks passed"
# cargo: "test result: ok. N passed; M failed"; vitest: "Tests  N passed (N)".
sed 's/\x1b\[[0-9;]*m//g' "$results" | awk '
  /^test result:/ { passed += $4; failed += $6 }
  /^ *Tests +[0-9]+ passed/ { passed += $2 }
  END { printf "total: %d passed, %d failed\n", passed, failed }
'
