#!/usr/bin/env bash
# Fetches (once, cached in .cache/kafka) and starts a real Apache Kafka broker in KRaft mode for the tests:
# one combined broker+controller on 127.0.0.1:${ENTRAWATCH_KAFKA_PORT:-19092}. Java 17 + Maven required.
# Usage: kafka.sh start|stop
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
dir="${ENTRAWATCH_SERVICES_DIR:-$root/.cache/services}"
port="${ENTRAWATCH_KAFKA_PORT:-19092}"
cport="${ENTRAWATCH_KAFKA_CONTROLLER_PORT:-19093}"
version="4.1.1"
libs="$root/.cache/kafka/libs-$version"
data="$dir/kafka-data"
mkdir -p "$dir"

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

fetch_jars() {
  [ -f "$libs/.complete" ] && return 0
  command -v mvn >/dev/null || { echo "error: mvn (Maven) is needed to fetch the Kafka broker jars" >&2; exit 1; }
  command -v java >/dev/null || { echo "error: java (17+) is needed to run the Kafka broker" >&2; exit 1; }
  echo "kafka: fetching broker jars $version from Maven Central into $libs" >&2
  rm -rf "$libs"
  (cd "$root/scripts/services/kafka" && mvn -q -B dependency:copy-dependencies -DoutputDirectory="$libs") >&2
  touch "$libs/.complete"
}

case "${1:-start}" in
  start)
    if port_open "$port"; then echo "kafka: already running on 127.0.0.1:$port"; exit 0; fi
    fetch_jars
    rm -rf "$data"; mkdir -p "$data"
    cat > "$dir/server.properties" <<PROPS
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$cport
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$cport
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=10
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
group.initial.rebalance.delay.ms=0
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
log.retention.hours=2
PROPS
    java -cp "$libs/*" kafka.tools.StorageTool format -t "$(java -cp "$libs/*" kafka.tools.StorageTool random-uuid)" \
      -c "$dir/server.properties" > "$dir/kafka-format.log" 2>&1 \
      || { echo "error: formatting Kafka storage failed; see $dir/kafka-format.log" >&2; exit 1; }
    nohup java -Xms256m -Xmx512m -XX:+UseSerialGC -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
      -cp "$libs/*" kafka.Kafka "$dir/server.properties" > "$dir/kafka.log" 2>&1 &
    echo $! > "$dir/kafka.pid"
    for _ in $(seq 1 120); do
      if port_open "$port"; then echo "kafka: up on 127.0.0.1:$port"; exit 0; fi
      kill -0 "$(cat "$dir/kafka.pid")" 2>/dev/null || { echo "error: Kafka exited; see $dir/kafka.log" >&2; tail -20 "$dir/kafka.log" >&2; exit 1; }
      sleep 0.5
    done
    echo "error: Kafka did not open port $port within 60 s; see $dir/kafka.log" >&2
    exit 1
    ;;
  stop)
    if [ -f "$dir/kafka.pid" ]; then
      pid="$(cat "$dir/kafka.pid")"; kill "$pid" 2>/dev/null || true
      for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
      kill -9 "$pid" 2>/dev/null || true; rm -f "$dir/kafka.pid"
    fi
    ;;
  *) echo "usage: $0 start|stop" >&2; exit 2 ;;
esac
