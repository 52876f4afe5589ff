#!/usr/bin/env bash
# The benchmark suite: runs every benchmark of bench/README.md one after the other (each measures
# its own baseline in the same run), then writes bench/results/<date>.md and .json and the
# results block of docs/PERFORMANCE.md (bench/suite/report.py).
#
#   bench/suite.sh [--quick]        (./redstats bench [--quick] installs the servers first)
#
# A bench that fails or runs past its time limit is recorded as failed and the suite goes on;
# the exit code is 1 when any bench failed. Raw output and logs of each run stay under
# .redstats/bench-suite/runs/<time>-<mode>/. Parameters per mode: the table below; the reasons
# are in bench/suite/README.md.
set -uo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
export REDSTATS_HOME="${REDSTATS_HOME:-$ROOT/.redstats}"

MODE=full
case "${1:-}" in
  "") ;;
  --quick) MODE=quick ;;
  -h | --help) sed -n '2,11p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "usage: bench/suite.sh [--quick]" >&2; exit 2 ;;
esac

STAMP="$(date -u +%Y%m%d-%H%M%S)"
RUN_DIR="$REDSTATS_HOME/bench-suite/runs/$STAMP-$MODE"
mkdir -p "$RUN_DIR"
SUITE_START=$SECONDS

# ---- parameters ------------------------------------------------------------------------------
# Expected seconds per bench on a quiet 2-core machine (for the ETA: the last quiet runs, adjusted
# for what changed since) and the limit after which a bench is stopped and recorded as failed;
# bench/suite/README.md has the durations they were chosen from.
if [[ $MODE == quick ]]; then
  # 1-second measured runs (eight single-event and two batch runs) and wrk warm-ups as long
  # instead of run.sh's 5 s (the batch part before them has already warmed the node): 18 s less
  # than 2-second runs, which left the quick suite at 3 min 11 s on a quiet machine.
  # No warm-up until the JIT settles (WARM_MAX=0): a smoke figure, not a steady-state one.
  INGEST_ARGS=(1 8)
  INGEST_ENV=(FRESHNESS_EVENTS=100 WRK_WARMUP=1 WARM_MAX=0)
  QUERY_EVENTS=1000000
  QUERY_ITERATIONS=5
  # 300 requests warm the api up instead of 1 000 (15 s of a 33-second run at load 8); each
  # scenario still has its own 3 warm-up rounds.
  QUERY_API_WARMUP=300
  QUERY_DIR="$REDSTATS_HOME/bench-suite/clickhouse-quick"
  NOTIFIER_RUNS=("latency:1000 2000 4 1000")
  # 2 seconds of events before the 4-second window instead of 5: its alerts are still all checked.
  NOTIFIER_OPTS="-Dbench.warmup-seconds=2"
  E2E_ARGS=(${E2E_QUICK_ARGS:---rate 100 --seconds 5 --subscribers 10})
  declare -A EXPECTED=([build]=20 [ingest]=80 [query]=25 [notifier]=30 [red]=5 [e2e]=45)
  declare -A LIMIT=([build]=600 [ingest]=300 [query]=300 [notifier]=300 [red]=180 [e2e]=240)
else
  INGEST_ARGS=(20 8)
  INGEST_ENV=(FRESHNESS_EVENTS=300)
  QUERY_EVENTS=100000000
  QUERY_ITERATIONS=15
  QUERY_API_WARMUP=1000
  QUERY_DIR="$REDSTATS_HOME/bench-suite/clickhouse"
  # fan-out: 10 000 subscribers on 10 client ids (1 000 each, thresholds spread over [0, 1)), so an
  # event alerts ~500 of them; 300 events/s offers ~150 000 alerts/s, above the 100 000 target.
  # latency: the target's own conditions, 1 000 subscribers at 2 000 events/s.
  NOTIFIER_RUNS=("fanout:10000 300 15 10" "latency:1000 2000 20 1000")
  NOTIFIER_OPTS=""
  E2E_ARGS=(${E2E_FULL_ARGS:---rate 200 --seconds 60 --subscribers 20})
  declare -A EXPECTED=([build]=30 [ingest]=490 [query]=75 [notifier]=115 [red]=10 [e2e]=125)
  declare -A LIMIT=([build]=900 [ingest]=900 [query]=900 [notifier]=900 [red]=300 [e2e]=900)
fi
# On a machine busier than the one the limits were made for, BENCH_LIMIT_FACTOR=3 triples them.
LIMIT_FACTOR=${BENCH_LIMIT_FACTOR:-1}
for b in "${!LIMIT[@]}"; do LIMIT[$b]=$((LIMIT[$b] * LIMIT_FACTOR)); done
# ... and so the servers' start-up wait of deploy/local (60 s), which the benches' servers use.
export START_TIMEOUT_SECONDS=${START_TIMEOUT_SECONDS:-$((60 * LIMIT_FACTOR))}
# Loading 100 M events into ClickHouse happens once (the data directory is kept between runs) and
# takes far longer than a measurement: the first run may use this much.
QUERY_LOAD_LIMIT=${QUERY_LOAD_LIMIT:-5400}

