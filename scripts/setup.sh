#!/usr/bin/env bash
# Installs whatever is missing on a Debian/Ubuntu machine to build, run and test PVZ Kiosk:
# system packages (Tauri/WebKitGTK, WebKitWebDriver, Xvfb, a D-Bus daemon for the single-instance test, zbar, CUPS, poppler, PostgreSQL for the server's tests), Rust components, tauri-driver,
# cargo-deb and the UI's npm packages (with the Tauri CLI). Safe to run again: it only installs what is not there.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

packages=(
  build-essential pkg-config curl file python3
  libwebkit2gtk-4.1-dev libssl-dev libxdo-dev libayatana-appindicator3-dev librsvg2-dev
  webkit2gtk-driver xvfb xauth zbar-tools dbus
  cups cups-client poppler-utils
  postgresql
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing system packages: ${missing[*]}"
  as_root apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

if ! command -v cargo >/dev/null; then
  echo "Rust is missing: install it with rustup (https://rustup.rs), then run this again." >&2
  exit 1
fi
for component in rustfmt clippy; do
  rustup component list --installed 2>/dev/null | grep -q "^$component" || rustup component add "$component"
done

if ! command -v tauri-driver >/dev/null; then
  say "installing tauri-driver"
  cargo install tauri-driver --locked --version 2.1.0
fi

# Builds the server's Debian package (scripts/package.sh); the kiosk's comes from the Tauri CLI,
# an npm package of the UI.
if [ "$(cargo-deb --version 2>/dev/null)" != "3.8.0" ]; then
  say "installing cargo-deb"
  cargo install cargo-deb --locked --version 3.8.0
fi

if ! command -v node >/dev/null || ! node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)'; then
  echo "Node.js >= 20.19 is needed for the UI build (found: $(node --version 2>/dev/null || echo none))." >&2
  exit 1
fi
if [ ! -f ui/node_modules/.package-lock.json ] || [ ui/package-lock.json -nt ui/node_modules/.package-lock.json ]; then
  say "installing the UI's npm packages"
  npm ci --prefix ui --no-audit --no-fund
fi

# The API fuzzer (schemathesis) in its own virtualenv outside the repo, pinned with hashes by
# scripts/fuzz/requirements.txt. Reinstalled only when the lock file is newer than the venv's stamp.
fuzz_venv="${PVZ_FUZZ_VENV:-/var/tmp/pvz-schemathesis}"
fuzz_lock=scripts/fuzz/requirements.txt
if [ ! -x "$fuzz_venv/bin/st" ] || [ ! -f "$fuzz_venv/.installed" ] || [ "$fuzz_lock" -nt "$fuzz_venv/.installed" ]; then
  say "installing the API fuzzer (schemathesis) into $fuzz_venv"
  if ! python3 -m venv --help >/dev/null 2>&1 || ! python3 -c 'import ensurepip' 2>/dev/null; then
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends python3-venv
  fi
  rm -rf "$fuzz_venv"
  python3 -m venv "$fuzz_venv"
  "$fuzz_venv/bin/pip" install --quiet --disable-pip-version-check --require-hashes --no-deps -r "$fuzz_lock"
  touch "$fuzz_venv/.installed"
fi
