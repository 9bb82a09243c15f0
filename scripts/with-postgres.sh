#!/usr/bin/env bash
# Runs a command against a throwaway PostgreSQL cluster on a free port of 127.0.0.1, then removes it.
# Usage: scripts/with-postgres.sh COMMAND [ARGS...]   (DANGVU_DATABASE_URL is set for the command)
# With DANGVU_PG_REPLICA=1 a streaming replica of it is started too (pg_basebackup -R, hot standby), for
# tests/core/test_replica.py: DANGVU_TEST_REPLICA_URL names its server, DANGVU_TEST_REPLICA_DATA its folder.
set -euo pipefail
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq && apt-get install -y -qq postgresql >/dev/null
fi
PGBIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
PGROOT=$(mktemp -d /tmp/dangvu-pg.XXXXXX)
PORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
RUN=()
if [ "$(id -u)" = "0" ]; then
  id postgres >/dev/null 2>&1 || useradd --system --no-create-home postgres
  chown postgres "$PGROOT"
  RUN=(runuser -u postgres --)
fi
cleanup() {
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/replica" -m immediate stop >/dev/null 2>&1 || true
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$PGROOT"
}
trap cleanup EXIT
"${RUN[@]}" "$PGBIN/initdb" -D "$PGROOT/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >/dev/null
"${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/data" -l "$PGROOT/log" -w \
  -o "-p $PORT -k $PGROOT -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >/dev/null
"$PGBIN/createdb" -h 127.0.0.1 -p "$PORT" -U postgres dangvu
export DANGVU_DATABASE_URL="postgres://postgres@127.0.0.1:$PORT/dangvu"
if [ "${DANGVU_PG_REPLICA:-0}" = "1" ]; then
  RPORT=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  "${RUN[@]}" "$PGBIN/pg_basebackup" -h 127.0.0.1 -p "$PORT" -U postgres -D "$PGROOT/replica" -R -X stream
  # its own settings in its folder, so that a test may stop and start it with a plain `pg_ctl start`
  printf "port = %s\nlisten_addresses = '127.0.0.1'\nunix_socket_directories = '%s'\nhot_standby = on\n" \
    "$RPORT" "$PGROOT" | "${RUN[@]}" tee -a "$PGROOT/replica/postgresql.auto.conf" >/dev/null
  "${RUN[@]}" "$PGBIN/pg_ctl" -D "$PGROOT/replica" -l "$PGROOT/replica.log" -w start >/dev/null
  export DANGVU_TEST_REPLICA_URL="postgres://postgres@127.0.0.1:$RPORT" DANGVU_TEST_REPLICA_DATA="$PGROOT/replica"
  export DANGVU_TEST_PGBIN="$PGBIN" DANGVU_TEST_PG_RUNAS="${RUN[*]}"
  echo "PostgreSQL streaming replica on 127.0.0.1:$RPORT"
fi
echo "PostgreSQL $("$PGBIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$PORT"
"$@"