BENCHES=(ingest query notifier red e2e)
# BENCH_ONLY="query notifier" runs only those (the others show as "not run" in the results).
if [[ -n "${BENCH_ONLY:-}" ]]; then
  read -r -a BENCHES <<<"${BENCH_ONLY//,/ }"
  for b in "${BENCHES[@]}"; do
    [[ -n "${EXPECTED[$b]:-}" && $b != build ]] || { echo "BENCH_ONLY: no bench '$b' (ingest query notifier red e2e)" >&2; exit 2; }
  done
fi

# ---- helpers ---------------------------------------------------------------------------------
fmt() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }
say() { echo "[bench $(date -u +%H:%M:%S)] $*" >&2; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

remaining_expected() { # BENCH...: sum of the expected seconds of the benches not yet run
  local sum=0 b
  for b in "$@"; do sum=$((sum + ${EXPECTED[$b]:-60})); done
  echo "$sum"
}

TICKER_PID=""
last_line() { # FILE...: the last non-empty line of whichever file changed last, without colours
  local newest
  newest="$(ls -t "$@" 2>/dev/null | head -1)"
  [[ -n "$newest" ]] || return 0
  tail -c 2000 "$newest" | tr '\r' '\n' | sed -E 's/\x1b\[[0-9;]*[A-Za-z]//g; s#'"$ROOT"'/##g' |
    grep -v '^[[:space:]]*$' | tail -1 | cut -c1-70
}

start_ticker() { # INDEX NAME REST...: a progress line every 15 s while a bench runs
  local index=$1 name=$2
  shift 2
  local rest_after
  rest_after=$(remaining_expected "$@")
  local bench_start=$SECONDS
  (
    while sleep 15; do
      local in_bench=$((SECONDS - bench_start))
      local left=$((${EXPECTED[$name]} - in_bench))
      ((left < 10)) && left=10
      local last
      last="$(last_line "$RUN_DIR/$name.out" "$RUN_DIR/$name.log")"
      say "$index/${#BENCHES[@]} $name: $(fmt "$in_bench") (expected ~$(fmt "${EXPECTED[$name]}")), suite $(fmt $((SECONDS - SUITE_START))), ETA ~$(fmt $((left + rest_after)))  | $last"
    done
  ) &
  TICKER_PID=$!
}
stop_ticker() {
  [[ -n "$TICKER_PID" ]] && kill "$TICKER_PID" 2>/dev/null && wait "$TICKER_PID" 2>/dev/null
  TICKER_PID=""
}

QUERY_CH_STARTED=""
BENCH_PID=""
cleanup() {
  stop_ticker
  if [[ -n "$BENCH_PID" ]]; then
    kill -TERM "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
  fi
  if [[ -n "$QUERY_CH_STARTED" ]]; then
    deploy/local/clickhouse.sh stop "$QUERY_DIR" >/dev/null 2>&1 || true
  fi
}
# Interrupted (Ctrl-C, TERM): stop the running bench, record it as interrupted, and still write
# the results of what ran, so a long run that had to be stopped is not lost.
BENCH_NAME=""
BENCH_STARTED=0
interrupted() {
  trap - INT TERM
  stop_ticker
  if [[ -n "$BENCH_PID" ]]; then
    kill -TERM "$BENCH_PID" 2>/dev/null && wait "$BENCH_PID" 2>/dev/null
    BENCH_PID=""
    echo "exit=130 seconds=$((SECONDS - BENCH_STARTED)) (interrupted)" >>"$RUN_DIR/$BENCH_NAME.status"
  fi
  say "interrupted; writing the results of what ran"
  finish
  exit 130
}
trap cleanup EXIT
trap interrupted INT TERM

finish() { # the end of the meta data, then the report
  {
    echo "finished=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "load_end=$(loadavg)"
    echo "seconds=$((SECONDS - SUITE_START))"
  } >>"$RUN_DIR/meta.txt"
  python3 bench/suite/report.py "$RUN_DIR" --root "$ROOT"
}

# Runs one bench: stdout to NAME.out (KEY=VALUE and the bench's own lines), stderr to NAME.log,
# its status and duration to NAME.status. LIMIT seconds, then TERM (the benches stop their own
# servers on TERM) and KILL 60 s later. In the background and waited for, so that Ctrl-C reaches
# the suite at once (timeout runs the bench in a process group of its own) and cleanup stops it.
run_bench() { # NAME LIMIT COMMAND...
  local name=$1 limit=$2
  shift 2
  local started=$SECONDS rc
  echo "$*" >>"$RUN_DIR/$name.commands"
  timeout -k 60 "$limit" "$@" >>"$RUN_DIR/$name.out" 2>>"$RUN_DIR/$name.log" &
  BENCH_PID=$!
  BENCH_NAME=$name
  BENCH_STARTED=$started
  wait "$BENCH_PID"
  rc=$?
  BENCH_PID=""
  echo "exit=$rc seconds=$((SECONDS - started))" >>"$RUN_DIR/$name.status"
  return "$rc"
}

# ---- the benches -----------------------------------------------------------------------------
bench_ingest() {
  run_bench ingest "${LIMIT[ingest]}" env "${INGEST_ENV[@]}" bench/ingest/run.sh "${INGEST_ARGS[@]}"
}

# The query bench needs a ClickHouse: one of the suite's own on free ports, over a data directory
# that is kept so the events are loaded once. A directory without the "loaded" mark (a load that
# was interrupted) is wiped first: a half-loaded database would be loaded again on top of rollups
# that already hold part of it.
bench_query() {
  local http tcp limit=${LIMIT[query]} rc
  if deploy/local/clickhouse.sh status "$QUERY_DIR" 2>/dev/null | grep -q running; then
    echo "a ClickHouse already runs on ${QUERY_DIR#"$ROOT"/}; not touching it" >>"$RUN_DIR/query.log"
    echo "exit=1 seconds=0 (its ClickHouse directory is in use)" >>"$RUN_DIR/query.status"
    return 1
  fi
  if [[ ! -f "$QUERY_DIR/loaded-$QUERY_EVENTS" ]]; then
    if [[ -d "$QUERY_DIR/data" ]]; then
      say "query: ${QUERY_DIR#"$ROOT"/} has no completed load of $QUERY_EVENTS events; starting it afresh"
      rm -rf "$QUERY_DIR"
    fi
    limit=$QUERY_LOAD_LIMIT
    say "query: loading $QUERY_EVENTS events first (once; kept in .redstats/bench-suite/)"
  fi
  http=$(free_port)
  tcp=$(free_port)
  if ! deploy/local/clickhouse.sh start "$QUERY_DIR" "$http" "$tcp" >>"$RUN_DIR/query.log" 2>&1; then
    echo "exit=1 seconds=0 (ClickHouse did not start)" >>"$RUN_DIR/query.status"
    return 1
  fi
  QUERY_CH_STARTED=1
  # run.sh rewrites bench/query/results.md (a committed file): keep what it wrote in the run
  # directory, then put the committed version back unless someone changed it in the meantime.
  local results=bench/query/results.md saved="$RUN_DIR/query-results.before.md"
  [[ -f $results ]] && cp "$results" "$saved"
  run_bench query "$limit" bench/query/run.sh --clickhouse-http "http://127.0.0.1:$http" \
    --events "$QUERY_EVENTS" --iterations "$QUERY_ITERATIONS" --api-warmup "$QUERY_API_WARMUP"
  rc=$?
  if [[ -f $results ]] && ! cmp -s "$results" "$saved"; then
    cp "$results" "$RUN_DIR/query-results.md"
    [[ -f $saved ]] && cp "$saved" "$results"
  fi
  ((rc == 0)) && touch "$QUERY_DIR/loaded-$QUERY_EVENTS"
  deploy/local/clickhouse.sh stop "$QUERY_DIR" >>"$RUN_DIR/query.log" 2>&1
  QUERY_CH_STARTED=""
  return "$rc"
}

# The notifier's run.sh packages the module unless BENCH_SKIP_BUILD=1; skip that when the suite's
# build (or an earlier one) left a jar, test classes and a bench classpath newer than the sources.
notifier_built() {
  local m=red-stats-notifier jar
  jar="$(ls $m/target/$m-*.jar 2>/dev/null | grep -v original | head -1)"
  [[ -n "$jar" && -d $m/target/test-classes && -s $m/target/bench.classpath ]] || return 1
  [[ -z "$(find $m/src red-stats-contract/src red-stats-test-support/src -newer "$jar" -print -quit 2>/dev/null)" ]] &&
    [[ -z "$(find $m/pom.xml pom.xml -newer $m/target/bench.classpath -print -quit 2>/dev/null)" ]]
}

bench_notifier() {
  local run name args rc=0 skip
  for run in "${NOTIFIER_RUNS[@]}"; do
    name=${run%%:*}
    args=${run#*:}
    echo "# run=$name" >>"$RUN_DIR/notifier.out"
    echo "$name=$args" >>"$RUN_DIR/notifier.runs"
    skip=0
    notifier_built && skip=1
    # shellcheck disable=SC2086 # the arguments are four numbers
    run_bench notifier "${LIMIT[notifier]}" env BENCH_SKIP_BUILD=$skip BENCH_OPTS="${BENCH_OPTS:-$NOTIFIER_OPTS}" \
      red-stats-notifier/bench/run.sh $args || rc=1
  done
  return "$rc"
}

bench_red() {
  run_bench red "${LIMIT[red]}" red-service/bench/run.sh
}

bench_e2e() {
  if [[ ! -x bench/e2e/run.sh ]]; then
    echo "exit=-1 seconds=0 (bench/e2e/run.sh does not exist)" >>"$RUN_DIR/e2e.status"
    return 0
  fi
  run_bench e2e "${LIMIT[e2e]}" bench/e2e/run.sh "${E2E_ARGS[@]}"
}

# ---- build ---------------------------------------------------------------------------------
# One build for all benches, only when a jar is missing or older than its sources (the benches
# then find their jars and skip building).
needs_build() {
  local module jar
  for module in red-stats-ingest red-stats-api red-stats-notifier red-service; do
    jar="$(ls "$module"/target/"$module"-*.jar 2>/dev/null | grep -v -e original -e plain | head -1)"
    [[ -n "$jar" && -d "$module/target/test-classes" ]] || return 0
    [[ -z "$(find "$module/src" red-stats-contract/src red-stats-test-support/src "$module/pom.xml" pom.xml \
      -newer "$jar" -print -quit 2>/dev/null)" ]] || return 0
  done
  return 1
}

# ---- run -------------------------------------------------------------------------------------
# All in one function that bash reads whole before running it, so that editing this file while a
# suite runs does not derail that run.
main() {
  {
    echo "mode=$MODE"
    echo "only=${BENCH_ONLY:+${BENCHES[*]}}"
    echo "date=$(date -u +%Y-%m-%d)"
    echo "started=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
    echo "load_start=$(loadavg)"
    echo "cores=$(nproc)"
    echo "cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
    echo "memory_gb=$(awk '/MemTotal/ {printf "%.0f", $2 / 1048576}' /proc/meminfo)"
    echo "commit=$(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
    git diff --quiet HEAD 2>/dev/null && echo "dirty=false" || echo "dirty=true"
    echo "java=$(java -version 2>&1 | head -1 | sed 's/"//g')"
    echo "clickhouse=$(clickhouse-client --version 2>/dev/null | grep -o '[0-9][0-9.]*[0-9]' | head -1)"
  } >"$RUN_DIR/meta.txt"
  say "mode $MODE, ${#BENCHES[@]} bench(es), expected ~$(fmt "$(remaining_expected "${BENCHES[@]}")") on a quiet machine (plus a build if one is needed); load average $(loadavg); output in ${RUN_DIR#"$ROOT"/}"

  if [[ "${BENCH_BUILD:-1}" != 0 ]] && needs_build; then
    say "building the services once (mvn -B -q package -DskipTests) ..."
    start_ticker 0 build "${BENCHES[@]}"
    # package, never install: every bench resolves the project's modules through the reactor
    # (bench/lib.sh), so nothing depends on ~/.m2 holding io.redstats artifacts.
    # forceCreation: a module whose own classes did not change keeps its old jar otherwise, and
    # Spring Boot's repackage then keeps the old copies of the contract and the libraries inside
    # it (a bench measured a stale contract), and the jar stays older than the sources, so every
    # run built again, here and in the e2e bench.
    run_bench build "${LIMIT[build]}" mvn -B -q package -DskipTests -Dmaven.jar.forceCreation=true \
      -pl red-stats-ingest,red-stats-api,red-stats-notifier,red-service -am \
      || say "the build failed (see build.log); the benches run with the jars that are there"
    stop_ticker
  fi

  local i name started result
  FAILED=()
  for i in "${!BENCHES[@]}"; do
    name=${BENCHES[$i]}
    say "$((i + 1))/${#BENCHES[@]} $name: starting (expected ~$(fmt "${EXPECTED[$name]}"), limit $(fmt "${LIMIT[$name]}"))"
    touch "$RUN_DIR/$name.out" "$RUN_DIR/$name.log"
    start_ticker "$((i + 1))" "$name" "${BENCHES[@]:$((i + 1))}"
    started=$SECONDS
    if "bench_$name"; then
      result=done
    else
      result="FAILED (see ${RUN_DIR#"$ROOT"/}/$name.log)"
      FAILED+=("$name")
    fi
    stop_ticker
    say "$((i + 1))/${#BENCHES[@]} $name: $result in $(fmt $((SECONDS - started))); suite $(fmt $((SECONDS - SUITE_START)))"
  done

  finish || FAILED+=(report)
  say "suite done in $(fmt $((SECONDS - SUITE_START))); failed: ${FAILED[*]:-none}"
  ((${#FAILED[@]} == 0))
}

main "$@"; exit $?
