#!/usr/bin/env bash
# Stops the services started by start.sh.
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/kafka.sh" stop
bash "$here/redis.sh" stop
