#!/usr/bin/env bash
# Benchmark: Dynamics-AE (reference conv encoder, splat decoder) on the simulated 64x64 fluorescence movie.
# Usage: bench/dynamics-ae-video.sh [frames=20000] [epochs=20] [seed=0] [hidden=256]
# Two PyTorch threads by default; MACROSCOPE_THREADS overrides. The image schedule (batch 64, warm-up
# lr 1e-3, lr 3e-4, 3 warm-up epochs, latent gain) is the default. JAVA_OPTS options:
# -Dbench.png=FILE names the plot; -Dbench.schedule=reference runs the reference schedule (batch 256,
# warm-up lr 1e-4, lr 1e-3, no rescale) on the same unit-range input.
exec "$(dirname "${BASH_SOURCE[0]}")/run-java.sh" io.macroscope.dynamics.ae.SpotVideoBenchmark 2 "$@"
