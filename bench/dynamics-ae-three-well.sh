#!/usr/bin/env bash
# Benchmark: Dynamics-AE (reference configuration) and beta-VAE on a warped three-well trajectory.
# Usage: bench/dynamics-ae-three-well.sh [frames=200000] [epochs=50] [seed=0] [with-vae=true]
# One PyTorch thread by default (the reference timing was taken on one); MACROSCOPE_THREADS overrides.
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" io.macroscope.dynamics.ae.ThreeWellBenchmark 1 "$@"
