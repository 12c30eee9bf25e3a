#!/usr/bin/env bash
# Reproduces every benchmark of the README's "Performance" section (issue 8 + the engine JMH benchmark) and
# writes benchmarks/results/latest.{md,json}; rewrites the README block between <!-- bench:begin --> and
# <!-- bench:end --> from latest.md. About 13 minutes on 2 cores with the defaults below.
#
#   benchmarks/run.sh                 # build (skip tests) + run everything
#   BENCH_SKIP_BUILD=1 benchmarks/run.sh
#   BENCH_ONLY=engine,core benchmarks/run.sh      # parts: engine,client,startup,outage,core
#   BENCH_WI=2 BENCH_I=3 BENCH_TIME=1 BENCH_ROUNDS=5 BENCH_STARTUP_RUNS=7 (JMH warmup its, measurement its,
#   s per it, interleaved rounds of the client benchmark)
#   BENCH_LOAD_NOTE="what else ran on the machine" (recorded with the results)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
AGENT="$ROOT/agent/target/redis-resilience-agent.jar"
JAR="$ROOT/benchmarks/target/benchmarks.jar"

if [ -z "${BENCH_SKIP_BUILD:-}" ]; then
  mvn -B -q -Pbenchmarks -DskipTests \
    -pl benchmarks,test-apps/jedis-latest,test-apps/lettuce-latest-async -am package
fi
[ -f "$AGENT" ] || { echo "missing $AGENT (build first)"; exit 1; }
[ -f "$JAR" ] || { echo "missing $JAR (build first)"; exit 1; }

# the apps' outage runs need their jars in one directory
APPS="$ROOT/benchmarks/target/apps"
mkdir -p "$APPS"
cp -f test-apps/jedis-latest/target/jedis-latest-app.jar test-apps/lettuce-latest-async/target/lettuce-latest-async-app.jar "$APPS/" 2>/dev/null || true

mkdir -p benchmarks/results
# provenance: the commit, "-dirty" when tracked sources differ from it (results and README block excluded)
GIT_REV="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
if [ -n "$(git status --porcelain --untracked-files=no -- . ':(exclude)benchmarks/results' ':(exclude)README.md' 2>/dev/null)" ]; then
  GIT_REV="$GIT_REV-dirty"
fi
# what else runs here (counted, not identified): recorded with the results next to the load average
OTHERS="$(pgrep -c java || true) java and $(pgrep -c redis-server || true) redis-server processes on the machine at start (this run's own excluded: none started yet)"
# the agent jar on the boot class path gives this JVM (and only it) the core classes for the engine/core parts;
# JMH forks get their own explicit JVM arguments (boot class path, or -javaagent, or nothing)
java -Xms1g -Xmx1g -Xbootclasspath/a:"$AGENT" \
  -Dbench.agentJar="$AGENT" -Dbench.appsDir="$APPS" \
  -Dbench.out="$ROOT/benchmarks/results" -Dbench.readme="$ROOT/README.md" \
  -Dbench.wi="${BENCH_WI:-2}" -Dbench.i="${BENCH_I:-3}" -Dbench.time="${BENCH_TIME:-1}" \
  -Dbench.rounds="${BENCH_ROUNDS:-5}" -Dbench.startupRuns="${BENCH_STARTUP_RUNS:-7}" \
  -Dbench.only="${BENCH_ONLY:-engine,client,startup,outage,core}" \
  -Dbench.gitCommit="$GIT_REV" \
  -Dbench.loadNote="${BENCH_LOAD_NOTE:-$OTHERS}" \
  -jar "$JAR" 2>&1 | tee benchmarks/results/latest.log
