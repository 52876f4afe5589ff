#!/usr/bin/env bash
# The fault suite: the end-to-end load (bench/e2e) on a fresh stack while, one at a time, each part
# is killed with SIGKILL and restarted (Kafka broker, ClickHouse, PostgreSQL, ingest, a notifier
# node, nginx, api, RED), the broker is paused with SIGSTOP, and ClickHouse is stopped for a while.
# After each fault: recovery time and the full verification. Writes the table into
# docs/RELIABILITY.md (between the chaos-table markers only) and prints progress as it goes.
#   bench/chaos/run.sh [--quick]      (full: ~20 min, --quick: ~5 min on two cores)
# Exit status 0 when every fault passed.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/../e2e/lib.sh"
e2e_build
e2e_java io.redstats.e2e.ChaosSuite "$@"
