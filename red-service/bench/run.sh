#!/usr/bin/env sh
# Red computation vs decoding, megapixels per second on one core: see RedBench.
# Usage (from the repository root): red-service/bench/run.sh
set -eu
cd "$(dirname "$0")/../.."
# Maven only when a source or pom changed since the last run (it costs most of this bench's time),
# or a file the classpath names is gone (a clean).
stamp=red-service/target/bench.classpath
missing() { [ -s "$stamp" ] && tr ':' '\n' <"$stamp" | while read -r entry; do [ -e "$entry" ] || { echo "$entry"; break; }; done; }
if [ ! -s "$stamp" ] || [ -n "$(missing)" ] ||
  [ -n "$(find red-service/src red-service/pom.xml pom.xml -newer "$stamp" -print 2>/dev/null | head -1)" ]; then
  # Through the reactor (-am): the project's modules resolve to their target/ jars, not ~/.m2.
  # outputFile is relative: each module of the reactor writes its own target/ file.
  mvn -B -q -pl red-service -am package -DskipTests dependency:build-classpath \
    -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
  touch "$stamp" # build-classpath leaves an unchanged file alone
fi
cp="red-service/target/test-classes:red-service/target/classes:$(cat red-service/target/bench.classpath)"
# One active processor: the numbers are per core.
exec java -XX:ActiveProcessorCount=1 -cp "$cp" io.redstats.red.bench.RedBench
