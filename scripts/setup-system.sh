#!/usr/bin/env bash
# Install the Debian packages thesis needs, only those that are missing.
#   libpango / libharfbuzz: WeasyPrint's text layout
#   fonts-noto-core, fonts-dejavu-core: the brief's fonts, embedded in every PDF
#   fonts-wqy-microhei: a compact CJK font for the Chinese names quoted from sources (5 MB, not 90)
#   poppler-utils: pdftoppm, to look at PDF pages (tests and the README picture)
#   chromium: the headless-browser test of the HTML brief
# Extra packages named as arguments are installed too (make bench: pandoc, the peer it times).
set -euo pipefail
packages=(libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-core fonts-dejavu-core fonts-wqy-microhei poppler-utils chromium "$@")
missing=()
for pkg in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing Debian packages: ${missing[*]}"
if [ "$(id -u)" -eq 0 ]; then SUDO=""; elif command -v sudo >/dev/null; then SUDO="sudo"; else
  echo "need root to install: ${missing[*]}" >&2; exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
