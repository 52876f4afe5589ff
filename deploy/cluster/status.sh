#!/usr/bin/env bash
# What runs on each host of the cluster topology and whether it answers from this machine's shell;
# with --smoke, also the write/read checks of smoke.sh. Exit 0 when every host answers (and the
# smoke check passes).
#   status.sh [--smoke]
set -euo pipefail
SCRIPT_NAME=cluster/status.sh
USAGE="[--smoke]"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

SMOKE=0
for arg in "$@"; do
  case "$arg" in
    --smoke) SMOKE=1 ;;
    *) usage_die ;;
  esac
done

# Prints what the server on host H says about itself; fails when it does not answer.
answer_of() {
  local h="$1" name addr
  name="$(host_name "$h")"
  addr="$(host_addr "$h")"
  case "$name" in
    zk*)
      local mode
      mode="$(zk_mode "$addr")"
      [[ -n "$mode" ]] || return 1
      echo "zookeeper $mode" ;;
    kafka*)
      tcp_open "$addr" "$KAFKA_CLIENT_PORT" || return 1
      echo "kafka accepts on :$KAFKA_CLIENT_PORT" ;;
    ch*)
      local version
      version="$(CH_QUERY_TIMEOUT=5 ch_query "$addr" "SELECT version()" 2>/dev/null)" || return 1
      [[ -n "$version" && "$version" != *Exception* ]] || return 1
      echo "clickhouse $version, SELECT 1 = $(CH_QUERY_TIMEOUT=5 ch_query "$addr" "SELECT 1")" ;;
  esac
}

main() {
  local h name dir pid state answer all_up=1
  if ! link_exists "$BRIDGE"; then
    echo "the cluster topology is down (no bridge $BRIDGE)"
    exit 1
  fi
  printf '%-9s %-12s %-8s %-8s %s\n' HOST ADDRESS PID STATE ANSWER
  for h in "${ALL_HOSTS[@]}"; do
    name="$(host_name "$h")"
    dir="$(dir_of "$name")"
    pid="$(pid_of "$dir" 2>/dev/null || echo -)"
    answer=""
    if answer="$(answer_of "$h")"; then
      state=up
    elif is_running "$dir"; then
      state=starting
      all_up=0
    else
      state=down
      all_up=0
    fi
    printf '%-9s %-12s %-8s %-8s %s\n' "$name" "$(host_addr "$h")" "$pid" "$state" "$answer"
  done
  ((all_up)) || exit 1
  if ((SMOKE)); then
    "$CLUSTER_DIR_OF_SCRIPTS/smoke.sh"
  fi
}

main
