#!/usr/bin/env bash
# A PostgreSQL server for the tests that need a multi-user database, from Debian's packages.
#
# Installs the server if it is missing (as root), starts the cluster, makes a test role, and
# writes the URL the tests use to .pytest-postgres-url. Already running: nothing to do. Set
# FTFHUB_TEST_POSTGRES_URL to use a server of your own instead (the tests then create and drop
# their own databases on it).
set -euo pipefail
cd "$(dirname "$0")/.."
url_file=.pytest-postgres-url
if [ -n "${FTFHUB_TEST_POSTGRES_URL:-}" ]; then
    echo "$FTFHUB_TEST_POSTGRES_URL" > "$url_file"
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "postgres-for-tests: not root; start a PostgreSQL server yourself and set" \
         "FTFHUB_TEST_POSTGRES_URL=postgresql+psycopg://USER:PASSWORD@HOST/postgres" >&2
    exit 1
fi
if ! command -v pg_ctlcluster >/dev/null 2>&1; then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
version=$(ls /usr/lib/postgresql | sort -n | tail -1)
if ! pg_lsclusters -h | awk '{print $1" "$2}' | grep -qx "$version main"; then
    pg_createcluster "$version" main >/dev/null
fi
if ! pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $4}' | grep -qx online; then
    pg_ctlcluster "$version" main start
fi
port=$(pg_lsclusters -h | awk -v v="$version" '$1==v && $2=="main" {print $3}')
for _ in $(seq 1 30); do
    pg_isready -q -h 127.0.0.1 -p "$port" && break
    sleep 1
done
runuser -u postgres -- psql -q -p "$port" -v ON_ERROR_STOP=1 <<'SQL'
DO $$
BEGIN
    IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'ftfhub_test') THEN
        CREATE ROLE ftfhub_test LOGIN SUPERUSER PASSWORD 'ftfhub_test';
    END IF;
END
$$;
SQL
echo "postgresql+psycopg://ftfhub_test:ftfhub_test@127.0.0.1:$port/postgres" > "$url_file"
