#!/usr/bin/env bash
# The macroscope CLI inside the images (settings come from MACROSCOPE_* environment variables).
set -euo pipefail
exec java ${MACROSCOPE_JAVA_OPTS:-} -Dai.djl.offline=true \
  -cp "/app/macroscope-streams-app.jar:/app/lib/*" io.macroscope.cli.Macroscope "$@"
