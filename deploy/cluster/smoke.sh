#!/usr/bin/env bash
# Smoke check of a running cluster topology, from this machine's shell over the bridge:
#  Kafka:      every broker answers on its address; a topic with RF 3 / min ISR 2 gets all replicas
#              in sync; records written with acks=all are read back (smoke/KafkaSmoke.java);
#              __consumer_offsets has RF 3 / min ISR 2.
#  ZooKeeper:  every member answers, one leader.
#  ClickHouse: every server answers SELECT 1 on its address; ReplicatedMergeTree + Distributed
#              tables created ON CLUSTER; a row inserted on one replica appears on its peer; the
#              Distributed table reads each row once; a synchronous insert through the Distributed
#              table is spread over both shards. Everything it creates is dropped again.
# Prints one line per check; exits non-zero at the first failure.
set -euo pipefail
SCRIPT_NAME=cluster/smoke.sh
USAGE=""
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

[[ $# -eq 0 ]] || usage_die
# Replication of a part between two replicas: about a second when idle, more on a busy machine.
REPLICATION_TIMEOUT_SECONDS=${REPLICATION_TIMEOUT_SECONDS:-60}
DB=redstats_smoke

ok() { echo "ok   $*"; }
fail() {
  echo "FAIL $*"
  exit 1
}

# Runs a statement on ADDR; fails with ClickHouse's message when it answers with an exception.
ch_run() {
  local addr="$1" sql="$2" out
  out="$(CH_QUERY_TIMEOUT=200 ch_query "$addr" "$sql" 2>&1)" || fail "$addr: $sql: $out"
  [[ "$out" != *Exception* ]] || fail "$addr: $sql: $out"
  printf '%s' "$out"
}

check_zookeeper() {
  local h modes=() mode leaders=0
  for h in "${ZK_HOSTS[@]}"; do
    mode="$(zk_mode "$(host_addr "$h")")"
    [[ -n "$mode" ]] || fail "ZooKeeper $(host_name "$h") ($(host_addr "$h"):$ZK_CLIENT_PORT) does not answer"
    [[ "$mode" == leader ]] && leaders=$((leaders + 1))
    modes+=("$(host_name "$h")=$mode")
  done
  ((leaders == 1)) || fail "ZooKeeper has $leaders leaders: ${modes[*]}"
  ok "ZooKeeper ensemble: ${modes[*]}"
}

check_kafka() {
  local bootstrap h addrs=()
  for h in "${KAFKA_HOSTS[@]}"; do addrs+=("$(host_addr "$h"):$KAFKA_CLIENT_PORT"); done
  bootstrap="$(IFS=,; echo "${addrs[*]}")"
  # The Java launcher compiles the single source file against the broker's own client jars.
  java -XX:TieredStopAtLevel=1 -Xmx256m -cp "$(cat "$REDSTATS_HOME/kafka.classpath")" \
    "$CLUSTER_DIR_OF_SCRIPTS/smoke/KafkaSmoke.java" "$bootstrap" || fail "Kafka smoke check"
}

# Waits until SQL on ADDR prints EXPECTED.
await_answer() {
  local addr="$1" sql="$2" expected="$3" what="$4"
  local deadline=$((SECONDS + REPLICATION_TIMEOUT_SECONDS)) out=""
  while ((SECONDS < deadline)); do
    out="$(ch_query "$addr" "$sql" 2>/dev/null || true)"
    [[ "$out" == "$expected" ]] && return 0
    sleep 0.2
  done
  fail "$what: $sql on $addr gave '$out', expected '$expected' within ${REPLICATION_TIMEOUT_SECONDS}s"
}

# "ch-s1r1=9 ch-s1r2=9 ..." : rows of the Distributed insert on each server.
distributed_counts() {
  local h out=()
  for h in "${CH_HOSTS[@]}"; do
    out+=("$(host_name "$h")=$(ch_query "$(host_addr "$h")" \
      "SELECT count() FROM $DB.events_local WHERE origin = 'distributed'" 2>/dev/null || echo '?')")
  done
  echo "${out[*]}"
}

# True when every server holds some rows and both replicas of a shard hold the same number.
spread_over_shards() {
  local pair name count
  declare -A by_shard=()
  for pair in $1; do
    name="${pair%%=*}"
    count="${pair#*=}"
    [[ "$count" =~ ^[1-9][0-9]*$ ]] || return 1
    if [[ -n "${by_shard[${name:4:1}]:-}" && "${by_shard[${name:4:1}]}" != "$count" ]]; then return 1; fi
    by_shard[${name:4:1}]="$count"
  done
}

check_clickhouse() {
  local h addr
  for h in "${CH_HOSTS[@]}"; do
    addr="$(host_addr "$h")"
    [[ "$(ch_query "$addr" "SELECT 1" 2>&1)" == "1" ]] || fail "ClickHouse $(host_name "$h") ($addr) does not answer SELECT 1"
    ok "ClickHouse $(host_name "$h") http://$addr:$CH_HTTP_PORT answers SELECT 1"
  done

  local first run zk_path
  first="$(host_addr "${CH_HOSTS[0]}")"
  # A path of its own per run: no replica metadata of an earlier run can get in the way.
  run="$(date +%s)"
  zk_path="/clickhouse/tables/{shard}/${DB}_$run/events_local"
  ch_run "$first" "DROP DATABASE IF EXISTS $DB ON CLUSTER $CH_CLUSTER" >/dev/null
  ch_run "$first" "CREATE DATABASE $DB ON CLUSTER $CH_CLUSTER" >/dev/null
  ch_run "$first" "CREATE TABLE $DB.events_local ON CLUSTER $CH_CLUSTER (id UInt64, origin String)
    ENGINE = ReplicatedMergeTree('$zk_path', '{replica}') ORDER BY id" >/dev/null
  ch_run "$first" "CREATE TABLE $DB.events ON CLUSTER $CH_CLUSTER (id UInt64, origin String)
    ENGINE = Distributed($CH_CLUSTER, $DB, events_local, id)" >/dev/null
  ok "ReplicatedMergeTree $DB.events_local and Distributed $DB.events created ON CLUSTER $CH_CLUSTER"

  # Per shard: insert on its first replica, read it on the second.
  local shard writer reader id=0 shards=0
  for shard in $(for h in "${CH_HOSTS[@]}"; do n="$(host_name "$h")"; echo "${n:4:1}"; done | sort -u); do
    writer="" reader=""
    for h in "${CH_HOSTS[@]}"; do
      local n
      n="$(host_name "$h")"
      [[ "${n:4:1}" == "$shard" ]] || continue
      if [[ -z "$writer" ]]; then writer="$h"; else reader="$h"; fi
    done
    id=$((id + 1))
    shards=$((shards + 1))
    ch_run "$(host_addr "$writer")" "INSERT INTO $DB.events_local VALUES ($id, '$(host_name "$writer")')" >/dev/null
    await_answer "$(host_addr "$reader")" "SELECT origin FROM $DB.events_local WHERE id = $id" \
      "$(host_name "$writer")" "replication in shard $shard"
    ok "shard $shard: row inserted on $(host_name "$writer") is read on $(host_name "$reader")"
  done

  local last
  last="$(host_addr "${CH_HOSTS[${#CH_HOSTS[@]} - 1]}")"
  [[ "$(ch_query "$last" "SELECT count() FROM $DB.events")" == "$shards" ]] ||
    fail "the Distributed table on $last counts $(ch_query "$last" "SELECT count() FROM $DB.events") rows, not $shards"
  ok "Distributed $DB.events on $(host_name "${CH_HOSTS[${#CH_HOSTS[@]} - 1]}") reads each of the $shards rows once"

  ch_run "$first" "INSERT INTO $DB.events SELECT number + 100, 'distributed' FROM system.numbers LIMIT 20
    SETTINGS insert_distributed_sync = 1" >/dev/null
  # One replica per shard takes the insert; its peer fetches the part: wait until every replica
  # holds rows and the two replicas of a shard hold the same.
  local deadline=$((SECONDS + REPLICATION_TIMEOUT_SECONDS)) counts total
  while true; do
    counts="$(distributed_counts)"
    total="$(ch_query "$last" "SELECT count() FROM $DB.events WHERE origin = 'distributed'" 2>/dev/null || true)"
    if [[ "$total" == 20 ]] && spread_over_shards "$counts"; then break; fi
    ((SECONDS < deadline)) ||
      fail "20 rows inserted through the Distributed table: $total read back, per server: $counts"
    sleep 0.2
  done
  ok "20 rows inserted through Distributed $DB.events, per server: $counts"

  ch_run "$first" "DROP DATABASE IF EXISTS $DB ON CLUSTER $CH_CLUSTER" >/dev/null
}

main() {
  check_zookeeper
  check_kafka
  check_clickhouse
  ok "cluster smoke check passed"
}

main
