# shellcheck shell=bash
# Shared helpers for ensure-postgres.sh and stop-postgres.sh (sourced, not run).
#
# The throw-away cluster lives in "$CCHC_DATA_DIR/pgtest" (default ./.data/pgtest,
# relative to the directory the script is started from).  When the script runs
# as root, the server runs as the `postgres` system user (or `cchc-pg`, created
# if needed).  If that user cannot reach the data directory (e.g. the checkout
# lives under /root), the cluster is placed in /tmp and "$DATA_DIR/pgtest" is a
# symlink to it.

log() { printf '==> %s\n' "$*" >&2; }
die() { printf '==> ERROR: %s\n' "$1" >&2; exit "${2:-1}"; }

PGTEST_DATA_DIR="${CCHC_DATA_DIR:-$PWD/.data}"
case "$PGTEST_DATA_DIR" in /*) ;; *) PGTEST_DATA_DIR="$PWD/$PGTEST_DATA_DIR" ;; esac
PGTEST_LINK="$PGTEST_DATA_DIR/pgtest"

is_root() { [ "$(id -u)" -eq 0 ]; }

# Newest PostgreSQL bin dir that has an initdb, or a specific major version ($1).
pg_bindir() {
    local want="${1:-}" d
    if [ -n "$want" ]; then
        [ -x "/usr/lib/postgresql/$want/bin/initdb" ] && { echo "/usr/lib/postgresql/$want/bin"; return 0; }
        return 1
    fi
    d=$(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
    if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return 0; fi
    if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
        dirname "$(command -v initdb)"; return 0
    fi
    return 1
}

# Run a command as the user owning the cluster ($PGTEST_USER; empty = current user).
as_pg() {
    if [ -n "${PGTEST_USER:-}" ]; then
        (cd / && runuser -u "$PGTEST_USER" -- "$@")
    else
        "$@"
    fi
}

# Resolved real data directory of the cluster (follows the /tmp symlink), or empty.
pgtest_pgdata() {
    if [ -L "$PGTEST_LINK" ]; then
        readlink -f "$PGTEST_LINK" 2>/dev/null || true
    elif [ -d "$PGTEST_LINK" ]; then
        echo "$PGTEST_LINK"
    fi
}

# Port of a running postmaster (4th line of postmaster.pid).
pgtest_port() { sed -n 4p "$1/postmaster.pid" 2>/dev/null || true; }
