#!/usr/bin/env bash
# ensure-postgres.sh — make sure a PostgreSQL server is available for the tests.
#
# Prints progress lines ("==> ...") on stderr and, as the LAST (and only) line
# on stdout, a DATABASE_URL whose role may create databases (the Django test
# runner creates test_<name> databases), e.g.
#     DATABASE_URL=$(scripts/ensure-postgres.sh)
#
# Order of preference:
#   a) $CCHC_TEST_DATABASE_URL, if set, is printed as is (nothing is checked).
#   b) A server on 127.0.0.1:5432 that accepts user `postgres` without a
#      password and whose role is superuser or has CREATEDB.  Checked with psql
#      if present, else with "$PYTHON -c 'import psycopg ...'" (psycopg 3, or
#      psycopg2).  Skipped when CCHC_PG_SKIP_SYSTEM=1.
#   c) A throw-away cluster in ${CCHC_DATA_DIR:-$PWD/.data}/pgtest: trust auth,
#      listening on 127.0.0.1:<port> (first free port from 55432) and on a unix
#      socket inside its data directory; fsync off (data is disposable).  Uses
#      /usr/lib/postgresql/*/bin/initdb (newest); when missing and running as
#      root, installs Debian's `postgresql` package with apt-get.  As root the
#      server runs as the `postgres` system user (or `cchc-pg`, created if
#      needed).  An already running throw-away cluster is reused.
#      Stop it with scripts/stop-postgres.sh (add --purge to delete it).
#
# Environment:
#   CCHC_TEST_DATABASE_URL  use this URL, skip everything else
#   CCHC_PG_SKIP_SYSTEM=1   do not use a server on 127.0.0.1:5432 (step b)
#   CCHC_DATA_DIR           parent of the throw-away cluster (default $PWD/.data)
#   CCHC_PG_PORT            first port tried for the throw-away cluster (55432)
#   PYTHON                  interpreter used for the psycopg check when there is
#                           no psql (default python3; pass .venv/bin/python)
#
# Exit codes: 0 ok (URL printed); 1 failure (message on stderr);
#             2 PostgreSQL is not installed and we are not root (install it:
#               apt-get install postgresql, or set CCHC_TEST_DATABASE_URL).
set -euo pipefail

SCRIPT_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=scripts/_pgtest-common.sh
. "$SCRIPT_DIR/_pgtest-common.sh"

PYTHON="${PYTHON:-python3}"
START_PORT="${CCHC_PG_PORT:-55432}"

# ---------------------------------------------------------------- (a) given URL
if [ -n "${CCHC_TEST_DATABASE_URL:-}" ]; then
    log "using \$CCHC_TEST_DATABASE_URL"
    printf '%s\n' "$CCHC_TEST_DATABASE_URL"
    exit 0
fi

# check_server HOST PORT [BINDIR]: 0 when user postgres can log in without a
# password and may create databases; 1 when not; 2 when no client is available.
check_server() {
    local host=$1 port=$2 bindir=${3:-} psql="" out
    local sql="select rolsuper or rolcreatedb from pg_roles where rolname = current_user"
    if command -v psql >/dev/null 2>&1; then
        psql=psql
    elif [ -n "$bindir" ] && [ -x "$bindir/psql" ]; then
        psql="$bindir/psql"
    fi
    if [ -n "$psql" ]; then
        out=$(env -u PGPASSWORD -u PGSERVICE -u PGOPTIONS PGCONNECT_TIMEOUT=3 \
              "$psql" -w -X -q -tA -h "$host" -p "$port" -U postgres -d postgres \
              -c "$sql" </dev/null 2>/dev/null) || return 1
    elif "$PYTHON" -c 'import psycopg' >/dev/null 2>&1 || "$PYTHON" -c 'import psycopg2' >/dev/null 2>&1; then
        out=$(env -u PGPASSWORD -u PGSERVICE -u PGOPTIONS "$PYTHON" - "$host" "$port" "$sql" <<'PY' 2>/dev/null
import sys
host, port, sql = sys.argv[1:4]
try:
    import psycopg
except ImportError:
    import psycopg2 as psycopg
conn = psycopg.connect(host=host, port=int(port), user="postgres", dbname="postgres", connect_timeout=3)
cur = conn.cursor()
cur.execute(sql)
print("t" if cur.fetchone()[0] else "f")
conn.close()
PY
        ) || return 1
    else
        return 2
    fi
    [ "$out" = t ]
}

