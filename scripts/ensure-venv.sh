#!/usr/bin/env bash
# ensure-venv.sh — make sure the project virtualenv .venv exists and has the
# project installed (pip install -e '.[dev]').
#
# Runs from the repository root (the parent of scripts/), wherever it is called
# from.  Creates .venv with python3.11, or python3 if it is >= 3.11 (an existing
# .venv whose interpreter is broken or older than 3.11 is recreated).  Runs
# `.venv/bin/python -m pip install -e '.[dev]'` only when pyproject.toml is
# newer than the stamp file .venv/.installed (or it is missing), then touches
# the stamp.  Progress lines ("==> ...") and pip's output go to stderr; the last
# (and only) stdout line is the venv's interpreter:  PYTHON=$(scripts/ensure-venv.sh)
#
# Environment:
#   CCHC_PYTHON=/path/python3.x   interpreter to create .venv with (must be >= 3.11)
#   CCHC_FORCE_INSTALL=1          run pip install even if the stamp is up to date
# Exit codes: 0 ok; 1 failure (no suitable Python, no pyproject.toml, pip failed).
set -euo pipefail

log() { printf '==> %s\n' "$*" >&2; }
die() { printf '==> ERROR: %s\n' "$1" >&2; exit 1; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$ROOT"

VENV=.venv
STAMP="$VENV/.installed"

py_ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' >/dev/null 2>&1; }

find_python() {
    local c
    if [ -n "${CCHC_PYTHON:-}" ]; then
        py_ok "$CCHC_PYTHON" || die "CCHC_PYTHON=$CCHC_PYTHON is not a working Python >= 3.11"
        echo "$CCHC_PYTHON"; return 0
    fi
    for c in python3.11 python3; do
        if command -v "$c" >/dev/null 2>&1 && py_ok "$c"; then
            command -v "$c"; return 0
        fi
    done
    die "Python >= 3.11 not found: install python3.11 (Debian 12: apt-get install python3 python3-venv) or set CCHC_PYTHON"
}

[ -f pyproject.toml ] || die "no pyproject.toml in $ROOT"

# 1. The virtualenv.
if [ -e "$VENV" ] && ! py_ok "$VENV/bin/python"; then
    log "$ROOT/$VENV is broken or older than Python 3.11: recreating it"
    rm -rf -- "$VENV"
fi
if [ ! -e "$VENV" ]; then
    PY=$(find_python)
    # Debian's own python3 needs python3-venv for `-m venv` (ensurepip).
    if ! "$PY" -c 'import venv, ensurepip' >/dev/null 2>&1; then
        if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
            ver=$("$PY" -c 'import sys; print("%d.%d" % sys.version_info[:2])')
            log "$PY lacks venv/ensurepip: apt-get install python$ver-venv"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update >&2
            apt-get install -y "python$ver-venv" >&2
        else
            die "$PY cannot create virtualenvs: install python3-venv (apt-get install python3-venv)"
        fi
    fi
    log "creating $ROOT/$VENV with $PY ($("$PY" --version 2>&1))"
    "$PY" -m venv "$VENV" >&2
    rm -f -- "$STAMP"
else
    log "$ROOT/$VENV exists ($("$VENV/bin/python" --version 2>&1))"
fi

# 2. The project and its dev dependencies.
if [ "${CCHC_FORCE_INSTALL:-}" = 1 ] || [ ! -f "$STAMP" ] || [ pyproject.toml -nt "$STAMP" ]; then
    log "installing: $VENV/bin/pip install -e '.[dev]'"
    PIP_DISABLE_PIP_VERSION_CHECK=1 "$VENV/bin/python" -m pip install -e '.[dev]' >&2
    touch "$STAMP"
    log "installed (stamp $VENV/.installed updated)"
else
    log "dependencies up to date (pyproject.toml is not newer than $STAMP)"
fi

printf '%s\n' "$ROOT/$VENV/bin/python"
