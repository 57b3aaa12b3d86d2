#!/usr/bin/env bash
# Benchmark: Dynamics-AE (reference conv nets) on the simulated 64x64 fluorescence movie.
# Usage: bench/dynamics-ae-three-well.sh [frames=20000] [epochs=20] [seed=0] [hidden=256]
# Threads: MACROSCOPE_THREADS (default 2).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -o -pl dynamics -am test-compile -DskipTests >/dev/null 2>&1 || mvn -B -q -pl dynamics -am test-compile -DskipTests
CP_FILE="$(mktemp)"
mvn -B -q -pl dynamics dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
THREADS="${MACROSCOPE_THREADS:-2}"
exec java -Dai.djl.offline=true -Dai.djl.pytorch.num_threads="$THREADS" -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp "dynamics/target/classes:dynamics/target/test-classes:$(cat "$CP_FILE")" \
  io.macroscope.dynamics.ae.SpotVideoBenchmark "$@"
