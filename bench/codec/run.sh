#!/usr/bin/env bash
# The canonical event codec against the Jackson tree codec it replaced: KEY=VALUE on stdout.
#   bench/codec/run.sh
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
ls red-stats-contract/target/red-stats-contract-*.jar >/dev/null 2>&1 ||
  mvn -B -q -pl red-stats-contract package -DskipTests
CP_FILE=$(mktemp)
trap 'rm -f "$CP_FILE"' EXIT
mvn -B -q -pl red-stats-contract dependency:build-classpath -Dmdep.outputFile="$CP_FILE" \
  -Dmdep.includeScope=runtime >/dev/null
JAR=$(ls red-stats-contract/target/red-stats-contract-*.jar | grep -v -e sources -e original | head -1)
java -Xmx512m -cp "$JAR:$(cat "$CP_FILE")" bench/codec/EventJsonBench.java
