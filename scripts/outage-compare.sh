#!/usr/bin/env bash
# The before/after table of the README ("Outage behaviour (measured)"): every sample app through every outage
# scenario, without the agent and with it (default settings + reconcile=replay), against a real redis-server
# behind a fault proxy. Asserts nothing; writes outage-suite/results/latest.md and latest.json.
#
#   scripts/outage-compare.sh [--apps jedis-latest,lettuce5-sync] [--scenarios refused,paused-sigstop]
#                             [--seconds 7] [--outage-ms 2500] [--show]
#
# Needs the built jars (the script builds them unless SKIP_BUILD=1) and redis-server on PATH (or $REDIS_SERVER).
# Takes about 10 minutes on a loaded 2-core machine (60 child JVMs).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ "${SKIP_BUILD:-0}" != 1 ]; then
  mvn -B -q package -DskipTests
  mvn -B -q test-compile -pl outage-suite
fi
CP="testkit/target/classes:outage-suite/target/test-classes"
exec java -Dagent.jar="$PWD/agent/target/redis-resilience-agent.jar" -Dproject.root="$PWD" \
  -cp "$CP" dev.redisresilience.outage.OutageCompare --out outage-suite/results "$@"
