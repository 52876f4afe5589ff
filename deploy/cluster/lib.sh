# Shared definitions of the cluster topology for deploy/cluster/*.sh. Sourced, not executed.
#
# Every part runs on a "host" of its own: a Linux network namespace with one address on a bridge
# that up.sh creates. The machine's own shell reaches every host over the bridge; the namespaces
# have no default route, so they reach nothing but each other.

# The process helpers (pid files, bounded waits, stop by PID) of the single-node scripts.
source "$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/../local/lib.sh"

CLUSTER_DIR_OF_SCRIPTS="$REPO_ROOT/deploy/cluster"
CLUSTER_HOME="$REDSTATS_HOME/cluster"
CLUSTER_ENV="$REDSTATS_HOME/cluster.env"

# A /24 used only for these namespaces (first three octets). The bridge takes .1.
SUBNET="${REDSTATS_CLUSTER_SUBNET:-10.218.0}"
BRIDGE="rsc-br0"
NS_PREFIX="rsc-"

# How long one host may take to answer after start (overrides the single-node 60 s of
# ../local/lib.sh): ten servers start at once, on 2 cores that others use too.
START_TIMEOUT_SECONDS=${REDSTATS_CLUSTER_START_TIMEOUT_SECONDS:-240}

ZK_CLIENT_PORT=2181
ZK_PEER_PORT=2888
ZK_ELECTION_PORT=3888
KAFKA_CLIENT_PORT=9092
KAFKA_CONTROLLER_PORT=9093
KAFKA_REPLICATION_PORT=9094
CH_HTTP_PORT=8123
CH_TCP_PORT=9000
CH_INTERSERVER_PORT=9009
CH_CLUSTER=redstats

# name:last-octet. ClickHouse hosts are named ch-s<shard>r<replica>.
ZK_HOSTS=(zk1:11 zk2:12 zk3:13)
KAFKA_HOSTS=(kafka1:21 kafka2:22 kafka3:23)
CH_HOSTS=(ch-s1r1:31 ch-s1r2:32 ch-s2r1:33 ch-s2r2:34)
ALL_HOSTS=("${ZK_HOSTS[@]}" "${KAFKA_HOSTS[@]}" "${CH_HOSTS[@]}")

# Small heaps: ten servers share 2 cores and the machine with other work. C1 only: a JVM starts
# in about a third of the time on a busy machine (as deploy/local/kafka.sh).
KAFKA_HEAP_OPTS=${KAFKA_HEAP_OPTS:-"-Xms256m -Xmx512m"}
ZK_HEAP_OPTS=${ZK_HEAP_OPTS:-"-Xms64m -Xmx256m"}
JIT_OPTS=${JIT_OPTS--XX:TieredStopAtLevel=1}

host_name() { echo "${1%%:*}"; }
host_addr() { echo "$SUBNET.${1##*:}"; }
ns_of() { echo "$NS_PREFIX$1"; }
dir_of() { echo "$CLUSTER_HOME/$1"; }

require_root() {
  [[ "$(id -u)" -eq 0 ]] || die "network namespaces need root (ip netns); run as root"
  command -v ip >/dev/null || die "iproute2 (ip) is not installed"
}

require_subnet() {
  [[ "$SUBNET" =~ ^(10|172|192)\.[0-9]{1,3}\.[0-9]{1,3}$ ]] ||
    die "REDSTATS_CLUSTER_SUBNET must be the first three octets of a private /24, e.g. 10.218.0"
}

# Fails when an interface that is not ours already has an address in SUBNET, or a route to it
# leaves through one: the namespaces must not shadow or reach a network that exists here.
require_subnet_unused() {
  local line dev
  while read -r line; do
    dev="$(awk '{for (i = 1; i < NF; i++) if ($i == "dev") print $(i + 1)}' <<<"$line")"
    [[ "$dev" == "$BRIDGE" ]] && continue
    die "$SUBNET.0/24 is already routed here ($line); choose another REDSTATS_CLUSTER_SUBNET"
  done < <(ip -4 route show | grep -F "$SUBNET." || true)
}

ns_exists() { ip netns list | awk '{print $1}' | grep -qx "$1"; }

link_exists() { ip link show "$1" >/dev/null 2>&1; }

# True when ADDR:PORT accepts TCP connections (from the machine's own shell, over the bridge).
tcp_open() {
  (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# A ZooKeeper four-letter word; prints the answer.
zk_ask() {
  local addr="$1" word="$2"
  timeout 3 bash -c 'exec 3<>"/dev/tcp/$0/$1" && printf "%s" "$2" >&3 && cat <&3' \
    "$addr" "$ZK_CLIENT_PORT" "$word" 2>/dev/null
}

zk_mode() { zk_ask "$1" srvr | sed -n 's/^Mode: //p'; }

ch_query() {
  local addr="$1" query="$2"
  curl -sS --max-time "${CH_QUERY_TIMEOUT:-30}" --data-binary "$query" "http://$addr:$CH_HTTP_PORT/"
}

ch_answers() { [[ "$(ch_query "$1" "SELECT 1" 2>/dev/null)" == "1" ]]; }

# Renders TEMPLATE into OUT, replacing only the ${VARS} listed (exported by the caller).
render() {
  local template="$1" out="$2" vars="$3"
  envsubst "$vars" <"$CLUSTER_DIR_OF_SCRIPTS/templates/$template" >"$out"
}
