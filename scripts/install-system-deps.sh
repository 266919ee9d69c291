#!/bin/sh
# Debian packages guidebook needs:
#   fonts-noto-cjk       Noto Sans CJK KR/JP/SC/TC: Hangul and CJK text in the guide
#   libharfbuzz-subset0  fast font subsetting in WeasyPrint (without it a guide takes seconds more)
#   libpango-1.0-0 libpangoft2-1.0-0  WeasyPrint's text layout
#   poppler-utils        pdftotext, pdffonts, pdftocairo for the tests and for looking at pages
#   python3-venv         the virtual environment
#   chromium             the browser the tests of `guidebook serve` drive (Playwright, through
#                        executable_path: `playwright install` cannot download a browser here)
set -eu
PACKAGES="fonts-noto-cjk libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0 poppler-utils python3-venv chromium"

missing=""
for p in $PACKAGES; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -eq 0 ]; then
  echo "Installing Debian packages:$missing"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing
else
  echo "Missing Debian packages:$missing" >&2
  echo "Run:  sudo apt-get install -y$missing" >&2
  exit 1
fi
