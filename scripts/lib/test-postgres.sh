# Sourced by scripts/test: starts a throwaway PostgreSQL cluster for the
# tests and exports BALAI_TEST_POSTGRES_URL. The cluster lives in a temporary
# directory, listens on 127.0.0.1 only (a free port) with trust auth, runs as
# the non-root `postgres` user when we are root (PostgreSQL refuses to run as
# root), and is stopped and deleted when the calling shell exits.
# Needs the Debian `postgresql` package (scripts/test installs it).

start_test_postgres() {
  local bin
  bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
  if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "PostgreSQL server binaries not found under /usr/lib/postgresql (Debian package postgresql)" >&2
    return 1
  fi
  local as=()
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    as=(runuser -u postgres --)
  fi
  PG_TEST_DIR=$(mktemp -d /tmp/balai-pg.XXXXXX)
  [ ${#as[@]} -gt 0 ] && chown postgres "$PG_TEST_DIR"
  local port
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  "${as[@]}" "$bin/initdb" -D "$PG_TEST_DIR/data" -U postgres --auth=trust --encoding=UTF8 --locale=C >/dev/null
  # Throwaway data: no fsync; enough connections for parallel tests (each
  # test's pool holds a few). BALAI_PG_DURABLE=1 (benchmarks) keeps fsync and
  # synchronous commit, as a real server must, with a production-sized cache.
  local settings="-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400"
  if [ "${BALAI_PG_DURABLE:-0}" = 1 ]; then
    settings="-c shared_buffers=2GB -c max_wal_size=8GB -c max_connections=200"
  fi
  "${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -l "$PG_TEST_DIR/log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $PG_TEST_DIR $settings" start
  PG_TEST_CTL=("${as[@]}" "$bin/pg_ctl" -D "$PG_TEST_DIR/data" -m immediate -s stop)
  trap stop_test_postgres EXIT
  export BALAI_TEST_POSTGRES_URL="postgres://postgres@127.0.0.1:$port/postgres"
}

stop_test_postgres() {
  if [ -n "${PG_TEST_DIR:-}" ]; then
    "${PG_TEST_CTL[@]}" || true
    rm -rf "$PG_TEST_DIR"
    PG_TEST_DIR=
  fi
}
