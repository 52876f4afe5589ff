#!/usr/bin/env bash
# Starts the cluster topology on this machine, each part on a host (network namespace) of its own:
# a ZooKeeper ensemble of 3, Kafka 3 brokers (KRaft, 3 controller voters), ClickHouse 2 shards x
# 2 replicas. Then runs smoke.sh unless --no-smoke. Needs root (ip netns).
#   up.sh [--no-smoke]
set -euo pipefail
SCRIPT_NAME=cluster/up.sh
USAGE="[--no-smoke]"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SMOKE=1
for arg in "$@"; do
  case "$arg" in
    --no-smoke) SMOKE=0 ;;
    *) usage_die ;;
  esac
done

# --- prerequisites ---------------------------------------------------------------------------

# Same as resolve_kafka_classpath in ../local/install.sh, for zookeeper/pom.xml.
resolve_zookeeper_classpath() {
  local file="$REDSTATS_HOME/zookeeper.classpath" pom="$CLUSTER_DIR_OF_SCRIPTS/zookeeper/pom.xml"
  if [[ -s "$file" && "$file" -nt "$pom" ]] && tr ':' '\n' <"$file" | xargs -r ls >/dev/null 2>&1; then
    return 0
  fi
  log "resolving the ZooKeeper server classpath with Maven"
  mvn -B -q -f "$pom" dependency:build-classpath -Dmdep.outputFile="$file" >&2
}

install_prerequisites() {
  # ClickHouse and the Kafka broker classpath, exactly as the single-node stack gets them.
  "$REPO_ROOT/deploy/local/install.sh"
  resolve_zookeeper_classpath
  command -v envsubst >/dev/null || die "envsubst (Debian gettext-base) is not installed"
}

# --- network ---------------------------------------------------------------------------------

make_network() {
  if ! link_exists "$BRIDGE"; then
    require_subnet_unused
    ip link add "$BRIDGE" type bridge
    ip addr add "$SUBNET.1/24" dev "$BRIDGE"
  fi
  ip link set "$BRIDGE" up
  local h name ns
  for h in "${ALL_HOSTS[@]}"; do
    name="$(host_name "$h")"
    ns="$(ns_of "$name")"
    ns_exists "$ns" || ip netns add "$ns"
    if ! link_exists "$ns"; then
      # The host side carries the namespace's name; the namespace side is its eth0.
      ip link add "$ns" type veth peer name eth0 netns "$ns"
      ip link set "$ns" master "$BRIDGE"
      ip -n "$ns" addr add "$(host_addr "$h")/24" dev eth0
    fi
    ip link set "$ns" up
    ip -n "$ns" link set lo up
    ip -n "$ns" link set eth0 up
  done
}

# --- ZooKeeper -------------------------------------------------------------------------------

zk_servers_lines() {
  local h i=1
  for h in "${ZK_HOSTS[@]}"; do
    echo "server.$i=$(host_addr "$h"):$ZK_PEER_PORT:$ZK_ELECTION_PORT"
    i=$((i + 1))
  done
}

start_zookeeper() {
  local h="$1" id="$2" name dir
  name="$(host_name "$h")"
  dir="$(dir_of "$name")"
  is_running "$dir" && return 0
  mkdir -p "$dir/data"
  echo "$id" >"$dir/data/myid"
  export DIR="$dir" ADDR ZK_ID="$id" ZK_CLIENT_PORT ZK_SERVERS
  ADDR="$(host_addr "$h")"
  ZK_SERVERS="$(zk_servers_lines)"
  render zoo.cfg "$dir/zoo.cfg" '${DIR} ${ADDR} ${ZK_ID} ${ZK_CLIENT_PORT} ${ZK_SERVERS}'
  cp "$CLUSTER_DIR_OF_SCRIPTS/templates/log4j2.properties" "$dir/log4j2.properties"
  if [[ -f "$dir/zookeeper.log" ]]; then mv -f "$dir/zookeeper.log" "$dir/zookeeper.previous.log.txt"; fi
  # shellcheck disable=SC2086
  spawn "$dir" "$dir/zookeeper.log" ip netns exec "$(ns_of "$name")" \
    java $ZK_HEAP_OPTS $JIT_OPTS -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$dir/log4j2.properties" \
    -cp "$(cat "$REDSTATS_HOME/zookeeper.classpath")" \
    org.apache.zookeeper.server.quorum.QuorumPeerMain "$dir/zoo.cfg"
}

