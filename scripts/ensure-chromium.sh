#!/usr/bin/env bash
# ensure-chromium.sh — make sure a headless Chromium exists for the Playwright
# browser tests, and print its path as the LAST (and only) line on stdout:
#     CHROMIUM=$(scripts/ensure-chromium.sh)
# Progress lines ("==> ...") go to stderr.
#
# Order: $CCHC_CHROMIUM if set and executable; else /usr/bin/chromium; else, as
# root, Debian's package (apt-get update && apt-get install -y chromium).  No
# browser is ever downloaded any other way (no `playwright install`).
# Pass the path to Playwright as executable_path; as root Chromium also needs
# --no-sandbox.
#
# Environment:
#   CCHC_CHROMIUM   path of a Chromium/Chrome binary to use instead
# Exit codes: 0 ok (path printed); 1 install failed;
#             2 not installed and not root (run: sudo apt-get install chromium).
set -euo pipefail

log() { printf '==> %s\n' "$*" >&2; }

DEFAULT=/usr/bin/chromium

if [ -n "${CCHC_CHROMIUM:-}" ]; then
    if [ -x "$CCHC_CHROMIUM" ] && [ ! -d "$CCHC_CHROMIUM" ]; then
        log "using \$CCHC_CHROMIUM ($CCHC_CHROMIUM)"
        printf '%s\n' "$CCHC_CHROMIUM"
        exit 0
    fi
    log "\$CCHC_CHROMIUM=$CCHC_CHROMIUM is not an executable file; ignoring it"
fi

if [ -x "$DEFAULT" ]; then
    log "using $DEFAULT"
    printf '%s\n' "$DEFAULT"
    exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
    printf '==> ERROR: Chromium not found: run "sudo apt-get install chromium" (or set CCHC_CHROMIUM=/path/to/chromium)\n' >&2
    exit 2
fi

log "Chromium not installed: apt-get update && apt-get install -y chromium (Debian package)"
export DEBIAN_FRONTEND=noninteractive
apt-get update >&2 || { printf '==> ERROR: apt-get update failed\n' >&2; exit 1; }
apt-get install -y chromium >&2 || { printf '==> ERROR: apt-get install chromium failed\n' >&2; exit 1; }

if [ ! -x "$DEFAULT" ]; then
    printf '==> ERROR: package chromium installed but %s is missing\n' "$DEFAULT" >&2
    exit 1
fi
log "installed $("$DEFAULT" --version 2>/dev/null || echo chromium)"
printf '%s\n' "$DEFAULT"
