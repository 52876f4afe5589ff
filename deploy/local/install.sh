#!/usr/bin/env bash
# Installs what the local servers need, only what is missing (fast when all is there):
#   Debian packages clickhouse-server clickhouse-client postgresql nginx, and the Kafka broker
#   classpath resolved by Maven from deploy/kafka/pom.xml into $REDSTATS_HOME/kafka.classpath.
set -euo pipefail
SCRIPT_NAME=install.sh
USAGE=""
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# chromium + chromium-driver: the dashboard is tested in a real (headless) browser.
# wrk: the ingest benchmark's single-event load (`./redstats bench`).
DEBIAN_PACKAGES=(clickhouse-server clickhouse-client postgresql nginx chromium chromium-driver wrk)

missing_packages() {
  local p
  for p in "${DEBIAN_PACKAGES[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
      echo "$p"
    fi
  done
}

install_debian_packages() {
  local missing
  missing="$(missing_packages)"
  [[ -z "$missing" ]] && return 0
  local sudo=()
  [[ "$(id -u)" -eq 0 ]] || sudo=(sudo)
  log "installing Debian packages: $(echo $missing)"
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q
  # shellcheck disable=SC2086
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
  # The packages start system-wide services on their default ports; ours run per directory.
  local service
  for service in clickhouse-server postgresql nginx; do
    "${sudo[@]}" service "$service" stop >/dev/null 2>&1 || true
  done
}

# Every jar of the classpath still on disk (a wiped ~/.m2 invalidates it).
classpath_complete() {
  local file="$1" jar
  [[ -s "$file" ]] || return 1
  local IFS=':'
  for jar in $(cat "$file"); do
    [[ -f "$jar" ]] || return 1
  done
}

resolve_kafka_classpath() {
  local file="$REDSTATS_HOME/kafka.classpath"
  local pom="$REPO_ROOT/deploy/kafka/pom.xml"
  if classpath_complete "$file" && [[ "$file" -nt "$pom" ]]; then
    return 0
  fi
  mkdir -p "$REDSTATS_HOME"
  log "resolving the Kafka broker classpath with Maven"
  # Maven's output to stderr: callers may read our stdout.
  mvn -B -q -f "$pom" dependency:build-classpath -Dmdep.outputFile="$file" >&2
}

install_debian_packages
resolve_kafka_classpath
