#!/usr/bin/env bash
# Start/stop a throwaway PostgreSQL cluster and Redis on loopback, non-default ports.
#   bash .ci/services.sh start   -> writes $SERVICES_ROOT/services.env (DATABASE_URL, REDIS_URL, ...)
#   bash .ci/services.sh stop
# Needs the Debian packages postgresql and redis-server (see .ci/install-system.sh).
set -euo pipefail
SERVICES_ROOT=${SERVICES_ROOT:-/tmp/motcua-services}
PGPORT=${PGPORT:-54329}
REDIS_PORT=${REDIS_PORT:-63799}
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PG_ROOT=$SERVICES_ROOT/pg

as_postgres() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }

start() {
  mkdir -p "$SERVICES_ROOT"
  if "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
    echo "postgres already answers on $PGPORT"
  else
    if [ "$(id -u)" = 0 ]; then install -d -o postgres -g postgres -m 700 "$PG_ROOT"; else install -d -m 700 "$PG_ROOT"; fi
    if [ ! -s "$PG_ROOT/data/PG_VERSION" ]; then
      as_postgres "$PGBIN/initdb -D $PG_ROOT/data -U postgres -E UTF8 --locale=C.UTF-8 --auth-local=trust --auth-host=scram-sha-256" >/dev/null
    fi
    as_postgres "$PGBIN/pg_ctl -D $PG_ROOT/data -l $PG_ROOT/server.log -w -t 60 start -o \"-p $PGPORT -c listen_addresses=127.0.0.1 -c unix_socket_directories=$PG_ROOT -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\"" >/dev/null
  fi
  for _ in $(seq 1 60); do "$PGBIN/pg_isready" -q -h 127.0.0.1 -p "$PGPORT" && break; sleep 0.5; done
  "$PGBIN/pg_isready" -h 127.0.0.1 -p "$PGPORT"
  as_postgres "$PGBIN/psql -v ON_ERROR_STOP=1 -qAt -h $PG_ROOT -p $PGPORT -U postgres -d postgres" <<'SQL'
SELECT 'CREATE ROLE motcua LOGIN CREATEDB PASSWORD ''motcua''' WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname='motcua')\gexec
SELECT 'CREATE DATABASE motcua OWNER motcua' WHERE NOT EXISTS (SELECT 1 FROM pg_database WHERE datname='motcua')\gexec
SQL

  if redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG; then
    echo "redis already answers on $REDIS_PORT"
  else
    mkdir -p "$SERVICES_ROOT/redis"
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes --save '' --appendonly no \
      --dir "$SERVICES_ROOT/redis" --pidfile "$SERVICES_ROOT/redis/redis.pid" --logfile "$SERVICES_ROOT/redis/redis.log"
  fi
  for _ in $(seq 1 50); do redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping 2>/dev/null | grep -q PONG && break; sleep 0.1; done
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping | grep -q PONG

  cat >"$SERVICES_ROOT/services.env" <<ENV
export DATABASE_URL=postgres://motcua:motcua@127.0.0.1:$PGPORT/motcua
export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/0
export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/1
export CELERY_RESULT_BACKEND=redis://127.0.0.1:$REDIS_PORT/2
ENV
  echo "services ready: source $SERVICES_ROOT/services.env"
}

stop() {
  if [ -f "$PG_ROOT/data/postmaster.pid" ]; then
    as_postgres "$PGBIN/pg_ctl -D $PG_ROOT/data -m fast -w stop" >/dev/null || true
  fi
  if [ -f "$SERVICES_ROOT/redis/redis.pid" ]; then
    redis-cli -h 127.0.0.1 -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 \
      || kill "$(cat "$SERVICES_ROOT/redis/redis.pid")" 2>/dev/null || true
  fi
  rm -rf "$PG_ROOT" "$SERVICES_ROOT/redis" "$SERVICES_ROOT/services.env"
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
