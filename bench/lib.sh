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
