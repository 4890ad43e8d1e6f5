#!/usr/bin/env bash
# stop-postgres.sh [--purge] — stop the throw-away PostgreSQL cluster started by
# scripts/ensure-postgres.sh, if it is running.  Never touches any other server
# (only `pg_ctl -D <throw-away data dir>` is used).
#   --purge            also delete the cluster's data directory
#   CCHC_DATA_DIR      same meaning as for ensure-postgres.sh (default $PWD/.data)
# Exit codes: 0 stopped / nothing to do; 1 failure.
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/_pgtest-common.sh
. "$SCRIPT_DIR/_pgtest-common.sh"

PURGE=0
for arg in "$@"; do
    case "$arg" in
        --purge) PURGE=1 ;;
        -h|--help) sed -n '2,8p' "$0"; exit 0 ;;
        *) die "unknown argument: $arg" ;;
    esac
done

if [ -d "$PGTEST_DATA_DIR" ] && command -v flock >/dev/null 2>&1; then
    exec 9>"$PGTEST_DATA_DIR/.pgtest.lock"
    flock -w 300 9 || die "timed out waiting for $PGTEST_DATA_DIR/.pgtest.lock"
fi

PGDATA_DIR=$(pgtest_pgdata)
PGTEST_USER=""

if [ -n "$PGDATA_DIR" ] && [ -f "$PGDATA_DIR/PG_VERSION" ]; then
    if is_root; then
        PGTEST_USER=$(stat -c %U "$PGDATA_DIR")
        [ "$PGTEST_USER" != root ] || PGTEST_USER=""
    fi
    ver=$(cat "$PGDATA_DIR/PG_VERSION")
    if BINDIR=$(pg_bindir "$ver"); then
        if as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 9>&-; then
            log "stopping throw-away cluster $PGDATA_DIR"
            as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w -t 60 stop >&2 9>&-
        else
            log "throw-away cluster $PGDATA_DIR is not running"
        fi
    else
        # Binaries gone: stop the postmaster by its pid file (fast shutdown).
        pid=$(sed -n 1p "$PGDATA_DIR/postmaster.pid" 2>/dev/null || true)
        if [ -n "$pid" ] && [ "$(readlink -f "/proc/$pid/cwd" 2>/dev/null || true)" = "$PGDATA_DIR" ]; then
            log "stopping throw-away cluster $PGDATA_DIR (pid $pid)"
            kill -INT "$pid"
            for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
        else
            log "throw-away cluster $PGDATA_DIR is not running"
        fi
    fi
else
    log "no throw-away cluster in $PGTEST_LINK"
fi

if [ "$PURGE" -eq 1 ]; then
    if [ -n "$PGDATA_DIR" ] && [ "$PGDATA_DIR" != "$PGTEST_LINK" ]; then rm -rf -- "$PGDATA_DIR"; fi
    if [ -e "$PGTEST_LINK" ] || [ -L "$PGTEST_LINK" ]; then
        log "deleting $PGTEST_LINK"
        rm -rf -- "$PGTEST_LINK"
    fi
fi
