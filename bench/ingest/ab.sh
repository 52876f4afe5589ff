#!/usr/bin/env bash
# A/B of two ingest configurations on one broker: CPU per single-event request, not just req/s.
#   A_ARGS="..." B_ARGS="..." bench/ingest/ab.sh [ROUNDS] [WRK_SECONDS] [CONNECTIONS]
# WARMUP (seconds of uncounted load on each node first, default 30: a cold node's CPU per request
# keeps falling for a while as the JIT compiles). NOOP=1 adds a run of the no-op endpoint on node A
# to each round (row N), the baseline of the single-event ratio. JFR=1 records node A's CPU samples
# during the rounds into <results>/A.jfr. MODE=batch posts NDJSON batches of BATCH (1 000) events
# per request instead of single events; the figures are then per event. A_JAR / B_JAR: measure two
# builds against each other (default: both run the module's jar). THREADS=1 also writes, for each
# run, the CPU microseconds and context switches per event of every thread group (Java thread
# name, digits folded) of the node and the broker into <results>/threads.txt.
# Starts one Kafka broker, one ClickHouse and two ingest nodes (A and B: the same jar, each with
# its own extra Spring arguments), then alternates wrk runs of POST /stats between them. For each
# run it prints events/s and the CPU microseconds per event spent by the node under load and
# by the broker (read from /proc: the other node is idle meanwhile). On a shared, noisy machine
# throughput moves with the neighbours; CPU per request moves much less, so it is the figure to
# compare. Example:
#   A_ARGS="" B_ARGS="--redstats.publish.linger-ms=10" bench/ingest/ab.sh 4 10 128
set -euo pipefail

ROUNDS=${1:-4}
WRK_SECONDS=${2:-10}
CONNECTIONS=${3:-128}
WARMUP=${WARMUP:-30}
read -r -a ARGS_A <<<"${A_ARGS:-}"
read -r -a ARGS_B <<<"${B_ARGS:-}"

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/ingest"
MODE=${MODE:-single}
SCRIPT="$HERE/single-event.lua" PER_REQUEST=1
if [[ $MODE == batch ]]; then
  SCRIPT="$HERE/batch-events.lua" PER_REQUEST=${BATCH:-1000}
fi
source "$ROOT/bench/lib.sh"
export REDSTATS_HOME="${REDSTATS_HOME:-$ROOT/.redstats}"
DIR="$REDSTATS_HOME/bench-ingest-ab/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$DIR"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; } # user + system CPU of a process, in clock ticks
threads() { # PID: "group ticks switches" per thread; group = the Java thread name, digits folded
  local pid=$1 task
  jcmd "$pid" Thread.print 2>/dev/null | awk '/ nid=0x/ {
      match($0, /nid=0x[0-9a-f]+/); nid = substr($0, RSTART + 6, RLENGTH - 6)
      match($0, /^"[^"]*"/); name = substr($0, 2, RLENGTH - 2)
      gsub(/[0-9]+/, "N", name); gsub(/ /, "_", name); print nid, name }' >"$DIR/names"
  for task in /proc/"$pid"/task/*; do
    awk -v nid="$(printf '%x' "${task##*/}")" -v comm="$(tr ' ' '_' <"$task/comm" 2>/dev/null)" \
      'FILENAME ~ /names$/ { if ($1 == nid) name = $2; next }
       FILENAME ~ /stat$/ { t = $14 + $15; next }
       /ctxt_switches/ { cs += $2 }
       END { print (name != "" ? name : comm), t, cs }' \
      "$DIR/names" "$task/stat" "$task/status" 2>/dev/null || true # a thread may end meanwhile
  done
}
thread_delta() { # BEFORE AFTER EVENTS: per event, the groups that used CPU or switched
  awk -v n="$3" -v hz="$HZ" 'NR == FNR { t0[$1] += $2; c0[$1] += $3; next }
    { t1[$1] += $2; c1[$1] += $3 }
    END { for (g in t1) { dt = t1[g] - t0[g]; dc = c1[g] - c0[g]
            if (dt > 0 || dc > 0) printf "  %8.2f us %7.3f switches  %s\n", dt * 1e6 / hz / n, dc / n, g } }' \
    "$1" "$2" | sort -rn | head -12
}
HZ=$(getconf CLK_TCK)

PIDS=()
cleanup() {
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  "$ROOT/deploy/local/kafka.sh" stop "$DIR/kafka" >/dev/null 2>&1 || true
  "$ROOT/deploy/local/clickhouse.sh" stop "$DIR/clickhouse" >/dev/null 2>&1 || true
  rm -f "$DIR/A.jar" "$DIR/B.jar"
  # The servers' data (6-11 GB a run) goes; results and logs stay.
  [[ -n "${KEEP_DATA:-}" ]] || rm -rf "$DIR/kafka/data" "$DIR/clickhouse/data"
}
trap cleanup EXIT

JAR=$(bench_jar red-stats-ingest)
declare -A JARS=([A]="${A_JAR:-$JAR}" [B]="${B_JAR:-$JAR}")
for name in A B; do # copies: a build in the working tree meanwhile must not replace a node's jar
  cp "${JARS[$name]}" "$DIR/$name.jar"
  JARS[$name]="$DIR/$name.jar"
