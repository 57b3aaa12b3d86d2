#!/usr/bin/env bash
# Benchmark: Dynamics-AE with constant vs position-dependent diffusion on a three-well trajectory
# whose mobility varies along x.
# Usage: bench/dynamics-ae-diffusion.sh [frames=200000] [epochs=50] [a=0.5] [seed=0] [modes=constant,position,coupled]
# One PyTorch thread by default; MACROSCOPE_THREADS overrides.
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" io.macroscope.dynamics.ae.PositionDiffusionBenchmark 1 "$@"
