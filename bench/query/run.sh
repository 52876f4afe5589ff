#!/usr/bin/env bash
# GET /stats vs a plain SQL scan of the raw table, on generated events.
#
#   bench/query/run.sh [--clickhouse-http URL] [--events N] [--iterations K] [--api-warmup R] [--quick] [--load-only]
#
# --quick: 1 000 000 events, 10 iterations, 300 warm-up requests (under a minute once loaded;
# checks the bench works). --api-warmup R: requests that warm the api up first (default 1000).
# --load-only: load (or find) the events, print the table sizes, stop.
# ClickHouse: --clickhouse-http, else REDSTATS_CLICKHOUSE_URL from .redstats/local.env (./redstats up),
# else http://127.0.0.1:8123. Uses (and keeps) the database bench_query_<N>; loading is skipped
# when it already holds N events. Starts its own api jar on a free port and stops it at the end.
# Writes bench/query/results.md (a --quick run: a temporary file, so the recorded run stays) and
# prints KEY=VALUE lines after the line "--- query bench keys ---" (see README.md).
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
EVENTS=100000000
ITERATIONS=30
CLICKHOUSE_HTTP=""
LOAD_ONLY=false
REPORT=""
API_WARMUP=1000
COMMAND="bench/query/run.sh $*"
while [ $# -gt 0 ]; do
  case "$1" in
    --clickhouse-http) CLICKHOUSE_HTTP="$2"; shift 2 ;;
    --events) EVENTS="$2"; shift 2 ;;
    --iterations) ITERATIONS="$2"; shift 2 ;;
    --api-warmup) API_WARMUP="$2"; shift 2 ;;
    --load-only) LOAD_ONLY=true; shift ;;
    --quick) EVENTS=1000000; ITERATIONS=10; API_WARMUP=300; REPORT="${TMPDIR:-/tmp}/query-bench-quick.md"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
if [ -z "$CLICKHOUSE_HTTP" ] && [ -f "$ROOT/.redstats/local.env" ]; then
  CLICKHOUSE_HTTP="$(grep '^REDSTATS_CLICKHOUSE_URL=' "$ROOT/.redstats/local.env" | cut -d= -f2- || true)"
fi
CLICKHOUSE_HTTP="${CLICKHOUSE_HTTP:-http://127.0.0.1:8123}"

cd "$ROOT"
JAR="$(ls red-stats-api/target/red-stats-api-*.jar 2>/dev/null | grep -v plain | head -1 || true)"
if [ -z "$JAR" ]; then
  mvn -B -q -pl red-stats-api -am package -DskipTests
  JAR="$(ls red-stats-api/target/red-stats-api-*.jar | grep -v plain | head -1)"
fi
# The classpath, resolved again only when a pom changed since the last run.
source "$ROOT/bench/lib.sh"
CP_FILE="$(bench_classpath red-stats-api)"
# The api starts with class data sharing when the other benches left an archive for this jar.
API_LAUNCH="$(bench_cds_launch red-stats-api "$JAR")"
[ -n "$API_LAUNCH" ] && echo "api: class data sharing (${API_LAUNCH%% *})" >&2
java -Xmx1g -Dbench.api-launch="$API_LAUNCH" -Dbench.api-warmup="$API_WARMUP" -cp "$(cat "$CP_FILE")" bench/query/QueryBench.java \
  "$CLICKHOUSE_HTTP" "$EVENTS" "$ITERATIONS" "$ROOT/$JAR" "${REPORT:-$ROOT/bench/query/results.md}" "$LOAD_ONLY" "$COMMAND"
