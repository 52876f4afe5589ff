#!/usr/bin/env bash
# A single-node Kafka broker (KRaft: broker and controller in one JVM) on 127.0.0.1.
#   kafka.sh start DIR PORT CONTROLLER_PORT | stop DIR | status DIR
set -euo pipefail
SCRIPT_NAME=kafka.sh
USAGE="start DIR PORT CONTROLLER_PORT | stop DIR | status DIR"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Small heap: several brokers and services share 2 cores during a test run.
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:-"-Xms256m -Xmx512m"}
# C1 only: the broker starts in ~6 s instead of ~20 s on a busy 2-core box (measured); a local
# broker never needs C2's peak throughput. Set KAFKA_JIT_OPTS="" for a long benchmark.
KAFKA_JIT_OPTS=${KAFKA_JIT_OPTS--XX:TieredStopAtLevel=1}

kafka_classpath() {
  local file="$REDSTATS_HOME/kafka.classpath"
  if [[ ! -s "$file" ]]; then
    "$LIB_DIR/install.sh" >&2
  fi
  cat "$file"
}

write_config() {
  local dir="$1" port="$2" controller_port="$3"
  cat >"$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$controller_port
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
inter.broker.listener.name=PLAINTEXT
log.dirs=$dir/data
num.partitions=1
# One broker: internal topics cannot have more replicas than that. The transaction.state.log
# lines are what Kafka Streams exactly-once needs on a single broker.
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
group.initial.rebalance.delay.ms=0
auto.create.topics.enable=true
PROPS
  # Broker logs go to stdout, which spawn() appends to DIR/kafka.log.
  cat >"$dir/log4j2.properties" <<'PROPS'
status = warn
appender.console.type = Console
appender.console.name = STDOUT
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = info
rootLogger.appenderRef.stdout.ref = STDOUT
logger.kafka.name = kafka
logger.kafka.level = info
logger.org.name = org.apache.kafka
logger.org.level = info
PROPS
}

# A KRaft cluster id: 16 random bytes, URL-safe base64 without padding (what StorageTool random-uuid prints).
new_cluster_id() {
  head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n'
}

java_opts() {
  local dir="$1"
  # shellcheck disable=SC2086
  echo $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    $KAFKA_JIT_OPTS -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$dir/log4j2.properties" "-Dkafka.logs.dir=$dir"
}

format_storage() {
  local dir="$1" classpath="$2"
  [[ -f "$dir/data/meta.properties" ]] && return 0
  log "formatting KRaft storage in $dir/data"
  # shellcheck disable=SC2046
  java $(java_opts "$dir") -cp "$classpath" kafka.tools.StorageTool format \
    --cluster-id="$(new_cluster_id)" -c "$dir/server.properties" >>"$dir/kafka.log" 2>&1 ||
    { show_logs "$dir"; die "formatting the storage failed"; }
}

broker_started() {
  local dir="$1" port="$2"
  grep -q "Kafka Server started" "$dir/kafka.log" && port_in_use "$port"
}

do_start() {
  local dir="$1" port="${2:-}" controller_port="${3:-}"
  [[ -n "$port" && -n "$controller_port" ]] || usage_die
  require_free_port "$port"
  require_free_port "$controller_port"
  local classpath
  classpath="$(kafka_classpath)"
  mkdir -p "$dir/data"
  write_config "$dir" "$port" "$controller_port"
  # A fresh log per start, so the readiness check sees this start's line, not the last one's.
  if [[ -f "$dir/kafka.log" ]]; then mv -f "$dir/kafka.log" "$dir/kafka.previous.log.txt"; fi
  format_storage "$dir" "$classpath"
  # shellcheck disable=SC2046
  spawn "$dir" "$dir/kafka.log" java $(java_opts "$dir") -cp "$classpath" kafka.Kafka "$dir/server.properties"
  wait_until "$dir" "Kafka on 127.0.0.1:$port" broker_started "$dir" "$port"
  log "Kafka started on 127.0.0.1:$port (pid $(pid_of "$dir"), log $dir/kafka.log)"
}

do_stop() {
  stop_dir "$1" TERM
}

dispatch "$@"
