#!/usr/bin/env bash
# `scripts/check-deb-depends.sh PKG.deb...`: fails when a package does not declare, in its Depends,
# every library package its programs link, as dpkg-shlibdeps finds them on this machine. A missing
# one installs fine here, where the build's -dev packages pulled it in, and fails on a counter PC.
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 PKG.deb..." >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The package names in a Depends-style list, one a line; "a | b" keeps its alternatives together.
names() { tr ',' '\n' | sed -E 's/\([^)]*\)//g; s/[[:space:]]+/ /g; s/^ //; s/ $//' | grep -v '^$' || true; }

status=0
for deb in "$@"; do
  package=$(dpkg-deb -f "$deb" Package)
  root="$work/$package/debian/$package"
  mkdir -p "$root"
  dpkg-deb -x "$deb" "$root"
  # dpkg-shlibdeps reads a source package's control file; this one only names the package.
  printf 'Source: %s\n\nPackage: %s\nArchitecture: any\n' "$package" "$package" >"$work/$package/debian/control"
  mapfile -t programs < <(find "$root" -type f -perm -u+x -exec sh -c 'head -c 4 "$1" | grep -q "ELF"' _ {} \; -print)
  if [ ${#programs[@]} -eq 0 ]; then
    echo "$package: no program to check"
    continue
  fi
  needed=$(cd "$work/$package" && dpkg-shlibdeps -O "${programs[@]#"$work/$package/"}" 2>/dev/null | sed -n 's/^shlibs:Depends=//p')
  declared=$(dpkg-deb -f "$deb" Depends | names)
  missing=()
  while IFS= read -r alternatives; do
    found=""
    IFS='|' read -ra options <<<"$alternatives"
    for option in "${options[@]}"; do
      option=$(echo "$option" | xargs)
      if grep -qxF "$option" <<<"$declared" || grep -q "\(^\|| \)$option\( |\|$\)" <<<"$declared"; then found=yes; fi
    done
    [ -n "$found" ] || missing+=("$alternatives")
  done < <(names <<<"$needed")
  if [ ${#missing[@]} -gt 0 ]; then
    echo "$package: its programs link libraries of packages it does not declare in Depends: ${missing[*]}" >&2
    echo "  dpkg-shlibdeps: $needed" >&2
    echo "  declared:       $(dpkg-deb -f "$deb" Depends)" >&2
    status=1
  else
    echo "$package: Depends covers every linked library ($(names <<<"$needed" | wc -l) packages)"
  fi
done
exit $status
