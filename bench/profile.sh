#!/usr/bin/env bash
# Where a write's (or a read's) CPU time goes: a 3-node LeifDB cluster on loopback under `leifdb bench`,
# with async-profiler (from Maven Central) attached to the leader and to one follower for DURATION after
# a warm-up. Writes one flame graph per member (HTML, open in a browser) and prints the hottest frames.
#
#   bench/profile.sh                          # after ./leifdb has built the jars
#   WORKLOAD=read OUT=/tmp/flames bench/profile.sh
#
# Environment: WORKLOAD (write|read), DURATION (20s), WARMUP (10s), CONNECTIONS (64), KEYS (100000),
# VALUE_SIZE (256), EVENT (cpu|itimer|wall), OUT (docs/flamegraphs), PROFILER_VERSION (4.2).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORKLOAD="${WORKLOAD:-write}"
DURATION="${DURATION:-20s}"
WARMUP="${WARMUP:-10s}"
CONNECTIONS="${CONNECTIONS:-64}"
KEYS="${KEYS:-100000}"
VALUE_SIZE="${VALUE_SIZE:-256}"
EVENT="${EVENT:-cpu}"
OUT="${OUT:-$ROOT/docs/flamegraphs}"
PROFILER_VERSION="${PROFILER_VERSION:-4.2}"
die() { echo "profile: $*" >&2; exit 1; }
case "$WORKLOAD" in write|read) ;; *) die "WORKLOAD=$WORKLOAD is not allowed (allowed: write, read)";; esac
[[ "$DURATION" =~ ^[1-9][0-9]*s$ ]] || die "DURATION=$DURATION is not allowed (allowed: seconds, e.g. 20s)"
[[ "$WARMUP" =~ ^[0-9]+s$ ]] || die "WARMUP=$WARMUP is not allowed (allowed: seconds, e.g. 10s)"
[[ "$CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "CONNECTIONS=$CONNECTIONS is not allowed (allowed: 1 or more)"
[[ "$KEYS" =~ ^[1-9][0-9]{0,8}$ ]] || die "KEYS=$KEYS is not allowed (allowed: 1..999999999)"
[[ "$VALUE_SIZE" =~ ^[0-9]+$ ]] || die "VALUE_SIZE=$VALUE_SIZE is not allowed (allowed: a byte count)"
case "$EVENT" in cpu|itimer|wall) ;; *) die "EVENT=$EVENT is not allowed (allowed: cpu, itimer, wall)";; esac

# shellcheck source=bench/find-java.sh
. "$ROOT/bench/find-java.sh"
JAVA=$(find_java) || die "no JDK 21 or newer found (set JAVA_HOME)"
JCMD="$(dirname "$JAVA")/jcmd"
[ -x "$JCMD" ] || die "no jcmd beside $JAVA: a JDK (not a JRE) is needed to attach the profiler"
JAR="$ROOT/server/target/leifdb-server.jar"
BENCH="$ROOT/bench/target/leifdb-bench.jar"
[ -f "$JAR" ] && [ -f "$BENCH" ] || die "build first: ./leifdb --version (or mvn -q -DskipTests package)"
WORK="$(mktemp -d)"
mvn -q -B dependency:copy -Dartifact="tools.profiler:async-profiler:$PROFILER_VERSION" -DoutputDirectory="$WORK" \
  >"$WORK/mvn.log" 2>&1 || die "could not fetch async-profiler $PROFILER_VERSION from Maven (see mvn dependency:copy)"
case "$(uname -m)" in x86_64) ARCH=linux-x64;; aarch64) ARCH=linux-arm64;; *) die "no async-profiler build for $(uname -m)";; esac
(cd "$WORK" && unzip -q -o "async-profiler-$PROFILER_VERSION.jar" "$ARCH/libasyncProfiler.so")
LIB="$WORK/$ARCH/libasyncProfiler.so"

HTTP=(28580 28581 28582)
RAFT=(27580 27581 27582)
# shellcheck source=bench/local-cluster.sh
. "$ROOT/bench/local-cluster.sh"
trap 'stop_all; rm -rf "$WORK"' EXIT

