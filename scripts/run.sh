#!/usr/bin/env bash
# Installs what is missing, builds the kiosk and opens it on the demo data set (demo/seed.json).
# The store lives in $PVZ_DATA_DIR (default ~/.local/share/pvz-kiosk-demo); delete it to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pvz-kiosk-target}"

scripts/setup.sh
npm --prefix ui run build
cargo build --release --locked -p pvz-kiosk --features custom-protocol

export PVZ_DATA_DIR="${PVZ_DATA_DIR:-$HOME/.local/share/pvz-kiosk-demo}"
export PVZ_DEMO_SEED="$PWD/demo/seed.json"
echo "Demo codes to try: demo/CODES.md"
exec "$CARGO_TARGET_DIR/release/pvz-kiosk"
