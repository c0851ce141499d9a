#!/usr/bin/env bash
# Start or stop a throwaway PostgreSQL 15 server for the test suite.
# The server refuses to run as root, so it runs as the `postgres` user with a data directory it owns,
# listening only on 127.0.0.1. Usage: scripts/pg.sh start|stop|status
set -euo pipefail

PG_PORT="${CSC_PG_PORT:-55432}"
PG_DIR="${CSC_PG_DIR:-/tmp/csc-warehouse-pg-${PG_PORT}}"
PG_BIN="${CSC_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}"

as_postgres() {
    if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

ensure_binaries() {
    if [ -z "$PG_BIN" ] || [ ! -x "$PG_BIN/pg_ctl" ]; then
        echo "PostgreSQL server binaries not found; installing Debian's postgresql package" >&2
        apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
        PG_BIN="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
    fi
    id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
}

start() {
    ensure_binaries
    if as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status >/dev/null 2>&1; then
        echo "postgres already running on 127.0.0.1:$PG_PORT"; return 0
    fi
    rm -rf "$PG_DIR"
    mkdir -p "$PG_DIR"
    chown postgres "$PG_DIR" 2>/dev/null || true
    as_postgres "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
    as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w \
        -o "-c listen_addresses=127.0.0.1 -c port=$PG_PORT -c unix_socket_directories=$PG_DIR -c fsync=off" start >/dev/null
    echo "postgres started on 127.0.0.1:$PG_PORT (data in $PG_DIR)"
}

stop() {
    [ -n "$PG_BIN" ] || return 0
    if [ -d "$PG_DIR/data" ]; then
        as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m fast -w stop >/dev/null 2>&1 || true
        rm -rf "$PG_DIR"
    fi
    echo "postgres stopped"
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    status) as_postgres "$PG_BIN/pg_ctl" -D "$PG_DIR/data" status ;;
    *) echo "usage: $0 start|stop|status" >&2; exit 2 ;;
esac
