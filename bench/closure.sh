#!/usr/bin/env bash
# Benchmark: closure model vs the four baselines on a simulated particle system.
# Usage: bench/closure.sh particles|lj-mix [trajectories=100] [particles=40] [frames=101]
#                         [ae-epochs=5] [dyn-epochs=100] [methods=closure,ae-aug,ae-inve,ae-inve-cd,inve]
# One PyTorch thread by default; MACROSCOPE_THREADS overrides.
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" io.macroscope.dynamics.closure.ClosureBenchmark 1 "$@"
