#!/usr/bin/env bash
# A local PostgreSQL server from Debian's packages, for the tests or for running the hub.
#
#   scripts/postgres.sh tests   start the server, make a test role, write the URL the tests
#                               use to .pytest-postgres-url (make test calls this)
#   scripts/postgres.sh hub     start the server, make a role and database `ftfhub`, print
#                               `export FTFHUB_DATABASE_URL=…` (so: eval "$(make -s postgres)")
#
# Installs the server if it is missing (as root) and starts the cluster; already running,
# nothing to do. For the tests, FTFHUB_TEST_POSTGRES_URL names a server of your own instead.
set -euo pipefail
cd "$(dirname "$0")/.."
mode=${1:-tests}
if [ "$mode" = tests ] && [ -n "${FTFHUB_TEST_POSTGRES_URL:-}" ]; then
    echo "$FTFHUB_TEST_POSTGRES_URL" > .pytest-postgres-url
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "scripts/postgres.sh: not root; start a PostgreSQL server yourself and set" \
         "FTFHUB_TEST_POSTGRES_URL (tests) or FTFHUB_DATABASE_URL (hub) to" \
         "postgresql+psycopg://USER:PASSWORD@HOST/DBNAME" >&2
    exit 1
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    pg_ctlcluster "$version" main start >&2
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
done
as_postgres() { runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 "$@"; }
case "$mode" in
tests)
    as_postgres <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ftfhub_test') THEN
        CREATE ROLE ftfhub_test LOGIN SUPERUSER PASSWORD 'ftfhub_test';
    END IF;
END
$$;
SQL
    echo "postgresql+psycopg://ftfhub_test:ftfhub_test@127.0.0.1:$port/postgres" \
        > .pytest-postgres-url
    ;;
hub)
    as_postgres <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ftfhub') THEN
        CREATE ROLE ftfhub LOGIN PASSWORD 'ftfhub';
    END IF;
END
$$;
SQL
    if ! as_postgres -tAc "SELECT 1 FROM pg_database WHERE datname = 'ftfhub'" | grep -q 1; then
        as_postgres -c "CREATE DATABASE ftfhub OWNER ftfhub" >&2
    fi
    echo "export FTFHUB_DATABASE_URL=postgresql+psycopg://ftfhub:ftfhub@127.0.0.1:$port/ftfhub"
    ;;
*)
    echo "usage: scripts/postgres.sh tests|hub" >&2
    exit 2
    ;;
esac
