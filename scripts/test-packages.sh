#!/usr/bin/env bash
# The install test of both packages, as an operator would use them: builds them (debug builds, see
# scripts/package.sh), installs them with apt, starts the server (its systemd unit where systemd runs,
# else the unit's own ExecStart line as the unit's user) and checks /v1/health, starts the installed
# /usr/bin/pvz-kiosk under Xvfb enrolled to that server until its window is ready and the server
# has seen it sync, then removes both (and purges the server) and checks that neither removal took
# the counter's store or the server's database with it. Needs root (CI runs as root).
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pvz-kiosk-target}"

step() { printf '\n==> %s (%ss)\n' "$*" "$SECONDS"; }
fail() { echo "package test failed: $*" >&2; exit 1; }

if [ "$(id -u)" -ne 0 ]; then
  echo "package install test skipped: installing packages needs root (CI runs as root; here: sudo $0)"
  exit 0
fi
for package in pvz-kiosk pvz-server; do
  if dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed"; then
    fail "$package is installed on this machine already; this test installs and removes it, so it will not touch that one"
  fi
done

scripts/package.sh --debug
packages="$CARGO_TARGET_DIR/packages/debug"
kiosk_deb=$(echo "$packages"/pvz-kiosk_*.deb)
server_deb=$(echo "$packages"/pvz-server_*.deb)