# port_in_use PORT: something accepts TCP connections on 127.0.0.1:PORT.
port_in_use() {
    if command -v timeout >/dev/null 2>&1; then
        timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null
    else
        (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
    fi
}

free_port_from() {
    local p=$1
    while port_in_use "$p"; do
        p=$((p + 1))
        [ "$p" -le 65535 ] || die "no free TCP port found from $1"
    done
    echo "$p"
}

url_for() { printf 'postgres://postgres@127.0.0.1:%s/postgres\n' "$1"; }

# ---------------------------------------------------------- (b) system server
case "${CCHC_PG_SKIP_SYSTEM:-}" in
    1|true|yes) log "CCHC_PG_SKIP_SYSTEM set: not looking at 127.0.0.1:5432" ;;
    *)
        log "checking for a PostgreSQL server on 127.0.0.1:5432 (user postgres, no password)"
        rc=0; check_server 127.0.0.1 5432 || rc=$?
        if [ "$rc" -eq 0 ]; then
            log "using the server on 127.0.0.1:5432"
            url_for 5432
            exit 0
        elif [ "$rc" -eq 2 ]; then
            log "no psql and no psycopg in $PYTHON to check it; using a throw-away cluster"
        else
            log "no usable server there; using a throw-away cluster"
        fi
        ;;
esac

# ------------------------------------------------------ (c) throw-away cluster
mkdir -p "$PGTEST_DATA_DIR"
if command -v flock >/dev/null 2>&1; then
    exec 9>"$PGTEST_DATA_DIR/.pgtest.lock"
    flock -w 300 9 || die "timed out waiting for $PGTEST_DATA_DIR/.pgtest.lock"
fi

if is_root; then
    command -v runuser >/dev/null 2>&1 || die "runuser (util-linux) is needed to run PostgreSQL as a non-root user"
fi

PGDATA_DIR=$(pgtest_pgdata)
BINDIR=""
PGTEST_USER=""

wipe_cluster() {
    log "removing unusable throw-away cluster ${PGDATA_DIR:-$PGTEST_LINK}"
    if [ -n "$PGDATA_DIR" ] && [ "$PGDATA_DIR" != "$PGTEST_LINK" ]; then rm -rf -- "$PGDATA_DIR"; fi
    rm -rf -- "$PGTEST_LINK"
    PGDATA_DIR=""
}

# An existing cluster: find matching binaries and its owner.
if [ -n "$PGDATA_DIR" ]; then
    if [ -f "$PGDATA_DIR/PG_VERSION" ]; then
        ver=$(cat "$PGDATA_DIR/PG_VERSION")
        if BINDIR=$(pg_bindir "$ver"); then
            if is_root; then
                PGTEST_USER=$(stat -c %U "$PGDATA_DIR")
                [ "$PGTEST_USER" != root ] || { BINDIR=""; PGTEST_USER=""; wipe_cluster; }
            fi
        else
            log "throw-away cluster is PostgreSQL $ver, whose binaries are not installed"
            BINDIR=""; wipe_cluster
        fi
    else
        wipe_cluster
    fi
fi

# Reuse a running cluster.
if [ -n "$PGDATA_DIR" ] && as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" status >/dev/null 2>&1 9>&-; then
    port=$(pgtest_port "$PGDATA_DIR")
    if [ -n "$port" ] && check_server 127.0.0.1 "$port" "$BINDIR"; then
        log "reusing running throw-away cluster $PGDATA_DIR on 127.0.0.1:$port"
        url_for "$port"
        exit 0
    fi
    log "throw-away cluster is running but not answering on 127.0.0.1:${port:-?}; restarting it"
    as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m immediate -w -t 10 stop >&2 9>&- || true
