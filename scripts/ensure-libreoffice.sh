#!/usr/bin/env bash
# Makes sure LibreOffice (headless Writer) is installed: PDF forms are converted from DOCX by it.
# Prints the soffice path on stdout. As root, installs Debian's libreoffice-writer-nogui and a
# Times-compatible font (fonts-liberation2) when missing; otherwise exits 2 with a one-line message.
set -euo pipefail
say() { echo "==> $*" >&2; }
if command -v soffice >/dev/null 2>&1; then
  say "using $(command -v soffice)"
  command -v soffice
  exit 0
fi
if [ "$(id -u)" != "0" ]; then
  echo "LibreOffice is missing: run 'sudo apt-get install -y libreoffice-writer-nogui fonts-liberation2'" >&2
  exit 2
fi
say "installing LibreOffice Writer (headless) from Debian's packages"
apt-get update -qq >&2
DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends libreoffice-writer-nogui fonts-liberation2 >&2
command -v soffice
