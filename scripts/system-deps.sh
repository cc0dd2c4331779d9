#!/usr/bin/env bash
# Debian/Ubuntu libraries Qt needs (offscreen and on a real X display), Xvfb for the
# window smoke test, and poppler/qpdf for checking PDFs. Installs what is missing when
# run as root; otherwise prints the command to run.
set -euo pipefail
packages=(libgl1 libegl1 libxkbcommon0 libfontconfig1 libglib2.0-0 libdbus-1-3
          xvfb xauth libxkbcommon-x11-0 libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1
          libxcb-shape0 poppler-utils qpdf)
command -v dpkg-query >/dev/null 2>&1 || exit 0   # not a Debian-family system: nothing to do
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" -eq 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "Missing system libraries. Run: sudo apt-get install -y ${missing[*]}" >&2
  exit 1
fi
