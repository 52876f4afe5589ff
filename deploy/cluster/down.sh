#!/usr/bin/env bash
# Stops every process up.sh started (by the PID in each host's directory) and deletes every
# namespace, veth and the bridge it made. Idempotent. Data stays for the next up.sh unless --purge.
#   down.sh [--purge]
set -euo pipefail
SCRIPT_NAME=cluster/down.sh
USAGE="[--purge]"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PURGE=0
for arg in "$@"; do
  case "$arg" in
    --purge) PURGE=1 ;;
    *) usage_die ;;
  esac
done

# Stops the hosts of one group in parallel (each: SIGTERM, wait, SIGKILL; see ../local/lib.sh).
stop_hosts() {
  local h dir pids=()
  for h in "$@"; do
    dir="$(dir_of "$(host_name "$h")")"
    [[ -d "$dir" ]] || continue
    stop_dir "$dir" TERM &
    pids+=($!)
  done
  local p
  for p in "${pids[@]}"; do wait "$p" || true; done
}

# A namespace of ours that still holds a process (one whose PID file was lost) cannot be deleted
# cleanly; those processes can only have been started by these scripts.
stop_leftovers() {
  local ns="$1" pid
  for pid in $(ip netns pids "$ns" 2>/dev/null); do
    log "process $pid ($(cat "/proc/$pid/comm" 2>/dev/null || echo '?')) still runs in $ns without a PID file; stopping it"
    kill -TERM "$pid" 2>/dev/null || true
  done
  local deadline=$((SECONDS + STOP_TIMEOUT_SECONDS))
  while ((SECONDS < deadline)) && [[ -n "$(ip netns pids "$ns" 2>/dev/null)" ]]; do sleep 0.2; done
  for pid in $(ip netns pids "$ns" 2>/dev/null); do kill -KILL "$pid" 2>/dev/null || true; done
}

delete_network() {
  local h ns
  for h in "${ALL_HOSTS[@]}"; do
    ns="$(ns_of "$(host_name "$h")")"
    if ns_exists "$ns"; then
      stop_leftovers "$ns"
      ip netns delete "$ns"
    fi
    # Deleting the namespace deletes its veth pair; this catches a pair left half-made.
    if link_exists "$ns"; then ip link delete "$ns"; fi
  done
  if link_exists "$BRIDGE"; then ip link delete "$BRIDGE"; fi
}

main() {
  require_root
  # ClickHouse first (it holds ZooKeeper sessions), Kafka, ZooKeeper last.
  stop_hosts "${CH_HOSTS[@]}"
  stop_hosts "${KAFKA_HOSTS[@]}"
  stop_hosts "${ZK_HOSTS[@]}"
  delete_network
  rm -f "$CLUSTER_ENV"
  if ((PURGE)); then
    rm -rf "$CLUSTER_HOME"
    log "stopped; network and data deleted"
  else
    log "stopped; network deleted, data kept in $CLUSTER_HOME (--purge deletes it)"
  fi
}

main
