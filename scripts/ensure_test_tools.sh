#!/usr/bin/env bash
# Installs what is missing: Debian's chromium for browser tests, Node/npm for the pinned
# axe-core, Pango for WeasyPrint's PDF reports. Installs only as root with apt; otherwise says loudly what is missing.
set -euo pipefail
what=${1:?usage: ensure_test_tools.sh chromium|node|pango|poppler}

can_apt() { [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; }
apt_install() {
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null
}
shout() { printf '\n!!!!!!!!!!\n!!! %s\n!!!!!!!!!!\n\n' "$1" >&2; }

case "$what" in
  chromium)
    if [ -x /usr/bin/chromium ]; then exit 0; fi
    if can_apt; then
      echo "Installing Debian's chromium for the browser tests…"
      apt_install chromium fonts-dejavu-core
    else
      shout "chromium is missing and cannot be installed here (not root or no apt): BROWSER TESTS WILL BE SKIPPED"
    fi
    ;;
  pango)
    # WeasyPrint (PDF reports) draws text with Pango and subsets fonts with HarfBuzz.
    if ldconfig -p 2>/dev/null | grep -q "libpangoft2-1.0.so.0" \
      && ldconfig -p 2>/dev/null | grep -q "libharfbuzz-subset.so.0"; then exit 0; fi
    if can_apt; then
      echo "Installing Pango for PDF reports…"
      apt_install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
    else
      shout "Pango is missing and cannot be installed here: PDF reports will not work"
    fi
    ;;
  poppler)
    # pdftotext and pdftoppm: the tests read generated PDFs back as text.
    if command -v pdftotext >/dev/null 2>&1; then exit 0; fi
    if can_apt; then
      echo "Installing poppler-utils to read generated PDFs in tests…"
      apt_install poppler-utils
    else
      shout "pdftotext is missing and cannot be installed here: PDF CONTENT TESTS WILL BE SKIPPED"
    fi
    ;;
  node)
    if command -v npm >/dev/null 2>&1; then exit 0; fi
    if can_apt; then
      echo "Installing Node.js and npm for the pinned axe-core…"
      apt_install nodejs npm
    else
      shout "npm is missing and cannot be installed here: install Node.js and npm"
      exit 1
    fi
    ;;
esac
