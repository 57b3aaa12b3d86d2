#!/usr/bin/env bash
# Runs a benchmark main class from the dynamics module's test classes, building what is missing.
# Usage: bench/run-java.sh CLASS THREADS [ARGS...]   (MACROSCOPE_THREADS overrides THREADS)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
CLASS="$1"
THREADS="${MACROSCOPE_THREADS:-$2}"
shift 2
mvn -B -q -o -pl dynamics -am test-compile >/dev/null 2>&1 || mvn -B -q -pl dynamics -am test-compile
CP_FILE="$(mktemp)"
mvn -B -q -pl dynamics dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="$(cat "$CP_FILE")"
rm -f "$CP_FILE"
# Reproducible MKL numerics (see README, Dynamics-AE conventions).
export MKL_CBWR="${MKL_CBWR:-COMPATIBLE}"
# A fixed malloc mmap threshold: freed large tensors go back to the OS (glibc's growing threshold
# kept 14 GB of freed pages after one epoch of a 300-particle Chamfer baseline; README, "Native memory").
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-4194304}"
# JAVA_OPTS (optional) passes system properties to the benchmark.
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error \
  -cp "dynamics/target/classes:dynamics/target/test-classes:$CP" "$CLASS" "$@"
