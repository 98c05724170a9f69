#!/usr/bin/env bash
# Installs (when missing) and starts a throw-away redis-server for the tests on a non-default port.
# Usage: redis.sh start|stop     Env: ENTRAWATCH_REDIS_PORT (default 6390), ENTRAWATCH_SERVICES_DIR
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${ENTRAWATCH_SERVICES_DIR:-$root/.cache/services}"
port="${ENTRAWATCH_REDIS_PORT:-6390}"
mkdir -p "$dir"

install_redis() {
  command -v redis-server >/dev/null 2>&1 && return 0
  echo "redis-server not found: installing it from Debian's packages" >&2
  if [ "$(id -u)" -ne 0 ]; then
    echo "error: redis-server is missing and this user cannot apt-get install it; install redis-server and rerun" >&2
    exit 1
  fi
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null
  command -v redis-server >/dev/null 2>&1 || { echo "error: installing redis-server failed" >&2; exit 1; }
}

case "${1:-start}" in
  start)
    install_redis
    if redis-cli -p "$port" ping >/dev/null 2>&1; then
      echo "redis: already running on 127.0.0.1:$port"
      exit 0
    fi
    redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --daemonize yes \
      --pidfile "$dir/redis.pid" --logfile "$dir/redis.log" --dir "$dir"
    for _ in $(seq 1 50); do
      redis-cli -p "$port" ping >/dev/null 2>&1 && { echo "redis: up on 127.0.0.1:$port"; exit 0; }
      sleep 0.1
    done
    echo "error: redis-server did not answer on port $port; see $dir/redis.log" >&2
    exit 1
    ;;
  stop)
    # wait until it has exited: a start right after a stop must not find the old server still answering
    if [ -f "$dir/redis.pid" ]; then
      pid="$(cat "$dir/redis.pid")"; kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true; rm -f "$dir/redis.pid"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
