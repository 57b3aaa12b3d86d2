#!/usr/bin/env bash
# Starts the Connect worker, with CONNECT_BOOTSTRAP_SERVERS overriding the file's bootstrap.servers.
set -euo pipefail
config=/tmp/connect-distributed.properties
cp /opt/macroscope/connect-distributed.properties "$config"
if [[ -n "${CONNECT_BOOTSTRAP_SERVERS:-}" ]]; then
  sed -i "s|^bootstrap.servers=.*|bootstrap.servers=${CONNECT_BOOTSTRAP_SERVERS}|" "$config"
fi
exec /opt/kafka/bin/connect-distributed.sh "$config"