done
KAFKA_PORT=$(free_port); KAFKA_CONTROLLER=$(free_port); CH_HTTP=$(free_port); CH_TCP=$(free_port)
KAFKA_JIT_OPTS="" "$ROOT/deploy/local/kafka.sh" start "$DIR/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER" >&2
"$ROOT/deploy/local/clickhouse.sh" start "$DIR/clickhouse" "$CH_HTTP" "$CH_TCP" >&2
KAFKA_PID=$(tr -dc '0-9' <"$DIR/kafka/pid")
CP="$(cat "$(bench_classpath red-stats-ingest)")"

SECRET="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-secret-32-bytes"
(umask 077 && echo -n "$SECRET" >"$DIR/jwt-secret") # owner-only, like every secret
TOKEN=$(java -cp "$CP" io.redstats.contract.auth.TokenCli --secret-file "$DIR/jwt-secret" --scope ingest --ttl PT2H)
export TOKEN

declare -A PORT PID
bench_ingest_noop "$DIR" "$CP" # NOOP_LAUNCH: both nodes get POST /bench/noop
start_node() { # NAME ARGS...
  local name=$1 port
  shift
  port=$(free_port)
  # The secret in the node's environment (owner-only), not on its world-readable command line.
  REDSTATS_SECURITY_JWT_SECRET="$SECRET" java -Xmx512m -cp "${JARS[$name]}" "${NOOP_LAUNCH[@]}" --server.port="$port" \
    --redstats.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT" \
    --redstats.clickhouse.url="jdbc:clickhouse://127.0.0.1:$CH_HTTP/redstats?compress=0" \
    --redstats.dedup.enabled=false --redstats.sink.enabled=false \
    "$@" >"$DIR/ingest-$name.log" 2>&1 &
  PID[$name]=$!
  PORT[$name]=$port
  PIDS+=("$!")
}
start_node A "${ARGS_A[@]}"
start_node B "${ARGS_B[@]}"
for name in A B; do
  until curl -fs "http://127.0.0.1:${PORT[$name]}/actuator/health" 2>/dev/null | grep -q '"UP"'; do
    kill -0 "${PID[$name]}" 2>/dev/null || { tail -30 "$DIR/ingest-$name.log" >&2; exit 1; }
    sleep 0.5
  done
done
echo "A: ${JARS[A]} ${A_ARGS:-(defaults)}"
echo "B: ${JARS[B]} ${B_ARGS:-(defaults)}"
for name in A B; do # warm-up, not counted
  wrk -t2 -c"$CONNECTIONS" -d"${WARMUP}s" -s "$SCRIPT" "http://127.0.0.1:${PORT[$name]}/stats" >/dev/null
done

if [[ -n "${JFR:-}" ]]; then
  jcmd "${PID[A]}" JFR.start name=ab settings=profile filename="$DIR/A.jfr" >/dev/null
fi
printf '%-5s %-3s %10s %14s %14s %14s\n' round run events/s node_us/event kafka_us/event total_us/event
for round in $(seq 1 "$ROUNDS"); do
  order="A B"
  ((round % 2 == 0)) && order="B A" # ABBA: a drift of the machine hits both alike
  [[ -n "${NOOP:-}" ]] && order="$order N"
  for name in $order; do
    node=$name path=stats
    [[ $name == N ]] && node=A path=bench/noop
    if [[ -n "${THREADS:-}" ]]; then
      threads "${PID[$node]}" >"$DIR/node0"; threads "$KAFKA_PID" >"$DIR/kafka0"
    fi
    node0=$(ticks "${PID[$node]}"); kafka0=$(ticks "$KAFKA_PID")
    out=$(wrk -t2 -c"$CONNECTIONS" -d"${WRK_SECONDS}s" -s "$SCRIPT" \
      "http://127.0.0.1:${PORT[$node]}/$path")
    node1=$(ticks "${PID[$node]}"); kafka1=$(ticks "$KAFKA_PID")
    echo "$out" >>"$DIR/wrk-$name.txt"
    requests=$(echo "$out" | awk -v k="$PER_REQUEST" '/requests in/ {print $1 * k}')
    if [[ -n "${THREADS:-}" ]]; then
      threads "${PID[$node]}" >"$DIR/node1"; threads "$KAFKA_PID" >"$DIR/kafka1"
      { echo "round $round, run $name, per event: node"
        thread_delta "$DIR/node0" "$DIR/node1" "$requests"
        echo "  broker"
        thread_delta "$DIR/kafka0" "$DIR/kafka1" "$requests"; } >>"$DIR/threads.txt"
    fi
    rate=$(echo "$out" | awk -v k="$PER_REQUEST" '/Requests\/sec/ {print $2 * k}')
    awk -v r="$round" -v n="$name" -v q="$requests" -v rate="$rate" -v hz="$HZ" \
      -v dn=$((node1 - node0)) -v dk=$((kafka1 - kafka0)) 'BEGIN {
        printf "%-5s %-3s %10.0f %14.1f %14.1f %14.1f\n", r, n, rate, dn * 1e6 / hz / q,
          dk * 1e6 / hz / q, (dn + dk) * 1e6 / hz / q }'
  done
done | tee "$DIR/results.txt"
[[ -n "${JFR:-}" ]] && jcmd "${PID[A]}" JFR.stop name=ab >/dev/null
awk '{ n[$2]++; rate[$2] += $3; node[$2] += $4; kafka[$2] += $5; total[$2] += $6 }
  END { for (k in n) printf "mean %-3s %10.0f %14.1f %14.1f %14.1f\n", k, rate[k] / n[k],
    node[k] / n[k], kafka[k] / n[k], total[k] / n[k] }' "$DIR/results.txt" | sort | tee -a "$DIR/results.txt"
echo "results and logs: $DIR" >&2
