#!/usr/bin/env bash
# The demo central server in the background: `scripts/server.sh start|stop|status`.
# Stop it while the kiosk is open to work offline; start it again and the kiosk catches up.
# Data: $PVZ_SERVER_DATA_DIR (default ~/.local/share/pvz-demo/server), one SQLite file.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pvz-kiosk-target}"
export PVZ_SERVER_DATA_DIR="${PVZ_SERVER_DATA_DIR:-$HOME/.local/share/pvz-demo/server}"
export PVZ_SERVER_BIND="${PVZ_SERVER_BIND:-127.0.0.1:8787}"
server="$CARGO_TARGET_DIR/release/pvz-server"
pid_file="$PVZ_SERVER_DATA_DIR/server.pid"
log_file="$PVZ_SERVER_DATA_DIR/server.log"

running() { [ -f "$pid_file" ] && kill -0 "$(cat "$pid_file")" 2>/dev/null; }

case "${1:-status}" in
  start)
    if running; then echo "pvz-server already runs (pid $(cat "$pid_file")) on http://$PVZ_SERVER_BIND"; exit 0; fi
    # A no-op when the binary is up to date; an older build would serve an older schema.
    cargo build --release --locked -p pvz-server
    mkdir -p "$PVZ_SERVER_DATA_DIR"
    # Every start: the first creates the demo network, later ones upgrade it (badges issued since)
    # and list fresh enrollment codes, so the codes file always matches the database.
    "$server" demo >"$PVZ_SERVER_DATA_DIR/demo-codes.txt" 2>>"$log_file"
    echo "demo network ready; codes to try: $PVZ_SERVER_DATA_DIR/demo-codes.txt"
    nohup "$server" serve >>"$log_file" 2>&1 &
    echo $! >"$pid_file"
    for _ in $(seq 1 100); do
      if curl -fsS "http://$PVZ_SERVER_BIND/v1/health" >/dev/null 2>&1; then
        echo "pvz-server runs (pid $(cat "$pid_file")) on http://$PVZ_SERVER_BIND; log: $log_file"
        exit 0
      fi
      sleep 0.1
    done
    echo "pvz-server did not answer on http://$PVZ_SERVER_BIND; see $log_file" >&2
    exit 1
    ;;
  stop)
    if running; then kill "$(cat "$pid_file")"; rm -f "$pid_file"; echo "pvz-server stopped"; else echo "pvz-server is not running"; fi
    ;;
  status)
    if running; then echo "pvz-server runs (pid $(cat "$pid_file")) on http://$PVZ_SERVER_BIND"; else echo "pvz-server is not running"; fi
    ;;
  *)
    echo "usage: scripts/server.sh start|stop|status" >&2
    exit 2
    ;;
esac