zk_in_quorum() {
  local mode
  mode="$(zk_mode "$1")"
  [[ "$mode" == leader || "$mode" == follower ]]
}

# --- Kafka -----------------------------------------------------------------------------------

kafka_voters() {
  local h i=1 voters=()
  for h in "${KAFKA_HOSTS[@]}"; do
    voters+=("$i@$(host_addr "$h"):$KAFKA_CONTROLLER_PORT")
    i=$((i + 1))
  done
  local IFS=,
  echo "${voters[*]}"
}

# One KRaft cluster id for all three nodes, kept so a restart finds the same cluster.
# 16 random bytes, URL-safe base64 without padding (as ../local/kafka.sh).
kafka_cluster_id() {
  local file="$CLUSTER_HOME/kafka-cluster-id"
  if [[ ! -s "$file" ]]; then
    head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n' >"$file"
  fi
  cat "$file"
}

kafka_java_opts() {
  local dir="$1"
  # shellcheck disable=SC2086
  echo $KAFKA_HEAP_OPTS -XX:+UseG1GC -XX:MaxGCPauseMillis=20 $JIT_OPTS -Djava.awt.headless=true \
    "-Dlog4j2.configurationFile=$dir/log4j2.properties" "-Dkafka.logs.dir=$dir"
}

configure_kafka() {
  local h="$1" id="$2" name dir
  name="$(host_name "$h")"
  dir="$(dir_of "$name")"
  is_running "$dir" && return 0
  mkdir -p "$dir/data"
  export DIR="$dir" ADDR NODE_ID="$id" VOTERS VOTER_COUNT="${#KAFKA_HOSTS[@]}" \
    KAFKA_CLIENT_PORT KAFKA_CONTROLLER_PORT KAFKA_REPLICATION_PORT
  ADDR="$(host_addr "$h")"
  VOTERS="$(kafka_voters)"
  render kafka-server.properties "$dir/server.properties" \
    '${DIR} ${ADDR} ${NODE_ID} ${VOTERS} ${VOTER_COUNT} ${KAFKA_CLIENT_PORT} ${KAFKA_CONTROLLER_PORT} ${KAFKA_REPLICATION_PORT}'
  cp "$CLUSTER_DIR_OF_SCRIPTS/templates/log4j2.properties" "$dir/log4j2.properties"
  if [[ -f "$dir/kafka.log" ]]; then mv -f "$dir/kafka.log" "$dir/kafka.previous.log.txt"; fi
  [[ -f "$dir/data/meta.properties" ]] && return 0
  # shellcheck disable=SC2046
  java $(kafka_java_opts "$dir") -cp "$(cat "$REDSTATS_HOME/kafka.classpath")" \
    kafka.tools.StorageTool format --cluster-id="$(kafka_cluster_id)" -c "$dir/server.properties" \
    >>"$dir/kafka.log" 2>&1 || { show_logs "$dir"; die "$name: formatting the KRaft storage failed"; }
}

start_kafka() {
  local h="$1" name dir
  name="$(host_name "$h")"
  dir="$(dir_of "$name")"
  is_running "$dir" && return 0
  # shellcheck disable=SC2046
  spawn "$dir" "$dir/kafka.log" ip netns exec "$(ns_of "$name")" \
    java $(kafka_java_opts "$dir") -cp "$(cat "$REDSTATS_HOME/kafka.classpath")" \
    kafka.Kafka "$dir/server.properties"
}

kafka_started() {
  local dir="$1" addr="$2"
  grep -q "Kafka Server started" "$dir/kafka.log" && tcp_open "$addr" "$KAFKA_CLIENT_PORT"
}

# --- ClickHouse ------------------------------------------------------------------------------

PACKAGED_CONFIG_DIR=${CLICKHOUSE_CONFIG_DIR:-/etc/clickhouse-server}
# The packaged mark cache is 5 GiB; allocated on demand, but four servers share the machine.
MARK_CACHE_BYTES=268435456

zk_nodes_xml() {
  local h
  for h in "${ZK_HOSTS[@]}"; do
    printf '        <node><host>%s</host><port>%s</port></node>\n' "$(host_addr "$h")" "$ZK_CLIENT_PORT"
  done
}

