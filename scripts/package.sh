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

step "the kiosk's root update service, which the kiosk package ships"
cargo_profile=()
[ "$profile" = release ] && cargo_profile=(--release)
cargo build -p pvz-kiosk-updater --locked "${cargo_profile[@]}"
mkdir -p packaging/kiosk/build
install -m 755 "$CARGO_TARGET_DIR/$profile/pvz-kiosk-updater" packaging/kiosk/build/pvz-kiosk-updater
[ "$profile" = debug ] && strip --strip-debug packaging/kiosk/build/pvz-kiosk-updater

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
# Tauri's bundler marks no conffiles, so an upgrade would overwrite the operator's
# /etc/pvz-kiosk/kiosk.toml and a removal delete it: the package is repacked with that file listed.
for deb in "$bundle_dir"/*.deb; do
  name="$(dpkg-deb -f "$deb" Package)_$(dpkg-deb -f "$deb" Version)_$(dpkg-deb -f "$deb" Architecture).deb"
  tree=$(mktemp -d)
  dpkg-deb -R "$deb" "$tree"
  echo /etc/pvz-kiosk/kiosk.toml >"$tree/DEBIAN/conffiles"
  dpkg-deb --build --root-owner-group "$tree" "$out/$name" >/dev/null
  rm -rf "$tree"
done

step "the server package (cargo deb, with the seller web page it serves)"
npm --prefix ui run build:web
cargo deb -p pvz-server --locked "${deb_flags[@]}" --output "$out/"

step "each package declares every library its programs link"
scripts/check-deb-depends.sh "$out"/*.deb

step "packages built"
ls -l "$out"/*.deb