work=$(mktemp -d)
server_pid=""
kiosk_group=""
state_was_there=$([ -e /var/lib/pvz-server ] && echo yes || echo no)
user_was_there=$(getent passwd pvz-server >/dev/null && echo yes || echo no)
cleanup() {
  [ -z "$kiosk_group" ] || kill -- "-$kiosk_group" 2>/dev/null || true
  [ -z "$server_pid" ] || kill "$server_pid" 2>/dev/null || true
  # Leave the machine as it was: a failed run must not leave the packages or their data behind.
  DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq pvz-kiosk pvz-server >/dev/null 2>&1 || true
  [ "$state_was_there" = yes ] || rm -rf /var/lib/pvz-server
  [ "$user_was_there" = yes ] || ! getent passwd pvz-server >/dev/null || deluser --quiet --system pvz-server >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT

step "install both packages with apt"
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Dpkg::Use-Pty=0 --no-install-recommends "$server_deb" "$kiosk_deb"
[ -x /usr/bin/pvz-kiosk ] || fail "the kiosk package installed no /usr/bin/pvz-kiosk"
[ -x /usr/bin/pvz-server ] || fail "the server package installed no /usr/bin/pvz-server"
[ -x /usr/bin/pvz-kiosk-updater ] || fail "the kiosk package installed no root update service /usr/bin/pvz-kiosk-updater"
getent group pvz-kiosk >/dev/null || fail "installing pvz-kiosk created no pvz-kiosk group (it may write the update spool)"
[ "$(stat -c '%a %U:%G' /var/spool/pvz-kiosk-updates)" = "2770 root:pvz-kiosk" ] ||
  fail "the update spool should be 2770 root:pvz-kiosk, it is $(stat -c '%a %U:%G' /var/spool/pvz-kiosk-updates)"
dpkg-query --control-show pvz-kiosk conffiles | grep -q '^ */etc/pvz-kiosk/kiosk.toml' ||
  grep -qx /etc/pvz-kiosk/kiosk.toml /var/lib/dpkg/info/pvz-kiosk.conffiles ||
  fail "/etc/pvz-kiosk/kiosk.toml is not a conffile: an upgrade would overwrite the operator's settings"
getent passwd pvz-server >/dev/null || fail "installing pvz-server created no pvz-server system user"
[ "$(stat -c %U /var/lib/pvz-server)" = pvz-server ] || fail "/var/lib/pvz-server is not owned by the service's user"
[ "$(stat -c '%a %U:%G' /etc/pvz-server/server.toml)" = "640 root:pvz-server" ] ||
  fail "/etc/pvz-server/server.toml should be readable by root and the service only, it is $(stat -c '%a %U:%G' /etc/pvz-server/server.toml)"
unit=/usr/lib/systemd/system/pvz-server.service
[ -f "$unit" ] || fail "the server package installed no systemd unit at $unit"
if command -v systemd-analyze >/dev/null; then
  # Unknown or misspelt directives, a missing ExecStart binary, a bad user: what systemd would refuse.
  systemd-analyze verify "$unit" || fail "systemd-analyze verify finds the installed unit invalid"
  echo "systemd-analyze verify: the installed unit is valid"
fi

step "start the server as installed"
config=/etc/pvz-server/server.toml
bind=$(sed -n 's/^bind *= *"\(.*\)"/\1/p' "$config")
[ -n "$bind" ] || fail "no bind address in $config"
if [ ! -d /run/systemd/system ] && curl -fsS "http://$bind/v1/health" >/dev/null 2>&1; then
  fail "something already answers on http://$bind: stop it, or this test would check that server instead of the installed one"
fi
admin() { runuser -u pvz-server -- /usr/bin/pvz-server --config "$config" "$@"; }
if [ -d /run/systemd/system ]; then
  # The package's postinst enabled and started it.
  systemctl is-enabled --quiet pvz-server || fail "the pvz-server unit is not enabled after install"
  systemctl start pvz-server
else
  # No systemd here (a container): the unit's own command line, as the unit's user.
  exec_start=$(sed -n 's/^ExecStart=//p' "$unit")
  echo "systemd is not running: starting the unit's ExecStart as pvz-server: $exec_start"
  read -ra command <<<"$exec_start"
  runuser -u pvz-server -- "${command[@]}" >"$work/server.log" 2>&1 &
  server_pid=$!
fi
for _ in $(seq 1 300); do
  if curl -fsS "http://$bind/v1/health" >"$work/health.json" 2>/dev/null; then break; fi
  if [ -n "$server_pid" ] && ! kill -0 "$server_pid" 2>/dev/null; then
    cat "$work/server.log" >&2
    fail "the installed server exited before it answered on http://$bind"
  fi
  sleep 0.1
done
[ -s "$work/health.json" ] || fail "the installed server did not answer /v1/health on http://$bind within 30 s"
echo "GET /v1/health: $(cat "$work/health.json")"
curl -fsS "http://$bind/v1/ready" >/dev/null || fail "the installed server answers /v1/health but its database is not ready (/v1/ready)"
[ -f /var/lib/pvz-server/server.sqlite3 ] || fail "the server keeps no database in /var/lib/pvz-server (SQLite is the default)"

step "the installed kiosk opens its window against that server"
point=pp-package-test
admin add-pickup-point --id "$point" --name "Проверка пакета"
code=$(admin enrollment-code --pickup-point "$point")
device="package-test-$$"
home="$work/home"
mkdir -p "$home"
# A user's session: their own home, the server's URL and a one-time code, as the config would give.
setsid env -i PATH="$PATH" HOME="$home" LANG=C.UTF-8 WEBKIT_DISABLE_COMPOSITING_MODE=1 \
  PVZ_SERVER_URL="http://$bind" PVZ_ENROLL_CODE="$code" PVZ_DEVICE_NAME="$device" \
  xvfb-run -a -s "-screen 0 1280x800x24" /usr/bin/pvz-kiosk >"$work/kiosk.log" 2>&1 &
kiosk_group=$!
# The window prints PVZ_UI_READY_MS once it shows the counter's data; wait for that line, or the exit.
if ! timeout 120 grep -q -m1 '^PVZ_UI_READY_MS=' <(tail -n +1 -f "$work/kiosk.log" --pid "$kiosk_group"); then
  cat "$work/kiosk.log" >&2
  fail "the installed /usr/bin/pvz-kiosk did not report its window ready within 120 s"
fi
grep '^PVZ_UI_READY_MS=' "$work/kiosk.log"
# Enrolled and synced: the server lists the device with a last sync.
synced=""
for _ in $(seq 1 300); do
  if admin devices --point "$point" 2>/dev/null | awk -F'\t' -v d="$device" '$3 == d && $4 != "never" { found = 1 } END { exit !found }'; then
    synced=yes
    break
  fi
  sleep 0.1
done
if [ -z "$synced" ]; then
  cat "$work/kiosk.log" >&2
  admin devices --point "$point" >&2 || true
  fail "the installed kiosk did not enroll and sync with the installed server within 30 s"
fi
admin devices --point "$point"
kill -- "-$kiosk_group"
wait "$kiosk_group" 2>/dev/null || true
kiosk_group=""
store="$home/.local/share/ru.pvzkiosk.counter/kiosk.sqlite3"
[ -f "$store" ] || fail "the kiosk kept no store at $store"

step "remove the kiosk package: the counter's store stays"
store_sum=$(sha256sum <"$store")
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq -o Dpkg::Use-Pty=0 pvz-kiosk
[ ! -e /usr/bin/pvz-kiosk ] || fail "apt-get remove pvz-kiosk left /usr/bin/pvz-kiosk"
[ -f "$store" ] || fail "removing the kiosk package removed the user's store $store"
[ "$(sha256sum <"$store")" = "$store_sum" ] || fail "removing the kiosk package changed the user's store"
[ -f /etc/pvz-kiosk/kiosk.toml ] || fail "apt-get remove pvz-kiosk deleted the operator's /etc/pvz-kiosk/kiosk.toml (only purge may)"

step "remove, then purge, the server package: its database stays"
if [ -n "$server_pid" ]; then
  kill "$server_pid"
  wait "$server_pid" 2>/dev/null || true
  server_pid=""
fi
DEBIAN_FRONTEND=noninteractive apt-get remove -y -qq -o Dpkg::Use-Pty=0 pvz-server
[ ! -e /usr/bin/pvz-server ] || fail "apt-get remove pvz-server left /usr/bin/pvz-server"
[ -f /var/lib/pvz-server/server.sqlite3 ] || fail "removing the server package removed its database"
[ -f "$config" ] || fail "apt-get remove should keep the settings in $config (only purge removes them)"
DEBIAN_FRONTEND=noninteractive apt-get purge -y -qq -o Dpkg::Use-Pty=0 pvz-server
[ ! -e "$config" ] || fail "purging the server package left $config"
[ -f /var/lib/pvz-server/server.sqlite3 ] || fail "purging the server package removed its database (it keeps the ledger on purge)"

step "package install test passed"
