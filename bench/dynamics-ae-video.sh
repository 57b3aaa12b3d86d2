#!/usr/bin/env bash
# Benchmark: Dynamics-AE (reference conv nets) on the simulated 64x64 fluorescence movie.
# Usage: bench/dynamics-ae-video.sh [frames=20000] [epochs=20] [seed=0] [hidden=256]
# Two PyTorch threads by default; MACROSCOPE_THREADS overrides.
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" io.macroscope.dynamics.ae.SpotVideoBenchmark 2 "$@"
