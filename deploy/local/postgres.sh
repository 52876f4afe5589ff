#!/usr/bin/env bash
# A PostgreSQL cluster on 127.0.0.1, run as the `postgres` OS user (PostgreSQL refuses root).
# On first start: initdb, role redstats/redstats (may create databases), database redstats.
#   postgres.sh start DIR PORT | stop DIR | status DIR
set -euo pipefail
SCRIPT_NAME=postgres.sh
USAGE="start DIR PORT | stop DIR | status DIR"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PG_OS_USER=${PG_OS_USER:-postgres}
REDSTATS_DB_USER=redstats
REDSTATS_DB_PASSWORD=redstats
REDSTATS_DB_NAME=redstats

pg_bin_dir() {
  local dir
  dir="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
  [[ -n "$dir" && -x "$dir/initdb" ]] || die "PostgreSQL is not installed (run deploy/local/install.sh)"
  echo "$dir"
}

# Runs a command as the PostgreSQL OS user when we are root, as ourselves otherwise.
as_pg() {
  if [[ "$(id -u)" -eq 0 ]]; then
    runuser -u "$PG_OS_USER" -- "$@"
  else
    "$@"
  fi
}

prepare_dir() {
  local dir="$1"
  if [[ "$(id -u)" -eq 0 ]]; then
    id "$PG_OS_USER" >/dev/null 2>&1 || die "OS user $PG_OS_USER does not exist (install the postgresql package)"
    chown "$PG_OS_USER:" "$dir"
    as_pg test -w "$dir" ||
      die "$dir is not writable by the OS user $PG_OS_USER (a parent directory is not traversable?)"
  fi
}

init_cluster() {
  local dir="$1" bin="$2"
  [[ -f "$dir/data/PG_VERSION" ]] && return 0
  log "initdb in $dir/data"
  # Local (socket) connections authenticate by OS user; TCP connections by password.
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 \
    -E UTF8 --locale=C.UTF-8 >>"$dir/initdb.log" 2>&1 || { show_logs "$dir"; die "initdb failed"; }
}

psql_admin() {
  local dir="$1" bin="$2" port="$3"
  shift 3
  as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$dir" -p "$port" -U postgres -d postgres "$@"
}

create_redstats_role_and_database() {
  local dir="$1" bin="$2" port="$3"
  local has_role has_db
  has_role="$(psql_admin "$dir" "$bin" "$port" -tAc "SELECT 1 FROM pg_roles WHERE rolname='$REDSTATS_DB_USER'")"
  if [[ "$has_role" != "1" ]]; then
    # On stdin, not -c: a command line is world-readable, and this one holds the password.
    psql_admin "$dir" "$bin" "$port" \
      <<<"CREATE ROLE $REDSTATS_DB_USER LOGIN CREATEDB PASSWORD '$REDSTATS_DB_PASSWORD'"
  fi
  has_db="$(psql_admin "$dir" "$bin" "$port" -tAc "SELECT 1 FROM pg_database WHERE datname='$REDSTATS_DB_NAME'")"
  if [[ "$has_db" != "1" ]]; then
    psql_admin "$dir" "$bin" "$port" -c "CREATE DATABASE $REDSTATS_DB_NAME OWNER $REDSTATS_DB_USER"
  fi
}

# After a kill -9 the old postmaster may linger a moment as a zombie and its backends a moment
# longer; PostgreSQL refuses to start while either holds the data directory.
wait_for_previous_postmaster() {
  local dir="$1" old_pid deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  [[ -s "$dir/data/postmaster.pid" ]] || return 0
  old_pid="$(head -n 1 "$dir/data/postmaster.pid" | tr -dc '0-9')"
  [[ -n "$old_pid" ]] || return 0
  pid_alive "$old_pid" && return 0
  while ((SECONDS < deadline)) && kill -0 "$old_pid" 2>/dev/null; do
    sleep 0.1
  done
}

do_start() {
  local dir="$1" port="${2:-}"
  [[ -n "$port" ]] || usage_die
  require_free_port "$port"
  local bin
  bin="$(pg_bin_dir)"
  prepare_dir "$dir"
  init_cluster "$dir" "$bin"
  wait_for_previous_postmaster "$dir"
  rm -f "$dir/pid"
  # pg_ctl starts the postmaster detached and waits until it accepts connections (or fails);
  # the postmaster pid is then the first line of postmaster.pid. Orphaned backends of a killed
  # postmaster keep its shared memory for a moment, hence a few attempts.
  local attempt
  for attempt in 1 2 3 4 5; do
    if as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -s -w -t "$START_TIMEOUT_SECONDS" -o \
      "-p $port -k $dir -c listen_addresses=127.0.0.1" start >>"$dir/pg_ctl.log" 2>&1; then
      break
    fi
    if ((attempt == 5)) || port_in_use "$port"; then
      show_logs "$dir"
      die "PostgreSQL on 127.0.0.1:$port did not start"
    fi
    sleep 1
  done
  head -n 1 "$dir/data/postmaster.pid" >"$dir/pid"
  wait_until "$dir" "PostgreSQL on 127.0.0.1:$port" "$bin/pg_isready" -q -h 127.0.0.1 -p "$port"
  create_redstats_role_and_database "$dir" "$bin" "$port"
  log "PostgreSQL started on 127.0.0.1:$port (pid $(pid_of "$dir"), log $dir/postgres.log)"
}

# SIGINT is PostgreSQL's "fast" shutdown: SIGTERM ("smart") would wait for every client to leave.
do_stop() {
  stop_dir "$1" INT
}

dispatch "$@"
