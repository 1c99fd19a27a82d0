#!/bin/sh
# System libraries booklet needs: Pango for WeasyPrint, the HarfBuzz subsetter (PDF writing
# is ~5x faster with it), venv support, and poppler-utils and qpdf for the tests.
# As root, missing ones are installed with apt-get; otherwise the command is printed.
# `sysdeps.sh browser`: Chromium, for the HTML edition's browser test (optional: without it
# that test is skipped, so a non-root run only prints the command).
set -eu
needed="python3-venv libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 poppler-utils qpdf"
optional=0
if [ "${1:-}" = browser ]; then
  needed="chromium"
  optional=1
fi
missing=""
for package in $needed; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $package"
  fi
done
[ -z "$missing" ] && exit 0
if ! command -v apt-get >/dev/null 2>&1; then
  echo "booklet needs these system packages (or your system's equivalents):$missing" >&2
  exit 0
fi
if [ "$(id -u)" = 0 ]; then
  echo "Installing system packages:$missing"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
else
  echo "Missing system packages. Run:" >&2
  echo "  sudo apt-get install -y$missing" >&2
  [ "$optional" = 1 ] && exit 0
  exit 1
fi
