#!/usr/bin/env bash
# CRaft against full replication: write throughput of 5 nodes when the network is the
# bottleneck. Everything runs inside a fresh network namespace whose loopback device is shaped
# by tc tbf to RATE (100 Mbit/s by default), so all traffic (client to leader and leader to
# followers) stays on loopback and shares that one link. The same workload runs twice:
# LEIFDB_ERASURE_CODING=off, then on with LEIFDB_ERASURE_K=K. Prints the bench reports and one
# summary line per mode. Needs root (ip netns, tc), curl and the built jars
# (mvn -q -B -pl bench -am package -DskipTests).
#
# Environment: RATE (100mbit), VALUE_BYTES (1048576), DURATION (30s), CONNECTIONS (4), K (3).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_JAR="$ROOT/server/target/leifdb-server.jar"
BENCH_JAR="$ROOT/bench/target/leifdb-bench.jar"
RATE="${RATE:-100mbit}"
VALUE_BYTES="${VALUE_BYTES:-1048576}"
DURATION="${DURATION:-30s}"
CONNECTIONS="${CONNECTIONS:-4}"
K="${K:-3}"
N=5
NS="leifdb-craft-$$"

die() { echo "craft-netns: $*" >&2; exit 1; }
[ "$(id -u)" = 0 ] || die "needs root for ip netns and tc"
command -v ip >/dev/null && command -v tc >/dev/null && command -v curl >/dev/null || die "needs ip, tc and curl"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
major=$("$JAVA" -XshowSettings:properties -version 2>&1 \
  | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1)
[[ "$major" =~ ^[0-9]+$ ]] && [ "$major" -ge 21 ] || die "$JAVA is Java ${major:-?}; set JAVA_HOME to a JDK 21+"
[ -f "$SERVER_JAR" ] && [ -f "$BENCH_JAR" ] || die "build first: mvn -q -B -pl bench -am package -DskipTests"

WORK="$(mktemp -d)"
PIDS=()
stop_nodes() {
  local pid
  for pid in "${PIDS[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
  # Anything still running in our own namespace was started by us.
  for pid in $(ip netns pids "$NS" 2>/dev/null); do kill -9 "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() { stop_nodes; ip netns del "$NS" 2>/dev/null || true; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

ip netns add "$NS"
in_ns() { ip netns exec "$NS" "$@"; }
in_ns ip link set lo up
in_ns tc qdisc add dev lo root tbf rate "$RATE" burst 256kb latency 200ms

members=""
for i in $(seq 0 $((N - 1))); do members+="${members:+,}127.0.0.1:$((17000 + i))"; done

# Prints the index of the node that leads in the wanted replication mode, once there is one.
await_leader() {
  local mode="$1" tries i
  for tries in $(seq 1 600); do
    for i in $(seq 0 $((N - 1))); do
      if in_ns curl -s --max-time 2 "http://127.0.0.1:$((18000 + i))/health" | grep -q '"role":"LEADER"' \
        && in_ns curl -s --max-time 2 "http://127.0.0.1:$((18000 + i))/cluster" | grep -q "\"replication\":\"$mode\""; then
        echo "$i"; return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

run_mode() {
  local coding="$1" mode="$2" i leader
  for i in $(seq 0 $((N - 1))); do
    mkdir -p "$WORK/$coding/$i"
    # Not through in_ns: a backgrounded function is a subshell, and $! would not be the node.
    ip netns exec "$NS" env LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" LEIFDB_HOST=127.0.0.1 \
      LEIFDB_HTTP_PORT=$((18000 + i)) LEIFDB_RAFT_PORT=$((17000 + i)) LEIFDB_DATA_DIR="$WORK/$coding/$i" \
      LEIFDB_ERASURE_CODING="$coding" LEIFDB_ERASURE_K="$K" LEIFDB_MAX_VALUE_BYTES=$((2 * VALUE_BYTES)) \
      LEIFDB_LOG_LEVEL=warn \
      "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx768m -jar "$SERVER_JAR" >"$WORK/$coding-$i.log" 2>&1 &
    PIDS+=($!)
  done
  if ! leader=$(await_leader "$mode"); then
    tail -n 20 "$WORK/$coding-"*.log >&2
    die "no leader in $mode mode within 60 s"
  fi
  echo "== $mode replication: leader node $leader, $N nodes, k=$K, $VALUE_BYTES-byte values, $RATE loopback"
  in_ns "$JAVA" -jar "$BENCH_JAR" -u "http://127.0.0.1:$((18000 + leader))" -w write -s "$VALUE_BYTES" \
    -c "$CONNECTIONS" -d "$DURATION" --timeout 30s --no-progress --json >"$WORK/$mode.json"
  cat "$WORK/$mode.json"; echo
  stop_nodes
}

[ -n "${ONLY_CODED:-}" ] || run_mode off full
run_mode on coded
for mode in full coded; do
  [ -f "$WORK/$mode.json" ] || continue
  printf '%-6s ' "$mode"
  grep -o '"throughput"[^,}]*' "$WORK/$mode.json" | head -1
done
