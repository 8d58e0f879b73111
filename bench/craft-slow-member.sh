#!/usr/bin/env bash
# CRaft with one slow member: 5 local nodes, coding on, one follower stopped (SIGSTOP) for 2 of
# every 4 seconds while a write load runs. Three cluster setups, each measured healthy and then
# with the slow member, in one run so the ratios compare like with like:
#   full      LEIFDB_ERASURE_CODING=off (plain Raft: a majority of full copies commits)
#   fixed     coding on, LEIFDB_ERASURE_ADAPTIVE=off: k = N - F while F + k members answer (before issue 14)
#   adaptive  coding on: k from the members that keep up with the leader's log (issue 14)
# Needs no root. Build first: mvn -q -B -pl bench -am package -DskipTests
#
# Environment: VALUE_BYTES (65536), DURATION (20s), CONNECTIONS (8), STOP_S (2), PERIOD_S (4).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
SERVER_JAR="$ROOT/server/target/leifdb-server.jar"
BENCH_JAR="$ROOT/bench/target/leifdb-bench.jar"
VALUE_BYTES="${VALUE_BYTES:-65536}"
DURATION="${DURATION:-20s}"
CONNECTIONS="${CONNECTIONS:-8}"
STOP_S="${STOP_S:-2}"
PERIOD_S="${PERIOD_S:-4}"
N=5
BASE_RAFT=$((27000 + RANDOM % 1000 * 10))
BASE_HTTP=$((BASE_RAFT + 5))

die() { echo "craft-slow-member: $*" >&2; exit 1; }
command -v curl >/dev/null || die "needs curl"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
[ -f "$SERVER_JAR" ] && [ -f "$BENCH_JAR" ] || die "build first: mvn -q -B -pl bench -am package -DskipTests"

WORK="$(mktemp -d)"
PIDS=()
SLOWER=""
stop_nodes() {
  local pid
  [ -z "$SLOWER" ] || { kill "$SLOWER" 2>/dev/null || true; wait "$SLOWER" 2>/dev/null || true; SLOWER=""; }
  for pid in "${PIDS[@]}"; do kill -CONT "$pid" 2>/dev/null || true; kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  PIDS=()
}
cleanup() { stop_nodes; rm -rf "$WORK"; }
trap cleanup EXIT
trap 'exit 130' INT TERM

url() { echo "http://127.0.0.1:$((BASE_HTTP + $1))"; }
json_num() { grep -o "\"$1\":[0-9.eE+-]*" | head -1 | cut -d: -f2; }

await_leader() { # prints the leader's index once one leads and has recorded the coding parameters
  local tries i
  for tries in $(seq 1 600); do
    for i in $(seq 0 $((N - 1))); do
      if curl -s --max-time 2 "$(url "$i")/health" | grep -q '"role":"LEADER"' \
        && curl -s --max-time 2 "$(url "$i")/cluster/coding" | grep -q '"recorded":true'; then
        echo "$i"; return 0
      fi
    done
    sleep 0.1
  done
  return 1
}

write_load() { # $1 leader, $2 output; prints ops/s
  "$JAVA" -jar "$BENCH_JAR" -u "$(url "$1")" -w write -s "$VALUE_BYTES" -c "$CONNECTIONS" -d "$DURATION" \
    --warmup 3s --timeout 30s --no-progress --json >"$2" 2>/dev/null
  json_num throughput <"$2"
}

run_setup() { # $1 name, then LEIFDB_ variables for every node
  local name="$1" i members="" leader slow healthy slowed; shift
  for i in $(seq 0 $((N - 1))); do members+="${members:+,}127.0.0.1:$((BASE_RAFT + i))"; done
  for i in $(seq 0 $((N - 1))); do
    mkdir -p "$WORK/$name/$i"
    env "$@" LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$members" LEIFDB_HOST=127.0.0.1 \
      LEIFDB_HTTP_PORT=$((BASE_HTTP + i)) LEIFDB_RAFT_PORT=$((BASE_RAFT + i)) LEIFDB_DATA_DIR="$WORK/$name/$i" \
      LEIFDB_LOG_LEVEL=warn "$JAVA" --enable-native-access=ALL-UNNAMED -Xmx512m -jar "$SERVER_JAR" \
      >"$WORK/$name-$i.log" 2>&1 &
    PIDS+=($!)
  done
  leader=$(await_leader) || die "$name: no leader within 60 s"
  slow=$(((leader + 1) % N))
  healthy=$(write_load "$leader" "$WORK/$name-healthy.json")
  # The slow member: stopped STOP_S of every PERIOD_S seconds, for the whole measured run.
  ( while true; do kill -STOP "${PIDS[$slow]}"; sleep "$STOP_S"; kill -CONT "${PIDS[$slow]}"; sleep $((PERIOD_S - STOP_S)); done ) &
  SLOWER=$!
  slowed=$(write_load "$leader" "$WORK/$name-slowed.json")
  kill "$SLOWER"; wait "$SLOWER" 2>/dev/null || true; SLOWER=""
  kill -CONT "${PIDS[$slow]}" 2>/dev/null || true
  printf '%-9s %12.1f %12.1f %8.2f\n' "$name" "$healthy" "$slowed" "$(awk -v a="$slowed" -v b="$healthy" 'BEGIN {print a / b}')" \
    | tee -a "$WORK/summary"
  stop_nodes
}

echo "== $N nodes, $VALUE_BYTES-byte values, $CONNECTIONS connections, $DURATION per run; the slow follower is" \
  "stopped ${STOP_S} s of every ${PERIOD_S} s"
printf '%-9s %12s %12s %8s\n' "setup" "healthy w/s" "slowed w/s" "ratio"
run_setup full LEIFDB_ERASURE_CODING=off
run_setup fixed LEIFDB_ERASURE_CODING=on LEIFDB_ERASURE_ADAPTIVE=off
run_setup adaptive LEIFDB_ERASURE_CODING=on
awk '{w[$1] = $3} END {printf "slowed: adaptive / full %.2f, fixed / full %.2f, adaptive / fixed %.2f\n", w["adaptive"] / w["full"], w["fixed"] / w["full"], w["adaptive"] / w["fixed"]}' "$WORK/summary"
