# Shared by bench/e2e/run.sh and bench/chaos/run.sh: builds what is stale, then runs a main class
# of red-stats-e2e's test code (the load generator lives there, next to the Stack it drives) on a
# plain JVM, outside Maven's test phase.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES=(red-stats-ingest red-stats-notifier red-stats-api red-service)

# Packages and installs the services (and what they share) when a jar is missing or older than
# its sources: the stack runs the services' own jars, and red-stats-e2e resolves them from ~/.m2.
e2e_build() {
  local module jar stale=""
  for module in "${SERVICES[@]}"; do
    jar=$(ls "$ROOT/$module"/target/"$module"-[0-9]*.jar 2>/dev/null | grep -v -- '-plain.jar' | head -1 || true)
    if [[ -z "$jar" ]] || [[ -n "$(find "$ROOT/$module/src" "$ROOT/red-stats-contract/src" \
      "$ROOT/red-stats-test-support/src" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
      stale=1
    fi
  done
  if [[ -n "$stale" ]]; then
    echo "[build] packaging the services (their jars are missing or older than the sources)" >&2
    (cd "$ROOT" && mvn -B -q -o install -DskipTests \
      -pl red-stats-contract,red-stats-test-support,"$(IFS=,; echo "${SERVICES[*]}")") >&2
  fi
  echo "[build] compiling the load generator" >&2
  (cd "$ROOT" && mvn -B -q -o -pl red-stats-e2e test-compile dependency:build-classpath \
    -Dmdep.outputFile="$ROOT/red-stats-e2e/target/bench.classpath" -Dmdep.includeScope=test) >&2
}

# e2e_java MAIN_CLASS ARGS...: runs it the way failsafe would (same system properties), from the
# module directory so service logs land in red-stats-e2e/target/service-logs.
e2e_java() {
  local main="$1"
  shift
  cd "$ROOT/red-stats-e2e"
  exec java -Xmx1g -Djava.awt.headless=true \
    -Dredstats.root="$ROOT" -Dredstats.home="${REDSTATS_HOME:-$ROOT/.redstats}" \
    -cp "target/test-classes:$(cat target/bench.classpath)" "$main" "$@"
}
