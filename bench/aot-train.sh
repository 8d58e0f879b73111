#!/usr/bin/env bash
# Makes the JVM's ahead-of-time cache for the server (JDK 25+: -XX:AOTCacheOutput, JEP 483/514/515):
# a training run of a 3-node cluster on loopback in which node a, the one that records, first
# serves as a follower (writes redirected to the leader, entries appended and applied), then takes
# leadership and serves writes and linearizable reads. The cache holds the classes it loaded and
# linked and the method profiles it gathered, so a node started with -XX:AOTCache skips most of
# its warm-up. Called by ./leifdb after a build; the cache is written when node a exits.
#
#   bench/aot-train.sh OUT.aot       # needs server/target/leifdb-server.jar and bench/target/leifdb-bench.jar
#
# Environment: LEIFDB_AOT_TRAIN_SECONDS (5): seconds of each load phase.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
OUT="${1:-}"
PHASE="${LEIFDB_AOT_TRAIN_SECONDS:-5}"
# The training cluster is plain and private: none of the caller's LEIFDB_* settings (TLS, auth,
# ports, data directory) may reach it.
for v in $(compgen -e | grep '^LEIFDB_' || true); do unset "$v"; done
die() { echo "aot-train: $*" >&2; exit 1; }
[ -n "$OUT" ] || die "usage: bench/aot-train.sh OUT.aot"
[[ "$PHASE" =~ ^[1-9][0-9]?$ ]] || die "LEIFDB_AOT_TRAIN_SECONDS=$PHASE is not allowed (allowed: 1..99)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/}java"
JAR="$ROOT/server/target/leifdb-server.jar"
BENCH="$ROOT/bench/target/leifdb-bench.jar"
[ -f "$JAR" ] && [ -f "$BENCH" ] || die "build first: mvn -q -DskipTests package"

port_in_use() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
# Six free ports below the ephemeral range: three HTTP, three Raft.
for _ in $(seq 50); do
  base=$((20000 + RANDOM % 12000))
  ok=1
  for p in $(seq "$base" $((base + 5))); do port_in_use "$p" && ok=0 && break; done
  [ "$ok" = 1 ] && break
done
[ "$ok" = 1 ] || die "no six free ports found"
HTTP=("$base" $((base + 1)) $((base + 2)))
RAFT=($((base + 3)) $((base + 4)) $((base + 5)))
MEMBERS="localhost:${RAFT[0]},localhost:${RAFT[1]},localhost:${RAFT[2]}"

WORK="$(mktemp -d)"
PIDS=()
cleanup() {
  local p
  for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
  rm -rf "$WORK"
}
trap cleanup EXIT

rm -f "$OUT" "$OUT.config"
for i in 0 1 2; do
  record=()
  [ "$i" = 0 ] && record=(-XX:AOTCacheOutput="$OUT")
  env LEIFDB_MODE=multi LEIFDB_MEMBER_NODES="$MEMBERS" LEIFDB_HOST=localhost LEIFDB_HTTP_PORT="${HTTP[$i]}" \
    LEIFDB_RAFT_PORT="${RAFT[$i]}" LEIFDB_DATA_DIR="$WORK/$i" LEIFDB_LOG_LEVEL=warn \
    "$JAVA" --enable-native-access=ALL-UNNAMED ${record[@]+"${record[@]}"} -jar "$JAR" >"$WORK/$i.log" 2>&1 &
  PIDS+=($!)
done

health() { curl -sf "http://localhost:$1/health" 2>/dev/null || true; }
field() { python3 -c 'import json,sys; print(json.load(sys.stdin).get(sys.argv[1], ""))' "$1" 2>/dev/null || true; }
for _ in $(seq 240); do
  [ "$(health "${HTTP[0]}" | field leader)" != "" ] && [ "$(health "${HTTP[0]}" | field leader)" != 0 ] && break
  sleep 0.5
done
leader=$(health "${HTTP[0]}" | field leader)
[ -n "$leader" ] && [ "$leader" != 0 ] || die "the training cluster elected no leader within 120 s (logs in $WORK)"

load() { # workload, extra args...
  local w="$1"; shift
  "$JAVA" -jar "$BENCH" -u "http://localhost:${HTTP[0]}" -w "$w" -c 16 -k 2000 -d "${PHASE}s" --warmup 0 --no-progress "$@" >/dev/null 2>&1
}
self=$(health "${HTTP[0]}" | field id)
# As a follower if it is not the leader: writes answered 307, entries appended and applied.
if [ "$(health "${HTTP[0]}" | field role)" != LEADER ]; then
  load write
  curl -sf -L -X POST -d "{\"to\":\"$self\"}" "http://localhost:${HTTP[0]}/cluster/leader" >/dev/null \
    || die "node a did not take leadership"
fi
load write
load read --preload
load mixed

kill -TERM "${PIDS[0]}"
# The JVM assembles the cache as it exits: allow it a few minutes on a loaded machine.
for _ in $(seq 1800); do kill -0 "${PIDS[0]}" 2>/dev/null || break; sleep 0.1; done
kill -0 "${PIDS[0]}" 2>/dev/null && die "node a did not exit within 180 s of SIGTERM"
[ -s "$OUT" ] || die "no cache was written (node a's log: $(tail -3 "$WORK/0.log" | tr '\n' ' '))"
echo "aot-train: wrote $OUT ($(du -h "$OUT" | cut -f1))"
