#!/usr/bin/env bash
# Install the Debian packages briefgen needs. `runtime` is what setting up .venv and rendering need;
# `test` adds the real clients the test suite drives (LibreOffice, poppler, Node for the OOXML
# validator, OmegaT for a translator's XLIFF round trip, Chromium
# for the web edition's browser tests). No font packages: rendering and LibreOffice use the fonts in templates/fonts
# (LibreOffice through templates/fonts/fonts.conf, which fontconfig reads).
# Without root or apt-get it only prints the command for an administrator to run.
set -euo pipefail
runtime=(python3-venv fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0)
test=(poppler-utils zbar-tools libreoffice-writer-nogui nodejs npm omegat chromium)
want=("${runtime[@]}")
[ "${1:-runtime}" = test ] && want+=("${test[@]}")

missing=()
for pkg in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
# node/npm may come from elsewhere than Debian (the image ships its own); accept them on PATH.
if command -v node >/dev/null && command -v npm >/dev/null; then
  missing=("${missing[@]/nodejs}"); missing=("${missing[@]/npm}")
fi
read -r -a missing <<< "${missing[*]}"
[ ${#missing[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "installing system packages: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || true
  apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "briefgen needs these system packages; please run:" >&2
  echo "  sudo apt-get install ${missing[*]}" >&2
  # harfbuzz-subset only makes font subsetting ~10x faster; rendering still works without it.
  [ "${1:-runtime}" = test ] && exit 1 || exit 0
fi
