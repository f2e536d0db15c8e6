#!/usr/bin/env bash
# Starts a private PostgreSQL 15 cluster on 127.0.0.1:${PGPORT:-55432} (Debian's package), owned by the
# postgres user, trust auth on loopback. Idempotent: an already running cluster is left alone.
# Prints the DATABASE_URL to use.
set -euo pipefail
PGPORT="${PGPORT:-55432}"
PGDATA_DIR="${PGDATA_DIR:-/tmp/mirakl-pg-$PGPORT}"
BIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
if [ -z "$BIN" ]; then echo "PostgreSQL server binaries not found (apt-get install -y postgresql)" >&2; exit 1; fi
if ! "$BIN/pg_isready" -h 127.0.0.1 -p "$PGPORT" -q; then
  if [ ! -f "$PGDATA_DIR/PG_VERSION" ]; then
    mkdir -p "$PGDATA_DIR"; chown postgres "$PGDATA_DIR"
    su postgres -c "$BIN/initdb -D $PGDATA_DIR -U postgres --auth=trust -E UTF8 --no-locale" >/dev/null
  fi
  su postgres -c "$BIN/pg_ctl -D $PGDATA_DIR -l $PGDATA_DIR/log -o '-p $PGPORT -k /tmp -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off' -w start" >/dev/null
fi
echo "postgres://postgres@127.0.0.1:$PGPORT/postgres"