fi

# Binaries.
if [ -z "$BINDIR" ]; then
    if ! BINDIR=$(pg_bindir); then
        if is_root; then
            log "PostgreSQL server not installed: apt-get install postgresql"
            export DEBIAN_FRONTEND=noninteractive
            apt-get update >&2
            apt-get install -y --no-install-recommends postgresql >&2
            BINDIR=$(pg_bindir) || die "apt-get installed postgresql but no /usr/lib/postgresql/*/bin/initdb was found"
        else
            die "PostgreSQL server not found: run 'sudo apt-get install postgresql' (or set CCHC_TEST_DATABASE_URL)" 2
        fi
    fi
fi

# Server user (root only; PostgreSQL refuses to run as root).
if is_root && [ -z "$PGTEST_USER" ]; then
    if id -u postgres >/dev/null 2>&1; then
        PGTEST_USER=postgres
    else
        if ! id -u cchc-pg >/dev/null 2>&1; then
            log "creating system user cchc-pg"
            useradd --system --user-group --no-create-home --home-dir /nonexistent \
                    --shell /usr/sbin/nologin cchc-pg
        fi
        PGTEST_USER=cchc-pg
    fi
fi

# Create the cluster.
if [ -z "$PGDATA_DIR" ]; then
    PGDATA_DIR="$PGTEST_LINK"
    # The server user must reach the directory, and the unix socket path must
    # stay short (< 108 bytes): otherwise put the cluster in /tmp, symlinked.
    if { [ -n "$PGTEST_USER" ] && ! runuser -u "$PGTEST_USER" -- test -x "$PGTEST_DATA_DIR" 2>/dev/null; } \
       || [ $(( ${#PGTEST_LINK} + 20 )) -gt 100 ]; then
        PGDATA_DIR=$(mktemp -d /tmp/cchc-pgtest.XXXXXX)
        ln -sfn "$PGDATA_DIR" "$PGTEST_LINK"
        log "data directory not reachable by ${PGTEST_USER:-$(id -un)} or path too long: cluster in $PGDATA_DIR ($PGTEST_LINK links to it)"
    fi
    mkdir -p "$PGDATA_DIR"
    chmod 700 "$PGDATA_DIR"
    [ -z "$PGTEST_USER" ] || chown "$PGTEST_USER:" "$PGDATA_DIR"
    log "initdb: throw-away cluster in $PGDATA_DIR ($("$BINDIR/postgres" --version 2>/dev/null || echo "$BINDIR"), run as ${PGTEST_USER:-$(id -un)})"
    as_pg "$BINDIR/initdb" -D "$PGDATA_DIR" -U postgres --auth=trust -E UTF8 --locale=C --no-sync >/dev/null 9>&-
    cat >>"$PGDATA_DIR/postgresql.conf" <<CONF

# --- throw-away test cluster written by scripts/ensure-postgres.sh ---
listen_addresses = '127.0.0.1'
unix_socket_directories = '$PGDATA_DIR'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 100
CONF
fi

# Start it on the first free port (retry a few ports in case of a race).
port=$START_PORT
for _ in 1 2 3 4 5; do
    port=$(free_port_from "$port")
    log "starting throw-away cluster $PGDATA_DIR on 127.0.0.1:$port"
    if as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -l "$PGDATA_DIR/server.log" -o "-p $port" -w -t 60 start >&2 9>&-; then
        if check_server 127.0.0.1 "$port" "$BINDIR"; then
            log "throw-away cluster ready"
            url_for "$port"
            exit 0
        fi
        log "started, but user postgres cannot connect on 127.0.0.1:$port"
        as_pg "$BINDIR/pg_ctl" -D "$PGDATA_DIR" -m fast -w stop >&2 9>&- || true
        break
    fi
    tail -n 5 "$PGDATA_DIR/server.log" >&2 2>/dev/null || true
    port=$((port + 1))
done
die "could not start the throw-away PostgreSQL cluster in $PGDATA_DIR (see $PGDATA_DIR/server.log)"
