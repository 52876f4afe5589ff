# Shared by bench/e2e/run.sh and bench/chaos/run.sh: builds what is stale, then runs a main class
# of red-stats-e2e's test code (the load generator lives there, next to the Stack it drives) on a
# plain JVM, outside Maven's test phase.
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
SERVICES=(red-stats-ingest red-stats-notifier red-stats-api red-service)
source "$ROOT/bench/lib.sh"

# Packages the services and what they share, compiles the load generator and writes its
# classpath, all in one reactor build (-am: the project's modules resolve to their target/
# directories, never to ~/.m2), unless that was done since anything it is built from changed (a
# Maven call costs 10-25 s of a short run).
e2e_build() {
  local module jar stale=""
  for module in "${SERVICES[@]}"; do
    jar=$(ls "$ROOT/$module"/target/"$module"-[0-9]*.jar 2>/dev/null | grep -v -- '-plain.jar' | head -1 || true)
    if [[ -z "$jar" ]] || [[ -n "$(find "$ROOT/$module/src" "$ROOT/red-stats-contract/src" \
      "$ROOT/red-stats-test-support/src" -newer "$jar" -print -quit 2>/dev/null)" ]]; then
      stale=1
    fi
  done
  local stamp="$ROOT/red-stats-e2e/target/bench.stamp"
  if [[ -z "$stale" ]] && e2e_compiled "$stamp"; then
    echo "[build] the services and the load generator are up to date" >&2
    return 0
  fi
  echo "[build] packaging the services and compiling the load generator" >&2
  rm -f "$stamp"
  # forceCreation: else a module whose classes did not change keeps a jar with the old contract
  # inside (Spring Boot's repackage leaves an already repackaged jar alone), still "stale".
  # outputFile is relative: each module of the reactor writes its own target/ file.
  (cd "$ROOT" && mvn -B -q -pl red-stats-e2e -am package -DskipTests -Dmaven.jar.forceCreation=true \
    dependency:build-classpath -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test) >&2
  touch "$stamp"
}

# e2e_compiled STAMP: red-stats-e2e's test classes and classpath were built (STAMP) after the last
# change to its sources, the poms, or the sources of the modules it compiles against, and every
# file the classpath names still exists.
e2e_compiled() {
  local stamp="$1" file="$ROOT/red-stats-e2e/target/bench.classpath"
  [[ -f "$stamp" && -d "$ROOT/red-stats-e2e/target/test-classes" && -s "$file" ]] || return 1
  bench_classpath_complete "$file" || return 1
  [[ -z "$(find "$ROOT/red-stats-e2e/src" "$ROOT/pom.xml" "$ROOT"/*/pom.xml \
    "$ROOT/red-stats-contract/src" "$ROOT/red-stats-test-support/src" \
    -newer "$stamp" -print -quit 2>/dev/null)" ]]
}

# Copies the service jars into DIR: a long run must not see a jar replaced by a rebuild in the
# working tree (a restarted service would start a different build, a running one can lose classes).
e2e_copy_jars() {
  local dir="$1" module jar
  mkdir -p "$dir"
  for module in "${SERVICES[@]}"; do
    jar=$(ls "$ROOT/$module"/target/"$module"-[0-9]*.jar | grep -v -- '-plain.jar' | head -1)
    cp -p "$jar" "$dir/$module.jar" # -p: the same size and time find the jar's CDS archive
  done
  # One Python for the four (a start-up each cost seconds on a loaded machine).
  python3 -c 'import sys, zipfile
for jar in sys.argv[1:]:
    zipfile.ZipFile(jar).namelist()' "$dir"/*.jar ||
    { echo "a service jar changed while it was copied; try again" >&2; exit 1; }
}

# e2e_java MAIN_CLASS ARGS...: runs it the way failsafe would (same system properties), from the
# module directory so service logs land in red-stats-e2e/target/service-logs. The jars and the
# compiled test classes are copies, removed when the run ends. SERVICE_CDS=true starts the services
# with class data sharing (ServiceProcess.CDS_PROPERTY; bench/e2e/run.sh sets it).
e2e_java() {
  local main="$1"
  shift
  local home="${REDSTATS_HOME:-$ROOT/.redstats}"
  E2E_RUN_DIR="$home/bench-e2e/run-$(date +%Y%m%d-%H%M%S)-$$"
  trap 'rm -rf "$E2E_RUN_DIR"' EXIT
  e2e_copy_jars "$E2E_RUN_DIR/jars"
  cp -r "$ROOT/red-stats-e2e/target/test-classes" "$E2E_RUN_DIR/classes"
  # A new jar's extraction for class data sharing overlaps the servers' start-up.
  [[ "${SERVICE_CDS:-false}" == true ]] && { bench_cds_extract "${SERVICES[@]}" & }
  cd "$ROOT/red-stats-e2e"
  java -Xmx1g -Djava.awt.headless=true -Dredstats.service.cds="${SERVICE_CDS:-false}" \
    -Dredstats.root="$ROOT" -Dredstats.home="$home" -Dredstats.e2e.jars="$E2E_RUN_DIR/jars" \
    -cp "$E2E_RUN_DIR/classes:$(cat target/bench.classpath)" "$main" "$@"
}
