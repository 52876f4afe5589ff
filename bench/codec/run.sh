#!/usr/bin/env bash
# The canonical event codec against the Jackson tree codec it replaced: KEY=VALUE on stdout.
#   bench/codec/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ls red-stats-contract/target/red-stats-contract-*.jar >/dev/null 2>&1 ||
  mvn -B -q -pl red-stats-contract package -DskipTests
source "$ROOT/bench/lib.sh"
CP_FILE="$(bench_classpath red-stats-contract)"
JAR=$(ls red-stats-contract/target/red-stats-contract-*.jar | grep -v -e sources -e original | head -1)
java -Xmx512m -cp "$JAR:$(cat "$CP_FILE")" bench/codec/EventJsonBench.java
