# Shared by the bench scripts (bash; they set ROOT to the repository root first).

# Every build here goes through the reactor (-am) and resolves the project's own modules to their
# target/ directories: nothing depends on ~/.m2 holding io.redstats artifacts, so the benches work
# from a fresh clone whatever ran before (or nothing did).

# bench_classpath MODULE [MAVEN_FLAG...]: prints the path of a file holding MODULE's runtime
# classpath (the project's modules as their target/ jars, packaged first), resolved with Maven (a
# call costs seconds) only when the file is missing, a pom changed since it was written, or a file
# it names is gone (a clean).
bench_classpath() {
  local module=$1
  shift
  local file="$ROOT/$module/target/bench-runtime.classpath"
  if [[ ! -s "$file" || -n "$(find "$ROOT/pom.xml" "$ROOT"/*/pom.xml -newer "$file" -print 2>/dev/null | head -1)" ]] ||
    ! bench_classpath_complete "$file"; then
    # outputFile is relative: each module of the reactor writes its own target/ file.
    (cd "$ROOT" && mvn -B -q "$@" -pl "$module" -am package -DskipTests dependency:build-classpath \
      -Dmdep.includeScope=runtime -Dmdep.outputFile=target/bench-runtime.classpath >&2) ||
      { echo "could not build $module and resolve its classpath" >&2; return 1; }
    touch "$file" # build-classpath leaves an unchanged file alone
  fi
  echo "$file"
}

# bench_classpath_complete FILE: every entry of the classpath in FILE exists.
bench_classpath_complete() {
  local entry entries
  IFS=: read -r -a entries <"$1"
  for entry in "${entries[@]}"; do
    [[ -e "$entry" ]] || return 1
  done
}

# bench_jar MODULE: prints the path of MODULE's service jar, built again (with the modules it
# depends on) first when it is missing or older than the module's or the contract's sources or a
# pom (a stale jar measures old code).
bench_jar() {
  local module=$1 jar
  jar=$(ls "$ROOT/$module"/target/"$module"-[0-9]*.jar 2>/dev/null | grep -v -- '-plain.jar' | head -1 || true)
  if [[ -z "$jar" || -n "$(find "$ROOT/pom.xml" "$ROOT/$module/pom.xml" "$ROOT/$module/src/main" \
    "$ROOT/red-stats-contract/pom.xml" "$ROOT/red-stats-contract/src/main" -newer "$jar" -print -quit)" ]]; then
    echo "[build] $module's jar is missing or older than its sources: building it" >&2
    (cd "$ROOT" && mvn -B -q "${@:2}" -pl "$module" -am package -DskipTests -Dmaven.jar.forceCreation=true >&2)
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

# wrk_non_2xx < WRK_OUTPUT: the responses that were not 2xx/3xx ("Non-2xx or 3xx responses: N",
# a line wrk prints only when there were some), 0 without that line.
wrk_non_2xx() { awk '/Non-2xx or 3xx responses:/ {bad = $NF} END {print bad + 0}'; }
# wrk_2xx_per_s FACTOR < WRK_OUTPUT: the 2xx answers per second times FACTOR (events per request),
# from "N requests in T" (T in us, ms, s or m) minus the non-2xx ones.
wrk_2xx_per_s() {
  awk -v factor="$1" '
    / requests in / { n = $1; t = $4; sub(/,$/, "", t)
      unit = t; sub(/^[0-9.]+/, "", unit); t += 0
      t *= (unit == "m" ? 60 : unit == "ms" ? 0.001 : unit == "us" ? 0.000001 : 1) }
    /Non-2xx or 3xx responses:/ { bad = $NF }
    END { if (t > 0) printf "%.0f\n", (n - bad) * factor / t; else print 0 }'
}

# free_port: prints a TCP port on 127.0.0.1 that is free now.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
