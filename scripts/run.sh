#!/usr/bin/env bash
# The whole chain on this machine: installs what is missing, builds, starts the central server with a
# demo network on loopback (one SQLite file), prints the seller web page's address with fresh seller
# and operator credentials, enrolls the kiosk to it with a one-time code, and opens the window. Stop
# the server (`scripts/server.sh stop`) and the kiosk keeps working offline; start it again
# (`scripts/server.sh start`) and the queued operations go through.
# Data: ~/.local/share/pvz-demo/{server,kiosk}; delete that folder to start over.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pvz-kiosk-target}"
export PVZ_SERVER_DATA_DIR="${PVZ_SERVER_DATA_DIR:-$HOME/.local/share/pvz-demo/server}"
export PVZ_SERVER_BIND="${PVZ_SERVER_BIND:-127.0.0.1:8787}"
export PVZ_DATA_DIR="${PVZ_DATA_DIR:-$HOME/.local/share/pvz-demo/kiosk}"
# The demo network's first pickup point; its orders are the ones in demo/CODES.md.
pickup_point="${PVZ_PICKUP_POINT:-pp-msk-0042}"

scripts/setup.sh
npm --prefix ui run build
# The seller and operator web page the server serves at /seller/ (from this checkout's ui/dist-web).
npm --prefix ui run build:web
cargo build --release --locked -p pvz-server
cargo build --release --locked -p pvz-kiosk --features custom-protocol

scripts/server.sh start
export PVZ_SERVER_URL="http://$PVZ_SERVER_BIND"
# A fresh one-time code on every start: the kiosk uses it only while it is not enrolled (say, the
# first start was closed before enrolling), and an unused code simply expires in 24 h.
PVZ_ENROLL_CODE=$("$CARGO_TARGET_DIR/release/pvz-server" enrollment-code --pickup-point "$pickup_point")
export PVZ_ENROLL_CODE
echo "Codes to try: $PVZ_SERVER_DATA_DIR/demo-codes.txt (short codes also in demo/CODES.md)"
# Fresh credentials on every start (a new one replaces the previous and signs its web sessions out).
seller_credential=$("$CARGO_TARGET_DIR/release/pvz-server" seller-credential seller-modnitsa 2>>"$PVZ_SERVER_DATA_DIR/server.log")
operator_credential=$("$CARGO_TARGET_DIR/release/pvz-server" operator-credential demo-operator 2>>"$PVZ_SERVER_DATA_DIR/server.log")
echo
echo "Seller and operator web page: http://$PVZ_SERVER_BIND/seller/"
echo "  sign in as the demo seller (ООО «Модница», seller-modnitsa): $seller_credential"
echo "  sign in as the network's operator (demo-operator):            $operator_credential"
echo "  the demo claim with the counter's and the buyer's photos, left for the seller: clm-demo-photos"
echo
echo "The server keeps running after the window closes: scripts/server.sh stop"
exec "$CARGO_TARGET_DIR/release/pvz-kiosk"
