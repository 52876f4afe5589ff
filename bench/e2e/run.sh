#!/usr/bin/env bash
# The end-to-end load generator on a fresh stack of its own (Kafka, ClickHouse, PostgreSQL, nginx,
# ingest, two notifier nodes, api, RED — every service its own process on free ports): a simulated
# RED posting at a target rate, subscribers through nginx, an analyst; then the verification.
#   bench/e2e/run.sh [--rate R] [--seconds S] [--subscribers N] [--red-share F]
# stdout: KEY=VALUE lines (accepted=, alerted=, counted=, e2e_latency_p50_ms=, e2e_latency_p99_ms=,
# verified=true|false, ...); progress on stderr. Exit status 0 when verified, 1 when not.
# The services start with class data sharing (half the CPU of a start; the first run of a new jar
# records the archive as it stops): SERVICE_CDS=false starts them from their jars.
set -euo pipefail
export SERVICE_CDS="${SERVICE_CDS:-true}"
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
e2e_build
e2e_java io.redstats.e2e.E2eBench "$@"
