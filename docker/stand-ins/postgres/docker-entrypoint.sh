#!/usr/bin/env bash
# postgres:15 stand-in entrypoint: initdb on an empty PGDATA (POSTGRES_USER/PASSWORD/DB, POSTGRES_HOST_AUTH_METHOD,
# /docker-entrypoint-initdb.d/*.sql|*.sh), then the server with the given arguments (`-c key=value` ...).
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then set -- postgres "$@"; fi
if [ "$1" != 'postgres' ]; then exec "$@"; fi

if [ "$(id -u)" = '0' ]; then
  mkdir -p "$PGDATA" /var/run/postgresql
  chown postgres:postgres "$PGDATA" /var/run/postgresql
  chmod 700 "$PGDATA"
  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
fi

initialize() {
  local user=${POSTGRES_USER:-postgres} db=${POSTGRES_DB:-${POSTGRES_USER:-postgres}}
  local method=${POSTGRES_HOST_AUTH_METHOD:-}
  if [ -z "${POSTGRES_PASSWORD:-}" ] && [ "$method" != 'trust' ]; then
    echo 'Error: Database is uninitialized and superuser password is not specified.' >&2
    echo '       Set POSTGRES_PASSWORD, or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without one.' >&2
    exit 1
  fi
  method=${method:-scram-sha-256}
  local pwfile; pwfile=$(mktemp)
  printf '%s\n' "${POSTGRES_PASSWORD:-}" >"$pwfile"
  local pw=()
  if [ -n "${POSTGRES_PASSWORD:-}" ]; then pw=(--pwfile="$pwfile"); fi
  initdb --username="$user" "${pw[@]}" --auth-local=trust --auth-host="$method" --encoding=UTF8 --locale=C.UTF-8 \
    ${POSTGRES_INITDB_ARGS:-}
  rm -f "$pwfile"
  printf '\nlisten_addresses = '"'"'*'"'"'\n' >>"$PGDATA/postgresql.conf"
  printf 'host all all all %s\n' "$method" >>"$PGDATA/pg_hba.conf"

  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
  local psql=(psql -v ON_ERROR_STOP=1 --username "$user" --no-password --dbname postgres)
  if [ "$db" != 'postgres' ]; then
    "${psql[@]}" --set db="$db" <<<'CREATE DATABASE :"db";'
  fi
  local f
  for f in /docker-entrypoint-initdb.d/*; do
    case "$f" in
      *.sh) echo "running $f"; . "$f" ;;
      *.sql) echo "running $f"; "${psql[@]}" --dbname "$db" -f "$f" ;;
      *) ;;
    esac
  done
  pg_ctl -D "$PGDATA" -m fast -w stop
  echo 'PostgreSQL init process complete; ready for start up.'
}

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  shopt -s nullglob
  initialize
fi
exec "$@"