aot=()
[ -s "$ROOT/server/target/leifdb.aot" ] && aot=(-XX:AOTCache="$ROOT/server/target/leifdb.aot" "-Xlog:aot*=error")
# DebugNonSafepoints: samples name the exact Java frame, not the nearest safepoint.
start_cluster "$JAVA" "$JAR" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints ${aot[@]+"${aot[@]}"}
leader=$(await_leader) || die "no leader within 120 s (logs: $WORK)"
follower=$(( (leader + 1) % 3 ))
url="http://127.0.0.1:${HTTP[$leader]}"

bench() { # mode duration [extra args]
  "$JAVA" -jar "$BENCH" -u "$url" -w "$1" -c "$CONNECTIONS" -k "$KEYS" -s "$VALUE_SIZE" -d "$2" --warmup 0 \
    --json --no-progress "${@:3}"
}
# Reads need the keys: fill them, then warm the read path too.
bench write "$WARMUP" >/dev/null
[ "$WORKLOAD" = read ] && bench read "$WARMUP" >/dev/null

mkdir -p "$OUT"
attach() { "$JCMD" "${PIDS[$1]}" JVMTI.agent_load "$LIB" "\"$2\"" >"$WORK/jcmd-$1.log" 2>&1 || die "attach to member $1 failed: $(cat "$WORK/jcmd-$1.log")"; }
attach "$leader" "start,event=$EVENT,interval=1ms"
attach "$follower" "start,event=$EVENT,interval=1ms"
bench "$WORKLOAD" "$DURATION" >"$WORK/bench.json"
attach "$leader" "dump,collapsed,file=$WORK/leader.collapsed"
attach "$leader" "stop,file=$OUT/$WORKLOAD-leader.html"
attach "$follower" "stop,file=$OUT/$WORKLOAD-follower.html"
# Native libraries are named by where they were unpacked (a temporary path of this machine): keep the name only.
sed -i -E 's#(/[^/ ;"\x27]+)+/(lib[^/ ;"\x27]+\.so)#\2#g' "$OUT/$WORKLOAD-leader.html" "$OUT/$WORKLOAD-follower.html"
ops=$(python3 -c 'import json,sys; print("%.0f" % json.load(open(sys.argv[1]))["throughput"])' "$WORK/bench.json")

echo "profile: $WORKLOAD, $CONNECTIONS connections, $KEYS keys, values $VALUE_SIZE B, $DURATION after $WARMUP warm-up;" \
  "$ops ops/s while profiled ($EVENT, 1 ms); $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "flame graphs: $OUT/$WORKLOAD-leader.html $OUT/$WORKLOAD-follower.html"
# Inclusive share of the leader's samples by part of the system (a stack counts for every part it
# passes through), then self time of the hottest frames: where the CPU actually goes.
python3 - "$WORK/leader.collapsed" <<'PY'
import collections, sys
parts = [("JIT compiler threads", ("CompileBroker",)), ("GC", ("G1", "GCTaskThread", "ZGC", "Shenandoah")),
         ("HTTP (Helidon)", ("io/helidon/",)), ("JSON (Jackson)", ("com/fasterxml/jackson",)),
         ("gRPC / Netty (peers)", ("io/grpc/", "io/netty/")), ("protobuf", ("com/google/protobuf",)),
         ("Raft core", ("io/leifdb/raft/",)), ("WAL (SegmentedWal)", ("io/leifdb/server/storage/",)),
         ("fsync / fdatasync", ("fsync", "fdatasync", "force0")), ("RocksDB", ("rocksdb", "org/rocksdb/")),
         ("kernel network", ("tcp_", "__sys_sendto", "__sys_recvfrom", "sock_", "epoll")),
         ("thread park / wake", ("Unsafe.park", "Unsafe_Park", "futex", "Unsafe.unpark", "Unsafe_Unpark"))]
inc = collections.Counter(); leaf = collections.Counter(); total = 0
for line in open(sys.argv[1]):
    stack, _, n = line.rstrip().rpartition(" ")
    if not n.isdigit(): continue
    n = int(n); total += n; leaf[stack.split(";")[-1]] += n
    for name, marks in parts:
        if any(m in stack for m in marks): inc[name] += n
print("leader, inclusive share by part (%d samples):" % total)
for name, _ in parts: print("  %5.1f%%  %s" % (100.0 * inc[name] / max(total, 1), name))
print("leader, self time of the hottest frames:")
for frame, n in leaf.most_common(12): print("  %5.1f%%  %s" % (100.0 * n / max(total, 1), frame[:110]))
PY
