#!/usr/bin/env bash
# The bad-input corpus, long: the fixed cases of FuzzIT plus about N generated ones.
#
#   bench/fuzz/run.sh [--cases N] [--seed S] [--include-known]
#
# --cases N        generated cases on top of the fixed corpus (default 1200; ./redstats test runs 12)
# --seed S         the seed of the generated cases (default: the time); printed, so a run repeats
# --include-known  also send the cases marked as known bugs (the run then fails while they are open)
#
# Starts the whole stack once on free ports (as ./redstats test does for red-stats-e2e), sends every
# case, checks that nothing was stored, prints the summary table and keeps it in
# red-stats-e2e/target/fuzz/summary-<seed>.md. Exit status: 0 when every case ended in a 4xx.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
CASES=1200
SEED="$(date +%s)"
INCLUDE_KNOWN=false
while [ $# -gt 0 ]; do
  case "$1" in
    --cases) CASES="$2"; shift 2 ;;
    --seed) SEED="$2"; shift 2 ;;
    --include-known) INCLUDE_KNOWN=true; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
# FuzzCorpus.generatorsPerRound(): each generated round adds one case per generator.
GENERATORS=12
ROUNDS=$(( (CASES + GENERATORS - 1) / GENERATORS ))
[ "$ROUNDS" -ge 1 ] || ROUNDS=1

cd "$ROOT"
echo "fuzz: seed $SEED, $ROUNDS generated round(s) of $GENERATORS cases"
status=0
# Through the reactor (-am): the services are packaged and the project's modules resolve to their
# target/ directories, never to ~/.m2; only FuzzIT runs.
mvn -B -pl red-stats-e2e -am verify \
  -Dit.test=FuzzIT -Dtest=NoSuchTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfailsafe.failIfNoSpecifiedTests=false \
  -Dfuzz.seed="$SEED" -Dfuzz.variations="$ROUNDS" -Dfuzz.include-known="$INCLUDE_KNOWN" \
  > "${TMPDIR:-/tmp}/fuzz-$SEED.log" 2>&1 || status=$?
SUMMARY="red-stats-e2e/target/fuzz/summary-$SEED.md"
if [ -f "$SUMMARY" ]; then
  echo
  echo "command: bench/fuzz/run.sh --cases $CASES --seed $SEED$([ "$INCLUDE_KNOWN" = true ] && echo ' --include-known')"
  cat "$SUMMARY"
fi
if [ "$status" -ne 0 ]; then
  echo
  echo "FuzzIT failed (exit $status); the failing cases, in full:"
  grep -A12 '^FAILED:' "${TMPDIR:-/tmp}/fuzz-$SEED.log" | head -200 || true
  echo "full log: ${TMPDIR:-/tmp}/fuzz-$SEED.log"
fi
exit "$status"
