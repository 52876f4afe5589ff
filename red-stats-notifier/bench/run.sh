#!/usr/bin/env bash
# Alert throughput and latency of one notifier node, measured at real WebSocket clients.
#   bench/run.sh [SUBSCRIBERS] [EVENTS_PER_SECOND] [SECONDS] [CLIENT_IDS]
# Starts Kafka and PostgreSQL through red-stats-test-support, the packaged node as its own JVM
# (full JIT, 1 GB heap), opens the connections at a bounded rate, and prints key=value lines:
# alerts_per_s, latency_p50_ms, latency_p99_ms, heap_per_connection_bytes, ... (see the README).
# BENCH_OPTS passes system properties: -Dbench.connect-rate=1000 -Dbench.jfr=node.jfr
# -Dbench.node-jvm="-XX:+UseParallelGC". The node starts with class data sharing (about half the
# CPU of a start; the first run of a new jar records the archive before it stops, see
# ServiceProcess): BENCH_CDS=false starts it from the jar. NOTIFIER_JAR=path runs another build of
# the node (an A/B comparison) with the same benchmark classes.
set -euo pipefail
module="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$module/.." && pwd)"
cd "$root"
if [[ "${BENCH_SKIP_BUILD:-}" != 1 ]]; then
  # Through the reactor (-am): the project's modules resolve to their target/ jars, not ~/.m2.
  # outputFile is relative: each module of the reactor writes its own target/ file.
  mvn -B -q -pl red-stats-notifier -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
fi
# A new jar's extraction for class data sharing overlaps the servers' start-up.
if [[ "${BENCH_CDS:-true}" == true ]]; then
  ROOT="$root"
  source "$root/bench/lib.sh"
  bench_cds_extract red-stats-notifier &
fi
# shellcheck disable=SC2086 # BENCH_OPTS is a list of options
exec java -Xmx1g -XX:+UseParallelGC ${BENCH_OPTS:-} \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")" \
  -Dnotifier.jar="${NOTIFIER_JAR:-$(ls "$module"/target/red-stats-notifier-*.jar | grep -v original | head -1)}" \
  -Dredstats.root="$root" -Dredstats.home="$root/.redstats" -Dredstats.service.cds="${BENCH_CDS:-true}" \
  io.redstats.notifier.bench.AlertBenchmark "$@"
