#!/usr/bin/env bash
# Starts every service the test suite needs: Redis and Apache Kafka, as plain processes on non-default ports.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
bash "$here/redis.sh" start
bash "$here/kafka.sh" start
