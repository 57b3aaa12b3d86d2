#!/usr/bin/env bash
# Benchmark: the live pipeline on the embedded broker (encoder throughput in the pipeline vs raw
# ONNX Runtime, end-to-end latency at fixed rates, forecast cost at K=256, H=100).
# Usage: bench/pipeline.sh [rates=25,100,200 or -] [seconds=15] [batch=32] [frames=4000] [conv width n=32]
#        bench/pipeline.sh forecast-cost BUNDLE_DIR...   (forecast cost alone, on given bundles)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
mvn -B -q -o -pl streams-app -am install -DskipTests >/dev/null 2>&1 || mvn -B -q -pl streams-app -am install -DskipTests
mvn -B -q -o -pl streams-app test-compile >/dev/null
CP_FILE="$(mktemp)"
mvn -B -q -pl streams-app dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$CP_FILE" >/dev/null
CP="$(cat "$CP_FILE")"
rm -f "$CP_FILE"
export MKL_CBWR="${MKL_CBWR:-COMPATIBLE}"
# Fixed mmap threshold, as in bench/run-java.sh.
export MALLOC_MMAP_THRESHOLD_="${MALLOC_MMAP_THRESHOLD_:-4194304}"
exec java ${JAVA_OPTS:-} -Dai.djl.offline=true -Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1 \
  -Dorg.slf4j.simpleLogger.defaultLogLevel=warn -Dorg.slf4j.simpleLogger.log.ai.djl.util.cuda=error \
  -Dorg.slf4j.simpleLogger.log.io.macroscope=warn \
  -cp "streams-app/target/classes:streams-app/target/test-classes:$CP" io.macroscope.streams.PipelineBenchmark "$@"
