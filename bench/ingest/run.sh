#!/usr/bin/env bash
# Ingest benchmark on servers of its own (one Kafka broker, one ClickHouse, one ingest node), all
# on this machine; prints KEY=VALUE results and stops everything it started.
#   bench/ingest/run.sh [SECONDS] [CLIENTS]
# (The older form "run.sh EVENTS CLIENTS SECONDS" still works: the batch part is measured by time
# now, so EVENTS is ignored.)
set -euo pipefail

if (($# == 3)); then
  echo "run.sh: the batch part runs for SECONDS now; the event count ($1) is ignored" >&2
  set -- "$3" "$2"
fi
SECONDS_PER_RUN=${1:-20} # length of each measured run (batch and single-event paths; two of each)
CLIENTS=${2:-8}          # batch path: concurrent connections posting NDJSON batches of 1 000
if ! [[ $SECONDS_PER_RUN =~ ^[0-9]+$ && $CLIENTS =~ ^[0-9]+$ ]] || ((SECONDS_PER_RUN < 1 ||
  SECONDS_PER_RUN > 600 || CLIENTS < 1)) || (($# > 2)); then
  echo "usage: bench/ingest/run.sh [SECONDS=20] [CLIENTS=8]: seconds of each measured run (1-600)," \
    "connections posting batches" >&2
  exit 2
fi
WRK_SECONDS=$SECONDS_PER_RUN
WRK_CONNECTIONS=${WRK_CONNECTIONS:-16}
# JFR=1 records the ingest node's CPU samples during parts 1-2 into <results>/ingest.jfr
FRESHNESS_EVENTS=${FRESHNESS_EVENTS:-300}
START_TIMEOUT=${START_TIMEOUT:-300} # seconds an ingest node may take to come up (a busy shared box is slow)
# INGEST_SPRING_ARGS: extra Spring arguments for every ingest node, for tuning runs, e.g.
#   INGEST_SPRING_ARGS="--redstats.publish.linger-ms=10"
read -r -a EXTRA_INGEST_ARGS <<<"${INGEST_SPRING_ARGS:-}"
# Single-event path at saturation: enough connections that neither endpoint waits on latency.
SATURATED_CONNECTIONS=${SATURATED_CONNECTIONS:-128}
WRK_WARMUP=${WRK_WARMUP:-5} # seconds of each wrk warm-up
# After those, each part keeps warming up in windows of its load (WARM_WINDOW seconds of batches;
# of the no-op and of single events) until the JIT compilers of the JVMs involved (node, broker,
# producer baseline) worked less than STEADY_JIT x WARM_WINDOW seconds in all in one window, at
# most WARM_MAX seconds (0: no such warm-up).
# On two shared cores the node's C2 still compiled Spring's request path for about a minute of
# load, taking up to 0.45 of a core from the measured window.
WARM_MAX=${WARM_MAX:-90}
WARM_WINDOW=${WARM_WINDOW:-5}
STEADY_JIT=${STEADY_JIT:-0.02}

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/bench/ingest"
source "$ROOT/bench/lib.sh"
export REDSTATS_HOME="${REDSTATS_HOME:-$ROOT/.redstats}"
DIR="$REDSTATS_HOME/bench-ingest/$(date +%Y%m%d-%H%M%S)"
mkdir -p "$DIR"
command -v wrk >/dev/null || { echo "wrk is missing: apt-get install wrk" >&2; exit 1; }

INGEST_PID=""
cleanup() {
  # The ingest node and the producer baseline run in the results subshell; their PIDs are in files.
  if [[ -s "$DIR/producer.pid" ]]; then
    kill "$(cat "$DIR/producer.pid")" 2>/dev/null || true
  fi
  if [[ -s "$DIR/ingest.pid" ]]; then
    kill "$(cat "$DIR/ingest.pid")" 2>/dev/null || true
    sleep 2
  fi
  "$ROOT/deploy/local/kafka.sh" stop "$DIR/kafka" >/dev/null 2>&1 || true
  "$ROOT/deploy/local/kafka.sh" stop "$DIR/kafka-fresh" >/dev/null 2>&1 || true
  "$ROOT/deploy/local/clickhouse.sh" stop "$DIR/clickhouse" >/dev/null 2>&1 || true
  rm -f "$DIR/ingest.jar"
  # The servers' data (millions of records: 6-12 GB a run) goes; results and logs stay.
  [[ -n "${KEEP_DATA:-}" ]] ||
    rm -rf "$DIR/kafka/data" "$DIR/kafka-fresh/data" "$DIR/clickhouse/data" "$DIR/dedup-state"
}
trap cleanup EXIT

# INGEST_JAR: the service jar to measure (default: the module's build output, rebuilt when stale).
JAR=${INGEST_JAR:-$(bench_jar red-stats-ingest)}
# A copy: a build in the working tree meanwhile must not replace the jar under a starting node.
cp "$JAR" "$DIR/ingest.jar"
JAR="$DIR/ingest.jar"
KAFKA_PORT=$(free_port); KAFKA_CONTROLLER=$(free_port)
CH_HTTP=$(free_port); CH_TCP=$(free_port); INGEST_PORT=$(free_port)
# The servers start while Maven resolves the classpath. A benchmark wants the broker's full JIT,
# not the tests' quick-start C1.
KAFKA_JIT_OPTS="" "$ROOT/deploy/local/kafka.sh" start "$DIR/kafka" "$KAFKA_PORT" "$KAFKA_CONTROLLER" >&2 &
KAFKA_START=$!
"$ROOT/deploy/local/clickhouse.sh" start "$DIR/clickhouse" "$CH_HTTP" "$CH_TCP" >&2 &
CLICKHOUSE_START=$!

# The classpath of the bench tools, resolved again only when a pom changed since.
cp "$(bench_classpath red-stats-ingest)" "$DIR/classpath"
CP="$(cat "$DIR/classpath")"
wait "$KAFKA_START" || { echo "Kafka did not start" >&2; exit 1; }
wait "$CLICKHOUSE_START" || { echo "ClickHouse did not start" >&2; exit 1; }
KAFKA_PID=$(tr -dc '0-9' <"$DIR/kafka/pid")

SECRET="bench-$(head -c 24 /dev/urandom | base64 | tr -dc 'A-Za-z0-9')-secret-32-bytes"
(umask 077 && echo -n "$SECRET" >"$DIR/jwt-secret") # owner-only, like every secret
bench_ingest_noop "$DIR" "$CP" # NOOP_LAUNCH: the node gets POST /bench/noop
start_ingest() { # NAME EXTRA_ARGS...: starts a node on INGEST_PORT, waits until it is UP
  local name=$1; shift
  # The secret in the node's environment (owner-only), not on its world-readable command line.
  REDSTATS_SECURITY_JWT_SECRET="$SECRET" java -Xmx512m -cp "$JAR" "${NOOP_LAUNCH[@]}" --server.port="$INGEST_PORT" \
    --redstats.kafka.bootstrap-servers="127.0.0.1:$KAFKA_PORT" \
    --redstats.clickhouse.url="jdbc:clickhouse://127.0.0.1:$CH_HTTP/redstats?compress=0" \
    --redstats.dedup.state-dir="$DIR/dedup-state" \
    "${EXTRA_INGEST_ARGS[@]}" "$@" >"$DIR/ingest-$name.log" 2>&1 &
  INGEST_PID=$!
  echo "$INGEST_PID" >"$DIR/ingest.pid"
  for _ in $(seq 1 $((START_TIMEOUT * 4))); do
    curl -fs "http://127.0.0.1:$INGEST_PORT/actuator/health" 2>/dev/null | grep -q '"UP"' && return 0
    kill -0 "$INGEST_PID" 2>/dev/null || { tail -40 "$DIR/ingest-$name.log" >&2; exit 1; }
    sleep 0.25
  done
  echo "ingest ($name) did not come up" >&2
  exit 1
}
stop_ingest() {
  kill "$INGEST_PID" && wait "$INGEST_PID" 2>/dev/null || true
  : >"$DIR/ingest.pid"
  INGEST_PID=""
}

(umask 077 && exec java -cp "$CP" io.redstats.contract.auth.TokenCli --secret-file "$DIR/jwt-secret" --scope ingest --ttl PT2H >"$DIR/token") &
(umask 077 && exec java -cp "$CP" io.redstats.contract.auth.TokenCli --secret-file "$DIR/jwt-secret" --scope admin --ttl PT2H >"$DIR/admin-token")
wait $!
TOKEN=$(cat "$DIR/token"); ADMIN_TOKEN=$(cat "$DIR/admin-token")
export TOKEN # the wrk scripts read it
[[ -n "$TOKEN" && -n "$ADMIN_TOKEN" ]] || { echo "could not mint the bench tokens" >&2; exit 1; }
publish_metrics() { # PREFIX: how publishing went on the running node (requests, their wait for Kafka)
  curl -fs -H "Authorization: Bearer $ADMIN_TOKEN" "$INGEST/actuator/prometheus" >"$DIR/prometheus-$1.txt" || return 0
  awk -v p="$1" '
    /^redstats_publish_requests_seconds_count/ && /outcome="acknowledged"/ {ok=$NF}
    /^redstats_publish_requests_seconds_count/ && !/outcome="acknowledged"/ {bad+=$NF}
    /^redstats_publish_requests_seconds\{/ && /outcome="acknowledged"/ && /quantile="0.5"/ {a50=$NF * 1000}
    /^redstats_publish_requests_seconds\{/ && /outcome="acknowledged"/ && /quantile="0.99"/ {a99=$NF * 1000}
    # the Kafka client metrics of the producer (averages over its last 30 s); NaN or 0 is left out
    /^kafka_producer_records_per_request_avg\{/ {producer("rpr", $NF)}
    /^kafka_producer_batch_size_avg\{/ {producer("batch", $NF)}
    /^kafka_producer_request_latency_avg\{/ {producer("lat", $NF)}
    function producer(name, v) { if (v + 0 > 0) { sum[name] += v; n[name]++ } }
    END { printf "%s.requests_acknowledged=%d\n%s.requests_unconfirmed=%d\n", p, ok, p, bad
          printf "%s.ack_wait_p50_ms=%.1f\n%s.ack_wait_p99_ms=%.1f\n", p, a50, p, a99
          if (n["rpr"]) printf "%s.producer_records_per_request=%.1f\n", p, sum["rpr"] / n["rpr"]
          if (n["batch"]) printf "%s.producer_batch_bytes=%.0f\n", p, sum["batch"] / n["batch"]
          if (n["lat"]) printf "%s.producer_request_latency_ms=%.2f\n", p, sum["lat"] / n["lat"] }' \
    "$DIR/prometheus-$1.txt"
}
INGEST="http://127.0.0.1:$INGEST_PORT"
jit_seconds() { # PID...: seconds the JIT compilers of each of these JVMs have worked, one per line
  local pid
  for pid; do jstat -compiler "$pid" 2>/dev/null | awk 'NR == 2 {v = $4} END {print v + 0}'; done
}
warm_until_steady() { # PREFIX NAME=PID... -- COMMAND...: runs COMMAND (one window of load) until the JIT settles
  local prefix=$1 names=() pids=() start=$SECONDS before after window steady=no last=""
  shift
  while [[ $1 != -- ]]; do names+=("${1%%=*}"); pids+=("${1#*=}"); shift; done
  shift
  while ((SECONDS - start < WARM_MAX)); do
    before=$(jit_seconds "${pids[@]}")
    "$@" >/dev/null
    after=$(jit_seconds "${pids[@]}")
    # Per JVM, the JIT's seconds during this window ("node:0.12,broker:0.03"), then whether their
    # sum is under the limit.
    window=$(paste <(printf '%s\n' "${names[@]}") <(echo "$before") <(echo "$after") |
      awk -v limit="$(awk -v w="$WARM_WINDOW" -v s="$STEADY_JIT" 'BEGIN {print w * s}')" \
        '{printf "%s%s:%.2f", (NR > 1 ? "," : ""), $1, $3 - $2; d += $3 - $2}
        END {print " " (d < limit ? "yes" : "no")}')
    last=${window% *}
    if [[ ${window##* } == yes ]]; then
      steady=yes
      break
    fi
  done
  echo "$prefix.warmup_s=$((SECONDS - start))"
  echo "$prefix.warmup_jit_steady=$steady"
  echo "$prefix.warmup_last_jit_s=$last"
}

{
  echo "seconds=$WRK_SECONDS clients=$CLIENTS connections=$WRK_CONNECTIONS/$SATURATED_CONNECTIONS cores=$(nproc)"

  # 1. The HTTP path into Kafka, on a node with the dedup and the sink off: the ratio is about what
  #    POST /stats adds to Kafka's producer; the stages behind Kafka are measured by part 3. Both
  #    sides warm up first (a cold JIT says nothing about a running service), then they alternate
  #    (producer, HTTP, producer, HTTP) so a load spike from elsewhere hits both alike. The producer
  #    is one JVM that stays up between its windows; the HTTP side is wrk posting NDJSON batches
  #    (batch-events.lua), a client that costs the shared CPU little.
  start_ingest http --redstats.dedup.enabled=false --redstats.sink.enabled=false
  if [[ -n "${JFR:-}" ]]; then # JFR=1: CPU samples of the ingest node during parts 1 and 2
    jcmd "$INGEST_PID" JFR.start name=bench settings=profile filename="$DIR/ingest.jfr" >/dev/null
  fi
  coproc PRODUCER { exec java -Xmx512m -cp "$CP" "$HERE/IngestBench.java" producer \
    "127.0.0.1:$KAFKA_PORT" "$((2 * WRK_WARMUP))" 2>"$DIR/bench-producer.log"; }
  echo "$PRODUCER_PID" >"$DIR/producer.pid" # for cleanup: a failed run must not leave it waiting
  batch_wrk() { # SECONDS [--latency]
    wrk -t"$((CLIENTS < 2 ? CLIENTS : 2))" -c"$CLIENTS" -d"${1}s" --timeout 30s "${@:2}" \
      -s "$HERE/batch-events.lua" "$INGEST/stats"
  }
  producer_says() { # prints the producer's next protocol line ("bench:..."); its logs go to the log
    local line
    while read -r line <&"${PRODUCER[0]}"; do
      [[ $line == bench:* ]] && { echo "${line#bench:}"; return 0; }
      echo "$line" >>"$DIR/bench-producer.log"
    done
    echo "the producer baseline stopped:" >&2
    tail -20 "$DIR/bench-producer.log" >&2
    exit 1
  }
  batch_wrk "$((2 * WRK_WARMUP))" >/dev/null # twice a wrk warm-up: the node has just started
  [[ $(producer_says) == ready ]]
  echo "batch.connections=$CLIENTS"
  # The node's window is wrk alone: the producer loop's little code settles in its own warm-up
  # (its JIT worked 0.01 s in the last 10-second window of a run that alternated both), and with
  # the two alternating the node had half of WARM_MAX to settle and did not.
  warm_until_steady batch node="$INGEST_PID" broker="$KAFKA_PID" producer="$PRODUCER_PID" -- \
    batch_wrk "$WARM_WINDOW"
  for _ in 1 2; do
    echo "$WRK_SECONDS" >&"${PRODUCER[1]}"
    echo "batch.producer.events_per_s=$(producer_says)"
    out=$(batch_wrk "$WRK_SECONDS" --latency)
    echo "$out" >>"$DIR/wrk-batch.txt"
    # Only batches answered 202 count: wrk counts every response in its requests/s.
    echo "batch.http.events_per_s=$(echo "$out" | wrk_2xx_per_s 1000)"
    echo "batch.http.p50=$(echo "$out" | awk '$1=="50%" {print $2}')"
    echo "batch.http.p99=$(echo "$out" | awk '$1=="99%" {print $2}')"
    echo "batch.http.non_2xx=$(echo "$out" | wrk_non_2xx)"
  done
  exec {PRODUCER[1]}>&-
  wait "$PRODUCER_PID" || true
  publish_metrics batch.publish

  # 2. Single-event path: the same wrk load against POST /stats and against the no-op endpoint of
  #    the same server (same security, same body reading); warm-up first, then alternating runs so
  #    a load spike from elsewhere on the machine hits both alike. Twice: with WRK_CONNECTIONS
  #    (16: a 202 waits for its Kafka acknowledgement, so this is bound by that latency) and with
  #    SATURATED_CONNECTIONS (enough requests in flight that both endpoints are bound by CPU: the
  #    capacity of the node, concurrent requests sharing produce requests).
  single_warmup() { # SECONDS CONNECTIONS: the no-op, then POST /stats, under single-event load
    local path
    for path in bench/noop stats; do
      wrk -t2 -c"$2" -d"${1}s" -s "$HERE/single-event.lua" "$INGEST/$path" >/dev/null
    done
  }
  single_runs() { # PREFIX CONNECTIONS
    local prefix=$1 conns=$2 path out name
    single_warmup "$WRK_WARMUP" "$conns"
    echo "$prefix.connections=$conns"
    warm_until_steady "$prefix" node="$INGEST_PID" broker="$KAFKA_PID" -- \
      single_warmup "$WARM_WINDOW" "$conns"
    for path in bench/noop stats bench/noop stats; do
      out=$(wrk -t2 -c"$conns" -d"${WRK_SECONDS}s" --latency -s "$HERE/single-event.lua" "$INGEST/$path")
      name=$([[ $path == stats ]] && echo stats || echo noop)
      echo "$out" >>"$DIR/wrk-$prefix-$name.txt"
      # Only requests answered 2xx count: wrk's Requests/sec counts every response.
      echo "$prefix.$name.requests_per_s=$(echo "$out" | wrk_2xx_per_s 1)"
      echo "$prefix.$name.p50=$(echo "$out" | awk '$1=="50%" {print $2}')"
      echo "$prefix.$name.p99=$(echo "$out" | awk '$1=="99%" {print $2}')"
      echo "$prefix.$name.non_2xx=$(echo "$out" | wrk_non_2xx)"
    done
  }
  single_runs single "$WRK_CONNECTIONS"
  publish_metrics single.publish # cumulative: batch and single parts together
  single_runs single_saturated "$SATURATED_CONNECTIONS"
  publish_metrics single_saturated.publish
  [[ -n "${JFR:-}" ]] && jcmd "$INGEST_PID" JFR.stop name=bench >/dev/null
  stop_ingest

  # 3. Freshness on a node running everything (dedup and sink), on a broker of its own: parts 1-2
  #    leave millions of records in the raw topic, and a node on that broker worked them off for
  #    minutes (165 s after a 20-second run) before the figure could be taken. ClickHouse is
  #    still empty: those parts ran without the sink. 50 events/s need no peak throughput, so this
  #    broker has the quick-start C1 JIT (its C2 would compile during the measurement).
  "$ROOT/deploy/local/kafka.sh" stop "$DIR/kafka" >&2
  KAFKA_PORT=$(free_port); KAFKA_CONTROLLER=$(free_port)
  "$ROOT/deploy/local/kafka.sh" start "$DIR/kafka-fresh" "$KAFKA_PORT" "$KAFKA_CONTROLLER" >&2
  rm -rf "$DIR/dedup-state"
  start_ingest full
  java -Xmx512m -cp "$CP" "$HERE/IngestBench.java" freshness "$INGEST" "$TOKEN" \
    "http://127.0.0.1:$CH_HTTP" redstats "$FRESHNESS_EVENTS" 2>"$DIR/bench-freshness.log" \
    | grep -E '^[a-z0-9_.]+='
  stop_ingest
} | tee "$DIR/results.txt"

awk -F= '$1 == "batch.producer.events_per_s" {p += $2; n++} $1 == "batch.http.events_per_s" {h += $2}
  END { if (p > 0) printf "batch.producer_events_per_s=%.0f\nbatch.http_events_per_s=%.0f\nbatch.ratio=%.2f\n",
    p / n, h / n, h / p }' "$DIR/results.txt" | tee -a "$DIR/results.txt"
for prefix in single single_saturated; do
  awk -F= -v p="$prefix" '$1 == p ".stats.requests_per_s" {s+=$2} $1 == p ".noop.requests_per_s" {n+=$2}
    END { if (n > 0) printf "%s.ratio=%.2f\n", p, s / n }' "$DIR/results.txt" | tee -a "$DIR/results.txt"
done
echo "results and logs: $DIR" >&2
