#!/usr/bin/env bash
# Builds the two Debian packages into $CARGO_TARGET_DIR/packages/<profile>/ and checks their Depends:
#   pvz-kiosk_<version>_amd64.deb    the counter app: `tauri build --bundles deb` (UI, window, .deb)
#   pvz-server_<version>-1_amd64.deb the central server: `cargo deb` (systemd unit, /etc/pvz-server,
#                                    the seller web page, the maintainer scripts making its user)
# `scripts/package.sh --debug` packages the debug builds instead: what CI installs, since a release
# build of the window costs CI many minutes more. Run scripts/setup.sh once first.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-/var/tmp/pvz-kiosk-target}"

step() { printf '\n==> %s (%ss)\n' "$*" "$SECONDS"; }

profile=release
tauri_flags=()
deb_flags=()
case "${1:-}" in
  "") ;;
  --debug)
    profile=debug
    tauri_flags=(--debug)
    # cargo-deb warns that it is meant for release builds; the package is the same but for the
    # binary. --fast: gzip instead of xz, minutes less on two cores for a package only CI installs.
    deb_flags=(--profile dev --fast)
    ;;
  *)
    echo "usage: scripts/package.sh [--debug]" >&2
    exit 2
    ;;
esac
if ! command -v cargo-deb >/dev/null; then
  echo "cargo-deb is missing: run scripts/setup.sh first." >&2
  exit 1
fi
out="$CARGO_TARGET_DIR/packages/$profile"
rm -rf "$out"
mkdir -p "$out"

step "the kiosk package (tauri build; it builds the UI first)"
bundle_dir="$CARGO_TARGET_DIR/$profile/bundle/deb"
rm -f "$bundle_dir"/*.deb
if [ "$profile" = debug ]; then
  # The debug build's debug info is nine tenths of its 350 MB and most of the bundling time; the
  # installed program does not need it.
  npm --prefix ui exec -- tauri build --debug --no-bundle --ci
  strip --strip-debug "$CARGO_TARGET_DIR/debug/pvz-kiosk"
  npm --prefix ui exec -- tauri bundle --debug --bundles deb --ci
else
  npm --prefix ui exec -- tauri build --bundles deb --ci
fi
# Tauri names the file after the product name ("PVZ Kiosk_0.1.0_amd64.deb"); apt and the docs use
# the package's own name.
for deb in "$bundle_dir"/*.deb; do
  cp "$deb" "$out/$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)_$(dpkg-deb -f "$deb" Architecture).deb"
done

step "the server package (cargo deb, with the seller web page it serves)"
npm --prefix ui run build:web
cargo deb -p pvz-server --locked "${deb_flags[@]}" --output "$out/"

step "each package declares every library its programs link"
scripts/check-deb-depends.sh "$out"/*.deb

step "packages built"
ls -l "$out"/*.deb