# 2 shards x 2 replicas, from the ch-s<shard>r<replica> names.
ch_shards_xml() {
  local shard h name
  for shard in $(for h in "${CH_HOSTS[@]}"; do name="$(host_name "$h")"; echo "${name:4:1}"; done | sort -u); do
    printf '            <shard>\n                <internal_replication>true</internal_replication>\n'
    for h in "${CH_HOSTS[@]}"; do
      name="$(host_name "$h")"
      [[ "${name:4:1}" == "$shard" ]] || continue
      printf '                <replica><host>%s</host><port>%s</port></replica>\n' "$(host_addr "$h")" "$CH_TCP_PORT"
    done
    printf '            </shard>\n'
  done
}

# The packaged config.xml with paths into DIR (as ../local/clickhouse.sh), and config.d/ with the
# cluster: listen address, interserver host, macros, ZooKeeper and remote_servers.
start_clickhouse() {
  local h="$1" name dir
  name="$(host_name "$h")"
  dir="$(dir_of "$name")"
  is_running "$dir" && return 0
  mkdir -p "$dir/data" "$dir/config.d"
  cp "$PACKAGED_CONFIG_DIR/users.xml" "$dir/users.xml"
  sed -E \
    -e "s#/var/lib/clickhouse/#$dir/data/#g" \
    -e "s#/var/log/clickhouse-server/#$dir/#g" \
    -e "s#<http_port>[0-9]+</http_port>#<http_port>$CH_HTTP_PORT</http_port>#" \
    -e "s#<tcp_port>[0-9]+</tcp_port>#<tcp_port>$CH_TCP_PORT</tcp_port>#" \
    -e "s#<mark_cache_size>[0-9]+</mark_cache_size>#<mark_cache_size>$MARK_CACHE_BYTES</mark_cache_size>#" \
    -e "/^[[:space:]]*<(interserver_http_port|interserver_http_host|https_port|tcp_port_secure|mysql_port|postgresql_port|interserver_https_port|listen_host)>[^<]*<\/[a-z_]+>[[:space:]]*$/d" \
    "$PACKAGED_CONFIG_DIR/config.xml" >"$dir/config.xml"
  export HOST="$name" ADDR SHARD="${name:4:1}" REPLICA="$name" CH_INTERSERVER_PORT CH_CLUSTER \
    ZK_NODES CH_SHARDS
  ADDR="$(host_addr "$h")"
  ZK_NODES="$(zk_nodes_xml)"
  CH_SHARDS="$(ch_shards_xml)"
  render clickhouse-cluster.xml "$dir/config.d/cluster.xml" \
    '${HOST} ${ADDR} ${SHARD} ${REPLICA} ${CH_INTERSERVER_PORT} ${CH_CLUSTER} ${ZK_NODES} ${CH_SHARDS}'
  spawn "$dir" "$dir/clickhouse-stdout.log" ip netns exec "$(ns_of "$name")" \
    "$(command -v clickhouse-server)" --config-file="$dir/config.xml"
}

# --- where it is -----------------------------------------------------------------------------

join_hosts() {
  local format="$1" sep="$2" h out=()
  shift 2
  for h in "$@"; do
    # shellcheck disable=SC2059
    out+=("$(printf "$format" "$(host_addr "$h")")")
  done
  local IFS="$sep"
  echo "${out[*]}"
}

write_env() {
  local first_ch h name
  first_ch="$(host_addr "${CH_HOSTS[0]}")"
  # 0600: no secrets yet, but the credentials of the next steps (SASL, tokens) will be written here.
  rm -f "$CLUSTER_ENV.tmp"
  (umask 077 && : >"$CLUSTER_ENV.tmp")
  {
    echo "REDSTATS_CLUSTER_SUBNET=$SUBNET"
    echo "REDSTATS_KAFKA_BOOTSTRAP=$(join_hosts "%s:$KAFKA_CLIENT_PORT" , "${KAFKA_HOSTS[@]}")"
    echo "REDSTATS_ZOOKEEPER=$(join_hosts "%s:$ZK_CLIENT_PORT" , "${ZK_HOSTS[@]}")"
    echo "REDSTATS_CLICKHOUSE_CLUSTER=$CH_CLUSTER"
    echo "REDSTATS_CLICKHOUSE_URL=http://$first_ch:$CH_HTTP_PORT"
    echo "REDSTATS_CLICKHOUSE_URLS=$(join_hosts "http://%s:$CH_HTTP_PORT" , "${CH_HOSTS[@]}")"
    echo "REDSTATS_CLICKHOUSE_JDBC_URL=jdbc:clickhouse://$first_ch:$CH_HTTP_PORT/redstats?compress=0"
    for h in "${ALL_HOSTS[@]}"; do
      name="$(host_name "$h")"
      echo "REDSTATS_HOST_$(tr 'a-z-' 'A-Z_' <<<"$name")=$(host_addr "$h")"
    done
  } >>"$CLUSTER_ENV.tmp"
  mv "$CLUSTER_ENV.tmp" "$CLUSTER_ENV"
}

