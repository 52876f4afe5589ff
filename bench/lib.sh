# Shared by the bench scripts (bash; they set ROOT to the repository root first).

# bench_classpath MODULE [MAVEN_FLAG...]: prints the path of a file holding MODULE's runtime
# classpath, resolved with Maven (a call costs seconds) only when the file is missing or a pom
# changed since it was written.
bench_classpath() {
  local module=$1
  shift
  local file="$ROOT/$module/target/bench-runtime.classpath"
  if [[ ! -s "$file" || -n "$(find "$ROOT/pom.xml" "$ROOT"/red-stats-*/pom.xml -newer "$file" -print 2>/dev/null | head -1)" ]]; then
    (cd "$ROOT" && mvn -B -q "$@" -pl "$module" dependency:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.outputFile="$file" >/dev/null)
    touch "$file" # build-classpath leaves an unchanged file alone
  fi
  echo "$file"
}

# bench_jar MODULE: prints the path of MODULE's service jar, built again first when it is missing
# or older than the module's or the contract's sources or a pom (a stale jar measures old code).
bench_jar() {
  local module=$1 jar
  jar=$(ls "$ROOT/$module"/target/"$module"-[0-9]*.jar 2>/dev/null | grep -v -- '-plain.jar' | head -1 || true)
  if [[ -z "$jar" || -n "$(find "$ROOT/pom.xml" "$ROOT/$module/pom.xml" "$ROOT/$module/src/main" \
    "$ROOT/red-stats-contract/pom.xml" "$ROOT/red-stats-contract/src/main" -newer "$jar" -print -quit)" ]]; then
    echo "[build] $module's jar is missing or older than its sources: building it" >&2
    (cd "$ROOT" && mvn -B -q "${@:2}" -pl "$module" -am install -DskipTests >&2)
    jar=$(ls "$ROOT/$module"/target/"$module"-[0-9]*.jar | grep -v -- '-plain.jar' | head -1)
  fi
  echo "$jar"
}

# bench_ingest_noop DIR CLASSPATH: compiles bench/ingest/NoopController.java (POST /bench/noop, the
# single-event baseline; not in the service jar) against CLASSPATH into DIR/noop-classes and sets
# NOOP_LAUNCH to the java arguments that start an ingest jar with it: java -cp JAR "${NOOP_LAUNCH[@]}"
# SPRING_ARGS. The jar's PropertiesLauncher adds loader.path to its classpath, where the
# application's component scan finds the controller.
bench_ingest_noop() {
  local dir=$1 classpath=$2
  mkdir -p "$dir/noop-classes"
  javac -nowarn -d "$dir/noop-classes" -cp "$classpath" "$ROOT/bench/ingest/NoopController.java"
  NOOP_LAUNCH=(-Dloader.path="$dir/noop-classes" org.springframework.boot.loader.launch.PropertiesLauncher)
}

# bench_cds_launch MODULE JAR: the java arguments that start JAR from its extracted copy with the
# class data sharing archive that ServiceProcess keeps in MODULE/target/cds/<size>-<mtime>/ (the
# e2e and notifier benches record it; about half the CPU of a start), or nothing when there is no
# archive for this jar yet: then start it with -jar JAR.
bench_cds_launch() {
  local module=$1 jar=$2 entry thin
  entry="$ROOT/$module/target/cds/$(stat -c '%s-%Y' "$jar")"
  [[ -s $entry/app.jsa ]] || return 0
  thin=$(ls "$entry"/app/*.jar 2>/dev/null | head -1)
  [[ -n $thin ]] || return 0
  echo "-XX:SharedArchiveFile=$entry/app.jsa -Xlog:cds=error,cds+dynamic=error -jar $thin"
}

# bench_cds_extract MODULE...: extracts each MODULE's service jar (Spring Boot's jarmode=tools
# extract) into MODULE/target/cds/<size>-<mtime>/app, where ServiceProcess looks for it, when it is
# not there yet: the e2e and notifier benches run this in the background while their servers
# start, instead of ServiceProcess extracting one jar after the other before it launches them.
bench_cds_extract() {
  local module jar entry tmp
  for module in "$@"; do
    jar=$(ls "$ROOT/$module"/target/"$module"-[0-9]*.jar 2>/dev/null | grep -v -- '-plain.jar' | head -1 || true)
    [[ -n $jar ]] || continue
    entry="$ROOT/$module/target/cds/$(stat -c '%s-%Y' "$jar")"
    [[ -d $entry/app ]] && continue
    tmp="$entry.extracting-$$"
    mkdir -p "$entry"
    if java -Djarmode=tools -jar "$jar" extract --destination "$tmp" >/dev/null 2>&1; then
      # ServiceProcess may have extracted it meanwhile: then mv fails and the copy goes.
      mv -T "$tmp" "$entry/app" 2>/dev/null || true
    fi
    rm -rf "$tmp"
    # The entries of the module's older jars (~100-200 MB each), as ServiceProcess drops them.
    find "${entry%/*}" -mindepth 1 -maxdepth 1 -type d ! -name "${entry##*/}*" -exec rm -rf {} + 2>/dev/null || true
  done
}

# free_port: prints a TCP port on 127.0.0.1 that is free now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
