#!/usr/bin/env bash
# Alert throughput and latency of one notifier node, measured at real WebSocket clients.
#   bench/run.sh [SUBSCRIBERS] [EVENTS_PER_SECOND] [SECONDS] [CLIENT_IDS]
# Starts Kafka and PostgreSQL through red-stats-test-support, the packaged node as its own JVM,
# and prints alerts/s, event-to-alert latency percentiles and the node's heap per connection.
set -euo pipefail
module="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
root="$(cd "$module/.." && pwd)"
cd "$root"
mvn -B -q -pl red-stats-notifier package -DskipTests
mvn -B -q -pl red-stats-notifier test-compile dependency:build-classpath \
  -Dmdep.outputFile="$module/target/bench.classpath" -Dmdep.includeScope=test
exec java -Xmx2g \
  -cp "$module/target/test-classes:$module/target/classes:$(cat "$module/target/bench.classpath")" \
  -Dnotifier.jar="$(ls "$module"/target/red-stats-notifier-*.jar | grep -v original | head -1)" \
  -Dredstats.root="$root" -Dredstats.home="$root/.redstats" \
  io.redstats.notifier.bench.AlertBenchmark "$@"
