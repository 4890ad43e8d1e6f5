#!/usr/bin/env bash
# start-replica.sh — a scratch PostgreSQL primary and a streaming replica of it, for the test of
# the database router and for `make bench` (docs/scaling.md). Idempotent: what exists and runs is
# reused; what is missing is made. Nothing touches the machine's own server (127.0.0.1:5432).
#
#   scripts/start-replica.sh          start (or reuse); prints two lines on stdout:
#                                       PRIMARY_URL=postgres://postgres@127.0.0.1:5441/postgres
#                                       REPLICA_URL=postgres://postgres@127.0.0.1:5442/postgres
#   scripts/start-replica.sh --stop   stop both servers (the directory stays)
#   scripts/start-replica.sh --purge  stop both and delete the directory
#
# The primary is made by initdb (trust auth on 127.0.0.1 only, fsync off: data is disposable),
# the replica by `pg_basebackup -R` from it (standby.signal + primary_conninfo), then both are
# started with pg_ctl. Progress goes to stderr. As root the servers run as the `postgres` user.
#
# Environment: CCHC_REPLICA_DIR (default /tmp/cchc-replica), CCHC_REPLICA_PRIMARY_PORT (5441),
# CCHC_REPLICA_PORT (5442), PG_BIN (the newest /usr/lib/postgresql/*/bin).
# Exit codes: 0 ok; 1 failure; 2 PostgreSQL's server binaries are not installed.
set -euo pipefail

DIR=${CCHC_REPLICA_DIR:-/tmp/cchc-replica}
PPORT=${CCHC_REPLICA_PRIMARY_PORT:-5441}
RPORT=${CCHC_REPLICA_PORT:-5442}
PG_BIN=${PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)}
if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/initdb" ]; then
    echo "start-replica: không tìm thấy initdb của PostgreSQL (/usr/lib/postgresql/*/bin); đặt PG_BIN" >&2
    exit 2
fi

as_pg() {
    if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
running() { as_pg "$PG_BIN/pg_ctl" -D "$1" status >/dev/null 2>&1; }
stop() { if [ -f "$1/PG_VERSION" ] && running "$1"; then as_pg "$PG_BIN/pg_ctl" -D "$1" -m fast -w stop >&2; fi; }

case "${1:-}" in
    --stop) stop "$DIR/replica"; stop "$DIR/primary"; exit 0 ;;
    --purge) stop "$DIR/replica"; stop "$DIR/primary"; rm -rf "$DIR"; exit 0 ;;
    "") ;;
    *) echo "start-replica: tham số không hợp lệ: $1 (dùng --stop hoặc --purge)" >&2; exit 1 ;;
esac

mkdir -p "$DIR"
[ "$(id -u)" = 0 ] && chown postgres:postgres "$DIR"
chmod 700 "$DIR"

if [ ! -f "$DIR/primary/PG_VERSION" ]; then
    echo "==> Máy chủ chính tạm ($DIR/primary, cổng $PPORT)" >&2
    rm -rf "$DIR/primary"
    as_pg "$PG_BIN/initdb" -D "$DIR/primary" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >>"$DIR/primary/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PPORT
unix_socket_directories = '$DIR'
wal_level = replica
max_wal_senders = 4
hot_standby = on
fsync = off
synchronous_commit = off
full_page_writes = off
shared_buffers = 32MB
max_connections = 50
CONF
    echo "host replication all 127.0.0.1/32 trust" >>"$DIR/primary/pg_hba.conf"
fi
if ! running "$DIR/primary"; then
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/primary" -l "$DIR/primary.log" -w start >/dev/null
fi

if [ ! -f "$DIR/replica/standby.signal" ]; then
    echo "==> Bản sao (pg_basebackup -R, cổng $RPORT)" >&2
    rm -rf "$DIR/replica"
    as_pg "$PG_BIN/pg_basebackup" -h 127.0.0.1 -p "$PPORT" -U postgres -D "$DIR/replica" -R -X stream
    echo "port = $RPORT" >>"$DIR/replica/postgresql.auto.conf"
fi
if ! running "$DIR/replica"; then
    as_pg "$PG_BIN/pg_ctl" -D "$DIR/replica" -l "$DIR/replica.log" -w start >/dev/null
fi

# the replica answers, and is one
for _ in $(seq 1 50); do
    if as_pg "$PG_BIN/psql" -h 127.0.0.1 -p "$RPORT" -U postgres -Atc "SELECT pg_is_in_recovery()" 2>/dev/null | grep -qx t; then
        echo "PRIMARY_URL=postgres://postgres@127.0.0.1:$PPORT/postgres"
        echo "REPLICA_URL=postgres://postgres@127.0.0.1:$RPORT/postgres"
        exit 0
    fi
    sleep 0.2
done
echo "start-replica: bản sao không sẵn sàng (xem $DIR/replica.log)" >&2
exit 1