print_table() {
  local h name
  echo
  echo "  RED_STATS cluster topology (bridge $BRIDGE, $SUBNET.0/24; this machine is $SUBNET.1)"
  echo "  ---------------------------------------------------------------------------"
  printf '  %-9s %-12s %-14s %s\n' HOST ADDRESS NAMESPACE ENDPOINTS
  for h in "${ALL_HOSTS[@]}"; do
    name="$(host_name "$h")"
    local a
    a="$(host_addr "$h")"
    case "$name" in
      zk*) printf '  %-9s %-12s %-14s %s\n' "$name" "$a" "$(ns_of "$name")" "zookeeper $a:$ZK_CLIENT_PORT" ;;
      kafka*) printf '  %-9s %-12s %-14s %s\n' "$name" "$a" "$(ns_of "$name")" "kafka $a:$KAFKA_CLIENT_PORT (controller :$KAFKA_CONTROLLER_PORT)" ;;
      ch*) printf '  %-9s %-12s %-14s %s\n' "$name" "$a" "$(ns_of "$name")" "clickhouse http://$a:$CH_HTTP_PORT native :$CH_TCP_PORT shard ${name:4:1}" ;;
    esac
  done
  echo "  ---------------------------------------------------------------------------"
  sed 's/^/  /' "$CLUSTER_ENV" | grep -v REDSTATS_HOST_
  echo "  all of it:  $CLUSTER_ENV  (source it: set -a; . $CLUSTER_ENV; set +a)"
  echo "  stop:       deploy/cluster/down.sh  (--purge also deletes the data)"
  echo
}

# --- main ------------------------------------------------------------------------------------

main() {
  require_root
  require_subnet
  local started=$SECONDS
  install_prerequisites
  mkdir -p "$CLUSTER_HOME"
  make_network
  log "network ready: $BRIDGE with ${#ALL_HOSTS[@]} namespaces ($((SECONDS - started)) s)"

  local h i
  i=1
  for h in "${ZK_HOSTS[@]}"; do start_zookeeper "$h" "$i"; i=$((i + 1)); done
  for h in "${CH_HOSTS[@]}"; do start_clickhouse "$h"; done
  # Formatting runs a JVM per node: in parallel, then all three brokers start together (a KRaft
  # controller waits for a majority of the voters).
  local pids=() failed=0 p
  i=1
  for h in "${KAFKA_HOSTS[@]}"; do configure_kafka "$h" "$i" & pids+=($!); i=$((i + 1)); done
  for p in "${pids[@]}"; do wait "$p" || failed=1; done
  ((failed == 0)) || die "formatting Kafka storage failed"
  for h in "${KAFKA_HOSTS[@]}"; do start_kafka "$h"; done
  log "all processes spawned ($((SECONDS - started)) s); waiting for them to answer"

  for h in "${ZK_HOSTS[@]}"; do
    wait_until "$(dir_of "$(host_name "$h")")" "ZooKeeper $(host_name "$h")" zk_in_quorum "$(host_addr "$h")"
  done
  log "ZooKeeper quorum up ($((SECONDS - started)) s)"
  for h in "${CH_HOSTS[@]}"; do
    wait_until "$(dir_of "$(host_name "$h")")" "ClickHouse $(host_name "$h")" ch_answers "$(host_addr "$h")"
  done
  log "ClickHouse up ($((SECONDS - started)) s)"
  for h in "${KAFKA_HOSTS[@]}"; do
    wait_until "$(dir_of "$(host_name "$h")")" "Kafka $(host_name "$h")" \
      kafka_started "$(dir_of "$(host_name "$h")")" "$(host_addr "$h")"
  done
  log "Kafka up ($((SECONDS - started)) s)"
  write_env
  log "all ${#ALL_HOSTS[@]} hosts answer; up in $((SECONDS - started)) s"
  if ((SMOKE)); then
    local smoke_started=$SECONDS
    "$CLUSTER_DIR_OF_SCRIPTS/smoke.sh" || die "the smoke check failed; the cluster stays up to look at (down.sh stops it)"
    log "smoke check passed in $((SECONDS - smoke_started)) s"
  fi
  print_table
}

main
