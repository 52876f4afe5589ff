# Shared helpers for the deploy/local/*.sh server scripts. Sourced, not executed.
#
# Every server lives in one directory DIR: its configuration, data, logs (DIR/*.log) and DIR/pid.
# `start` is a no-op when DIR/pid names a live process, fails at once when a port is taken,
# and waits (bounded) until the server really answers.

# How long `start` waits for a server to answer; Kafka needs ~10 s, ClickHouse ~2 s, on 2 cores.
START_TIMEOUT_SECONDS=${START_TIMEOUT_SECONDS:-60}
# How long `stop` waits after SIGTERM before SIGKILL; a clean Kafka shutdown takes a few seconds.
STOP_TIMEOUT_SECONDS=${STOP_TIMEOUT_SECONDS:-20}

LIB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO_ROOT="$(cd "$LIB_DIR/../.." && pwd)"
REDSTATS_HOME="${REDSTATS_HOME:-$REPO_ROOT/.redstats}"

die() {
  echo "$SCRIPT_NAME: $*" >&2
  exit 1
}

log() {
  echo "$SCRIPT_NAME: $*" >&2
}

usage_die() {
  echo "usage: $SCRIPT_NAME $USAGE" >&2
  exit 2
}

# Absolute path of DIR (created if missing), so configs never depend on the caller's cwd.
abs_dir() {
  mkdir -p "$1"
  (cd "$1" && pwd)
}

require_port_number() {
  [[ "$1" =~ ^[0-9]+$ ]] && (($1 > 0 && $1 < 65536)) || die "not a port number: '$1'"
}

# True when something accepts TCP connections on 127.0.0.1:PORT (a listener on 0.0.0.0 counts too).
port_in_use() {
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

require_free_port() {
  require_port_number "$1"
  if port_in_use "$1"; then
    die "port $1 is already in use"
  fi
}

pid_of() {
  local file="$1/pid"
  [[ -s "$file" ]] || return 1
  local pid
  pid="$(tr -dc '0-9' <"$file")"
  [[ -n "$pid" ]] || return 1
  echo "$pid"
}

# Alive = exists and is not a zombie (a killed child of a still-running parent stays a zombie).
# A multi-threaded process (a JVM) shows its main thread as a zombie while its other threads are
# still exiting and still hold its sockets: it is gone only when the main thread is the last one.
pid_alive() {
  local pid="$1"
  kill -0 "$pid" 2>/dev/null || return 1
  local state
  state="$(sed -E 's/.*\) //' "/proc/$pid/stat" 2>/dev/null | cut -d' ' -f1 || true)"
  [[ "$state" != "Z" && "$state" != "X" ]] && return 0
  local threads
  threads="$(ls "/proc/$pid/task" 2>/dev/null | wc -l)"
  ((threads > 1))
}

is_running() {
  local pid
  pid="$(pid_of "$1")" || return 1
  pid_alive "$pid"
}

# The last lines of every log in DIR, for a failure message.
show_logs() {
  local dir="$1" f
  for f in "$dir"/*.log; do
    [[ -f "$f" ]] || continue
    echo "---- last lines of $f" >&2
    tail -n 30 "$f" >&2
  done
}

# wait_until DIR DESCRIPTION COMMAND... : polls COMMAND until it succeeds; fails (and stops the
# half-started server) when the process dies or START_TIMEOUT_SECONDS pass.
wait_until() {
  local dir="$1" what="$2"
  shift 2
  local deadline=$((SECONDS + START_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)); do
    if ! is_running "$dir"; then
      show_logs "$dir"
      die "$what: the process exited during start-up"
    fi
    if "$@" >/dev/null 2>&1; then
      return 0
    fi
    sleep 0.2
  done
  show_logs "$dir"
  stop_dir "$dir" TERM || true
  die "$what: did not answer within ${START_TIMEOUT_SECONDS}s"
}

# stop_dir DIR [SIGNAL]: SIGNAL (default TERM), wait, then SIGKILL; no-op when not running.
stop_dir() {
  local dir="$1" signal="${2:-TERM}" pid
  if ! pid="$(pid_of "$dir")" || ! pid_alive "$pid"; then
    rm -f "$dir/pid"
    return 0
  fi
  kill "-$signal" "$pid" 2>/dev/null || true
  # A paused (SIGSTOP) server would never act on the signal.
  kill -CONT "$pid" 2>/dev/null || true
  local deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)) && pid_alive "$pid"; do
    sleep 0.2
  done
  if pid_alive "$pid"; then
    log "pid $pid did not stop within ${STOP_TIMEOUT_SECONDS}s, sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
    while pid_alive "$pid"; do sleep 0.1; done
  fi
  rm -f "$dir/pid"
}

status_dir() {
  local pid
  if pid="$(pid_of "$1")" && pid_alive "$pid"; then
    echo "running (pid $pid)"
    return 0
  fi
  echo "stopped"
  return 1
}

# Runs COMMAND in the background, detached from the caller's session and output (a caller that
# reads our stdout, like a test harness, must see EOF when this script exits), and records its pid.
spawn() {
  local dir="$1" logfile="$2"
  shift 2
  setsid "$@" </dev/null >>"$logfile" 2>&1 &
  echo $! >"$dir/pid"
}

# Common dispatch: COMMAND DIR ARGS... -> do_start / do_stop / do_status of the sourcing script.
dispatch() {
  local command="${1:-}"
  [[ -n "$command" && -n "${2:-}" ]] || usage_die
  local dir="$2"
  shift 2
  if [[ "$command" != start && ! -d "$dir" ]]; then
    [[ "$command" == stop ]] && return 0
    echo "stopped"
    return 1
  fi
  dir="$(abs_dir "$dir")"
  case "$command" in
    start)
      if is_running "$dir"; then
        log "already running in $dir (pid $(pid_of "$dir"))"
        return 0
      fi
      do_start "$dir" "$@"
      ;;
    stop) do_stop "$dir" ;;
    status) status_dir "$dir" ;;
    *) usage_die ;;
  esac
}
