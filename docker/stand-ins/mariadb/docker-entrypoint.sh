#!/usr/bin/env bash
# mariadb:10.11 stand-in entrypoint: on an empty /var/lib/mysql, creates the system tables, root (MARIADB_ROOT_PASSWORD
# or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD; MYSQL_* spellings too), MARIADB_DATABASE and MARIADB_USER/PASSWORD with all
# rights on it, runs /docker-entrypoint-initdb.d/*.sql; then mariadbd with the given arguments (--log-bin ...).
set -Eeuo pipefail

if [ "${1:0:1}" = '-' ]; then set -- mariadbd "$@"; fi
if [ "$1" != 'mariadbd' ] && [ "$1" != 'mysqld' ]; then exec "$@"; fi

if [ "$(id -u)" = '0' ]; then
  chown mysql:mysql /var/lib/mysql /run/mysqld
  exec setpriv --reuid=mysql --regid=mysql --init-groups "$0" "$@"
fi

for name in ROOT_PASSWORD ALLOW_EMPTY_ROOT_PASSWORD DATABASE USER PASSWORD; do
  mariadb_var=MARIADB_$name mysql_var=MYSQL_$name
  [ -n "${!mariadb_var:-}" ] || export "$mariadb_var=${!mysql_var:-}"
done
[ -n "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ] || MARIADB_ALLOW_EMPTY_ROOT_PASSWORD=${MYSQL_ALLOW_EMPTY_PASSWORD:-}

sql_string() { local s=${1//\\/\\\\}; printf "'%s'" "${s//\'/\\\'}"; }

initialize() {
  if [ -z "$MARIADB_ROOT_PASSWORD" ] && [ -z "$MARIADB_ALLOW_EMPTY_ROOT_PASSWORD" ]; then
    echo 'error: database is uninitialized and password option is not specified' >&2
    echo '  You need to specify one of MARIADB_ROOT_PASSWORD or MARIADB_ALLOW_EMPTY_ROOT_PASSWORD' >&2
    exit 1
  fi
  mariadb-install-db --user=mysql --datadir=/var/lib/mysql --skip-test-db --auth-root-authentication-method=normal \
    --skip-name-resolve >/dev/null
  local socket=/run/mysqld/init.sock
  "$@" --skip-networking --socket="$socket" --skip-log-bin &
  local pid=$! i
  for i in $(seq 1 60); do mariadb --socket="$socket" -uroot -e 'SELECT 1' >/dev/null 2>&1 && break; sleep 1; done
  local pw; pw=$(sql_string "$MARIADB_ROOT_PASSWORD")
  {
    echo "SET @@SESSION.SQL_LOG_BIN=0;"
    echo "DELETE FROM mysql.user WHERE user = '';"
    echo "ALTER USER 'root'@'localhost' IDENTIFIED BY $pw;"
    echo "CREATE USER 'root'@'%' IDENTIFIED BY $pw; GRANT ALL ON *.* TO 'root'@'%' WITH GRANT OPTION;"
    if [ -n "$MARIADB_DATABASE" ]; then echo "CREATE DATABASE IF NOT EXISTS \`$MARIADB_DATABASE\`;"; fi
    if [ -n "$MARIADB_USER" ]; then
      echo "CREATE USER '$MARIADB_USER'@'%' IDENTIFIED BY $(sql_string "$MARIADB_PASSWORD");"
      if [ -n "$MARIADB_DATABASE" ]; then echo "GRANT ALL ON \`$MARIADB_DATABASE\`.* TO '$MARIADB_USER'@'%';"; fi
    fi
    echo "FLUSH PRIVILEGES;"
  } | mariadb --socket="$socket" -uroot
  local f
  for f in /docker-entrypoint-initdb.d/*.sql; do
    [ -e "$f" ] || continue
    echo "running $f"; mariadb --socket="$socket" -uroot -p"$MARIADB_ROOT_PASSWORD" ${MARIADB_DATABASE:+"$MARIADB_DATABASE"} <"$f"
  done
  kill "$pid"; wait "$pid" || true
  echo 'MariaDB init process done. Ready for start up.'
}

if [ ! -d /var/lib/mysql/mysql ]; then initialize "$@"; fi
exec "$@"
