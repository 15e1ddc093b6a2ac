#!/usr/bin/env bash
# Start a throw-away PostgreSQL cluster on 127.0.0.1:${QJ_PG_PORT:-54329} and print its DATABASE_URL.
# Usage: scripts/pg.sh start | stop
set -euo pipefail

port="${QJ_PG_PORT:-54329}"
dir="${QJ_PG_DIR:-/tmp/qijian-pg-$port}"
bin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)"
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }

case "${1:-start}" in
  start)
    if ! as_pg "$bin/pg_ctl" -D "$dir" status >/dev/null 2>&1; then
      rm -rf "$dir"
      mkdir -p "$dir"
      [ "$(id -u)" = 0 ] && chown postgres:postgres "$dir"
      as_pg "$bin/initdb" -D "$dir" -U qijian --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null
      as_pg "$bin/pg_ctl" -D "$dir" -l "$dir/server.log" -w \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
        start >/dev/null
    fi
    echo "postgres://qijian@127.0.0.1:$port/postgres"
    ;;
  stop)
    as_pg "$bin/pg_ctl" -D "$dir" -m fast stop >/dev/null 2>&1 || true
    ;;
esac
